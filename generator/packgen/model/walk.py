"""Visiting every translatable string of a model, for lookup and for extraction."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from packgen.model.common import is_translatable

M = TypeVar("M", bound=BaseModel)
TextFn = Callable[[str, tuple[str | int, ...]], str]
"""Receives a string and its key path in the document; returns the replacement."""


def _translatable(annotation: Any) -> bool:
    if get_origin(annotation) is Annotated:
        return is_translatable(list(get_args(annotation)[1:]))
    return False


def _base(annotation: Any) -> type:
    """The runtime class a value of annotation has: str for Text, list for list[Text]."""
    while get_origin(annotation) is Annotated:
        annotation = get_args(annotation)[0]
    origin = get_origin(annotation)
    if isinstance(origin, type):
        return origin
    return annotation if isinstance(annotation, type) else object


def _map(value: Any, annotation: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
    if value is None:
        return None
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _map(value, options[0], fn, path)
        # Text or a list of texts (say): follow the option the value is an instance of.
        for option in options:
            if isinstance(value, _base(option)):
                return _map(value, option, fn, path)
    if _translatable(annotation) and isinstance(value, str):
        return fn(value, path)
    if origin is Annotated:
        return _map(value, get_args(annotation)[0], fn, path)
    if isinstance(value, BaseModel):
        return map_text(value, fn, path)
    if origin is list and isinstance(value, list):
        inner = get_args(annotation)[0]
        return [_map(item, inner, fn, (*path, i)) for i, item in enumerate(value)]
    if origin is dict and isinstance(value, dict):
        inner = get_args(annotation)[1]
        return {key: _map(item, inner, fn, (*path, _key_name(key))) for key, item in value.items()}
    return value


def _key_name(key: object) -> str | int:
    # An enum key (such as a context) is named by its value in key paths.
    name = getattr(key, "value", key)
    return name if isinstance(name, str | int) else str(name)


def map_text(model: M, fn: TextFn, path: tuple[str | int, ...] = ()) -> M:
    """A copy of model with fn applied to every translatable string, in document order."""
    updates: dict[str, Any] = {}
    for name, info in type(model).model_fields.items():
        annotation = info.rebuild_annotation()
        value = getattr(model, name)
        new = _map(value, annotation, fn, (*path, name))
        if new is not value:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model
