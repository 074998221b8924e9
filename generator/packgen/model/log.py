"""Schema of a learning log: the fields a participant or a set records."""

from __future__ import annotations

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
        default_factory=list, description="Options, for choice and multiple-choice fields."
    )

    @model_validator(mode="after")
    def _choices_match_type(self) -> Self:
        wants = self.type in ("choice", "multiple-choice")
        if wants and len(self.choices) < 2:
            raise ValueError(f"a {self.type} field needs at least two choices")
        if not wants and self.choices:
            raise ValueError(f"choices are only for choice fields, not for type {self.type!r}")
        return self


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
    fields: list[LogField] = Field(min_length=1, description="What to record, in order.")
    related: list[Slug] = Field(
        default_factory=list, description="Ids of exercises this log goes with."
    )

    @model_validator(mode="after")
    def _unique_field_ids(self) -> Self:
        seen: set[str] = set()
        for item in self.fields:
            if item.id in seen:
                raise ValueError(f"field id {item.id!r} is used twice")
            seen.add(item.id)
        return self
