"""Turn schema failures into located, readable problems.

Pydantic reports errors as a key path (`loc`) and a type; this module maps
each path back to the YAML line it came from and words the message for an
author: what was expected, what was found, and a did-you-mean where a close
match exists.
"""

from __future__ import annotations

import difflib
import types
from enum import Enum
from typing import Annotated, Any, TypeVar, Union, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from packgen.errors import Problems
from packgen.loader import KeyPath, YamlDocument

M = TypeVar("M", bound=BaseModel)


def did_you_mean(word: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def dotted(path: KeyPath) -> str:
    """`steps[2].minutes`; list positions count from 1, as authors count steps."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part + 1}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(top level)"


def _unwrap(annotation: Any) -> Any:
    """Strip Annotated and Optional so the underlying type shows."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            options = [a for a in get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def type_at(model: type[BaseModel], path: KeyPath) -> Any:
    """The declared type found by following path through model; None when unknown."""
    current: Any = model
    for part in path:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = current.model_fields.get(str(part))
            if field is None:
                return None
            current = field.annotation
        elif get_origin(current) is list and isinstance(part, int):
            current = get_args(current)[0]
        elif get_origin(current) is dict:
            current = get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def _choices(annotation: Any) -> list[str]:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return [str(member.value) for member in annotation]
    return [str(a) for a in get_args(annotation)] if get_origin(annotation) else []


def _found(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXPECTED = {
    "int_parsing": "a whole number",
    "int_type": "a whole number",
    "int_from_float": "a whole number",
    "greater_than": "a number above zero",
    "string_type": "text",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping of keys to values",
    "model_type": "a mapping of keys to values",
    "model_attributes_type": "a mapping of keys to values",
    "string_too_short": "some text",
    "url_parsing": "a web address starting with https://",
    "url_scheme": "a web address starting with https://",
}


def describe(model: type[BaseModel], error: ErrorDetails) -> tuple[KeyPath, bool, str]:
    """(where, whether it points at a key, message) for one pydantic error."""
    loc: KeyPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if loc and loc[-1] == "[key]":
        path = loc[:-1]
        container = type_at(model, path[:-1])
        key_type = get_args(container)[0] if get_origin(container) is dict else container
        choices = _choices(key_type)
        key = str(path[-1])
        return (
            path,
            True,
            (
                f"{dotted(path[:-1])}: unknown key {key!r}; expected one of: "
                f"{', '.join(choices)}{did_you_mean(key, choices)}"
            ),
        )
    if kind == "extra_forbidden":
        parent = type_at(model, loc[:-1])
        known = (
            list(parent.model_fields)
            if isinstance(parent, type) and issubclass(parent, BaseModel)
            else []
        )
        key = str(loc[-1])
        where = f" in {dotted(loc[:-1])}" if loc[:-1] else ""
        hint = did_you_mean(key, known) or f"; allowed keys are: {', '.join(known)}"
        return loc, True, f"unknown key {key!r}{where}{hint}"
    if kind == "missing":
        return loc[:-1], False, f"missing required key {dotted(loc)!r}"
    if kind in ("literal_error", "enum"):
        choices = _choices(type_at(model, loc))
        return (
            loc,
            False,
            (
                f"{dotted(loc)}: expected one of {', '.join(choices)}; found {_found(value)}"
                f"{did_you_mean(str(value), choices)}"
            ),
        )
    if kind in ("too_short", "string_too_short") and isinstance(value, list | str):
        return loc, False, f"{dotted(loc)}: must not be empty"
    if kind == "string_pattern_mismatch":
        return (
            loc,
            False,
            (
                f"{dotted(loc)}: expected an identifier of lowercase letters, digits and hyphens "
                f"(like 'peer-assist'); found {_found(value)}"
            ),
        )
    if kind == "value_error":
        message = str(error["msg"]).removeprefix("Value error, ")
        return loc, False, f"{dotted(loc)}: {message}" if loc else message
    if kind == "less_than_equal":
        limit = (error.get("ctx") or {}).get("le")
        return loc, False, f"{dotted(loc)}: expected at most {limit}; found {_found(value)}"
    expected = _EXPECTED.get(kind)
    if expected:
        return loc, False, f"{dotted(loc)}: expected {expected}; found {_found(value)}"
    return loc, False, f"{dotted(loc)}: {error['msg']}; found {_found(value)}"


def validate_document(
    doc: YamlDocument, model: type[M], problems: Problems, *, context: dict[str, Any] | None = None
) -> M | None:
    """Validate a whole document against model; every error becomes a located problem."""
    if not isinstance(doc.data, dict):
        problems.error(
            doc.location(()), f"expected a mapping of keys to values; found {_found(doc.data)}"
        )
        return None
    try:
        return model.model_validate(doc.data, context=context)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        missing: dict[KeyPath, list[str]] = {}
        for error in errors:
            if _explained_by_misspelling(model, error, errors):
                continue
            if error["type"] == "missing":
                missing.setdefault(tuple(error["loc"][:-1]), []).append(str(error["loc"][-1]))
                continue
            path, at_key, message = describe(model, error)
            problems.error(doc.location(path, at_key=at_key), message)
        for parent, keys in missing.items():
            where = f" in {dotted(parent)}" if parent else ""
            names = ", ".join(repr(k) for k in keys)
            plural = "s" if len(keys) > 1 else ""
            problems.error(doc.location(parent), f"missing required key{plural}{where}: {names}")
        return None


def _explained_by_misspelling(
    model: type[BaseModel], error: ErrorDetails, errors: list[ErrorDetails]
) -> bool:
    """A missing key that an unknown key next to it was meant to be: report only the latter."""
    if error["type"] != "missing":
        return False
    parent, wanted = tuple(error["loc"][:-1]), str(error["loc"][-1])
    for other in errors:
        loc = tuple(other["loc"])
        if (
            other["type"] == "extra_forbidden"
            and loc[:-1] == parent
            and difflib.get_close_matches(str(loc[-1]), [wanted], n=1, cutoff=0.6)
        ):
            return True
    return False
