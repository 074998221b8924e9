"""Schema of a learning log: the fields a participant or a set records."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Literal, Self

from pydantic import Field, model_validator

from packgen.model.common import Slug, Strict, Text

FieldType = Literal["text", "long-text", "date", "number", "choice", "multiple-choice"]


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
    choices: list[Text] = Field(
        default_factory=list,
        description="Options, for choice and multiple-choice fields. The digital form names "
        "each option after its text in the source language (`Yes, with my name` becomes "
        "`yes-with-my-name`), never after its translation or its place in the list.",
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
        """Each choice's stable name; read it from the source-language definition."""
        return [choice_name(text) for text in self.choices]


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
