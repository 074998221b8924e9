"""Schema of a learning log: the fields a participant or a set records."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Annotated, Any, Literal, Self

from pydantic import (
    Field,
    StringConstraints,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from packgen.model.common import TRANSLATABLE, Slug, Strict, Tags, Text

FieldType = Literal["text", "long-text", "date", "number", "choice", "multiple-choice"]


class ChoiceText(str):
    """A choice's text in the source language, with the name its author gave it, if any."""

    id: str | None

    def __new__(cls, text: str, id: str | None = None) -> ChoiceText:
        self = super().__new__(cls, text)
        self.id = id
        return self


def _choice(value: Any, handler: ValidatorFunctionWrapHandler) -> ChoiceText:
    """A choice is its text, or a mapping of `id` (its name in the form's data) and `label`."""
    if not isinstance(value, dict):
        return ChoiceText(handler(value))
    unknown = sorted(str(key) for key in value if key not in ("id", "label"))
    if unknown or "label" not in value:
        raise ValueError(
            "a choice is a text, or an id and a label such as "
            "{id: named, label: Yes, with my name}"
            + (f"; unknown key {unknown[0]!r}" if unknown else "; the label is missing")
        )
    name = value.get("id")
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a choice's id must be a name such as 'named'; found {name!r}")
    return ChoiceText(handler(value["label"]), name.strip())


Choice = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    WrapValidator(_choice),
    TRANSLATABLE,
]
"""A choice's text (translatable); written as a mapping, it also names the choice: `id`."""


class LogField(Strict):
    """One thing to record in the log."""

    id: Slug = Field(description="Identifier of the field, unique within the log.")
    label: Text = Field(description="Question or label shown to the person filling it in.")
    help: Text | None = Field(default=None, description="A hint on what to write.")
    type: FieldType = Field(default="text", description="Kind of answer expected.")
    required: bool = Field(default=False, description="Whether the field must be filled in.")
    sharing: Literal["shareable", "confidential"] = Field(
        default="shareable",
        description="'confidential' answers stay with the writer and are never shared.",
    )
    choices: list[Choice] = Field(
        default_factory=list,
        description="Options, for choice and multiple-choice fields. The digital form names "
        "each option after its text in the source language (`Yes, with my name` becomes "
        "`yes-with-my-name`), never after its translation or its place in the list; to keep "
        "a name when the text changes, write the option as `{id: named, label: Yes, with my "
        "name}`.",
    )
    actions: bool = Field(
        default=False,
        description="A list of committed actions: the digital form asks what, who and by when "
        "for each one, as many times as needed; paper keeps one box to write in.",
    )

    @model_validator(mode="after")
    def _choices_match_type(self) -> Self:
        wants = self.type in ("choice", "multiple-choice")
        if wants and len(self.choices) < 2:
            raise ValueError(f"a {self.type} field needs at least two choices")
        if not wants and self.choices:
            raise ValueError(f"choices are only for choice fields, not for type {self.type!r}")
        if self.actions and self.type not in ("text", "long-text"):
            raise ValueError(f"actions: true is for text and long-text fields, not {self.type!r}")
        return self

    @property
    def choice_names(self) -> list[str]:
        """Each choice's stable name: its id, or one made from its text.

        Only the definition as loaded knows the ids and the source text: read the
        names from it, never from a translated copy.
        """
        return [
            text.id if isinstance(text, ChoiceText) and text.id else choice_name(text)
            for text in self.choices
        ]


def choice_name(text: str) -> str:
    """A stable name for a choice, from its source text: `Yes, with my name` -> `yes-with-my-name`.

    Accents are dropped and any other run of characters becomes one hyphen, so
    the name survives translation (made from the source only) and reordering.
    A text without Latin letters or digits is named after a hash of itself.
    """
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = "-".join(re.findall(r"[a-z0-9]+", plain.lower()))[:60].strip("-")
    return name or "choice-" + hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


class LearningLog(Strict):
    """A learning log template: one definition feeds the page, the print and the digital form."""

    id: Slug = Field(description="Unique identifier; also the page's file name.")
    kind: Literal["learning-log"] = Field(description="Always 'learning-log'.")
    title: Text = Field(description="Title of the log.")
    summary: Text = Field(description="Who fills it in and when.")
    purpose: Text | None = Field(default=None, description="Why keep this log, in Markdown.")
    filled_by: Literal["individual", "set"] = Field(
        default="individual",
        description="Who fills it in: 'individual' (each person keeps their own) or 'set' "
        "(one record per meeting, for the whole group).",
    )
    fields: list[LogField] = Field(
        min_length=1,
        description="What to record, in order. Each field's id names it in the digital form's "
        "data, so keep ids unchanged once data has been collected.",
    )
    related: list[Slug] = Field(
        default_factory=list, description="Ids of exercises this log goes with."
    )
    tags: Tags
