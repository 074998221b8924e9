"""The authors' reference, read from the schema itself so that it cannot drift from it."""

from __future__ import annotations

import inspect
import types
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, HttpUrl
from pydantic_core import PydanticUndefined

from packgen.config import ContentItem, Organisation, PackConfig, PrintSettings
from packgen.model import (
    ACTIVITY_KINDS,
    Assessment,
    AssessmentItem,
    AssessmentSection,
    Checklist,
    Exercise,
    GroupSize,
    LearningLog,
    LogField,
    Role,
    ScoreBand,
    ScoreLevel,
    ScoreReading,
    Step,
)
from packgen.model.common import Context, is_translatable

DOCUMENTED: list[tuple[str, type[BaseModel]]] = [
    ("pack.yml", PackConfig),
    ("pack.yml: organisation", Organisation),
    ("pack.yml: contents entry", ContentItem),
    ("pack.yml: print", PrintSettings),
    ("Exercise or tool", Exercise),
    ("Group size", GroupSize),
    ("Role", Role),
    ("Step", Step),
    ("Checklist", Checklist),
    ("Learning log", LearningLog),
    ("Learning log field", LogField),
    ("Assessment", Assessment),
    ("Score level", ScoreLevel),
    ("Assessment section", AssessmentSection),
    ("Assessment item", AssessmentItem),
    ("Reading the score", ScoreReading),
    ("Score band", ScoreBand),
]


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    default: str
    description: str


@dataclass(frozen=True)
class ModelDoc:
    title: str
    description: str
    fields: list[FieldDoc]


def type_name(annotation: Any) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        base = args[0]
        if base is str and is_translatable(list(args[1:])):
            return "text"
        if base is str:
            return "identifier"
        return type_name(base)
    if origin in (Union, types.UnionType):
        return " or ".join(type_name(a) for a in args if a is not type(None))
    if origin is Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin is list:
        return f"list of {type_name(args[0])}"
    if origin is dict:
        return f"mapping of {type_name(args[0])} to {type_name(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(f"`{m.value}`" for m in annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        titles = {model: title for title, model in DOCUMENTED}
        return f"*{titles.get(annotation, annotation.__name__)}* (see below)"
    if annotation is HttpUrl:
        return "web address"
    names = {int: "whole number", bool: "true or false", str: "string"}
    if isinstance(annotation, type) and annotation in names:
        return names[annotation]
    return getattr(annotation, "__name__", str(annotation))


def _default(field: Any) -> str:
    if field.default_factory is not None:
        value = field.default_factory()
    elif field.default is PydanticUndefined or field.default is None:
        return ""
    else:
        value = field.default
    if isinstance(value, BaseModel | list | dict) and not value:
        return "empty"
    if isinstance(value, bool):
        return str(value).lower()
    return "" if isinstance(value, BaseModel) else str(value)


def model_doc(title: str, model: type[BaseModel]) -> ModelDoc:
    fields = []
    for name, field in model.model_fields.items():
        annotation = field.rebuild_annotation()
        fields.append(
            FieldDoc(
                name=name,
                type=type_name(annotation),
                required=field.is_required(),
                default=_default(field),
                description=field.description or "",
            )
        )
    return ModelDoc(title, inspect.getdoc(model) or "", fields)


def reference() -> dict[str, Any]:
    """Everything the schema-reference template shows."""
    return {
        "models": [model_doc(title, model) for title, model in DOCUMENTED],
        "kinds": {
            **ACTIVITY_KINDS,
            "learning-log": "Learning log: what to record, field by field",
            "assessment": "Assessment: statements scored section by section, with a total",
        },
        "contexts": [c.value for c in Context],
    }
