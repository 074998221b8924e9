"""Visiting every translatable string of a model, for lookup and for extraction."""

from __future__ import annotations

import types
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel

from packgen.model.common import is_translatable

M = TypeVar("M", bound=BaseModel)
TextFn = Callable[[str, tuple[str | int, ...]], str]
"""Receives a string and its key path in the document; returns the replacement."""
Mapper = Callable[[Any, TextFn, tuple[str | int, ...]], Any]
"""What map_text does to a value of one annotation."""


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


def _plain(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
    """A value whose annotation holds no text itself: only a model in it is visited."""
    return map_text(value, fn, path) if isinstance(value, BaseModel) else value


def _mapper(annotation: Any) -> Mapper:
    """What to do with a value of annotation, worked out once for the annotation.

    map_text visits every model of a pack once per language; reading each
    value's annotation again took longer than the lookups themselves.
    """
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        options = [a for a in get_args(annotation) if a is not type(None)]
        if len(options) == 1:
            return _mapper(options[0])
        # Text or a list of texts (say): follow the option the value is an instance of.
        choices = [(_base(option), _mapper(option)) for option in options]

        def union(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
            for base, follow in choices:
                if isinstance(value, base):
                    return follow(value, fn, path)
            return _plain(value, fn, path)

        return _skip_none(union)
    if origin is Annotated:
        inner = _mapper(get_args(annotation)[0])
        if not _translatable(annotation):
            return inner

        def text(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
            return fn(value, path) if isinstance(value, str) else inner(value, fn, path)

        return _skip_none(text)
    if origin is list:
        item = _mapper(get_args(annotation)[0])

        def items(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
            if isinstance(value, list) and not isinstance(value, BaseModel):
                return [item(entry, fn, (*path, i)) for i, entry in enumerate(value)]
            return _plain(value, fn, path)

        return _skip_none(items)
    if origin is dict:
        entry = _mapper(get_args(annotation)[1])

        def entries(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
            if isinstance(value, dict) and not isinstance(value, BaseModel):
                return {
                    key: entry(item, fn, (*path, _key_name(key))) for key, item in value.items()
                }
            return _plain(value, fn, path)

        return _skip_none(entries)
    return _skip_none(_plain)


def _skip_none(mapper: Mapper) -> Mapper:
    def mapped(value: Any, fn: TextFn, path: tuple[str | int, ...]) -> Any:
        return None if value is None else mapper(value, fn, path)

    return mapped


def _key_name(key: object) -> str | int:
    # An enum key (such as a context) is named by its value in key paths.
    name = getattr(key, "value", key)
    return name if isinstance(name, str | int) else str(name)


def _may_hold_text(annotation: Any) -> bool:
    """Whether a value of annotation can hold a translatable string, or a model that does.

    Only what is sure to hold none says no: plain values (numbers, identifiers,
    choices) and lists or mappings of them.
    """
    if _translatable(annotation):
        return True
    origin = get_origin(annotation)
    if origin is Annotated:
        return _may_hold_text(get_args(annotation)[0])
    if origin in (Union, types.UnionType, list, dict):
        return any(_may_hold_text(arg) for arg in get_args(annotation))
    if origin is Literal:
        return False
    if origin is not None or not isinstance(annotation, type):
        return True
    return issubclass(annotation, BaseModel)


_FIELDS: dict[type[BaseModel], list[tuple[str, Mapper]]] = {}
"""Per model class, its fields that may hold text, each with what to do with its value."""


def _text_fields(kind: type[BaseModel]) -> list[tuple[str, Mapper]]:
    fields = _FIELDS.get(kind)
    if fields is None:
        fields = []
        for name, info in kind.model_fields.items():
            annotation = info.rebuild_annotation()
            if _may_hold_text(annotation):
                fields.append((name, _mapper(annotation)))
        _FIELDS[kind] = fields
    return fields


def map_text(model: M, fn: TextFn, path: tuple[str | int, ...] = ()) -> M:
    """A copy of model with fn applied to every translatable string, in document order."""
    updates: dict[str, Any] = {}
    for name, mapper in _text_fields(type(model)):
        value = getattr(model, name)
        new = mapper(value, fn, (*path, name))
        if new is not value:
            updates[name] = new
    return model.model_copy(update=updates) if updates else model
