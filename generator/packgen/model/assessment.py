"""Schema of an organisational assessment: statements scored section by section.

Checks on a single value live in the models; checks that compare parts of the
whole (ids used twice, bands against the possible total) are in `problems()`,
so that each can name the exact line it is about.
"""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, NonNegativeInt, field_validator, model_validator

from packgen.model.common import Slug, Strict, Tags, Text

KeyPath = tuple[str | int, ...]


class ScoreLevel(Strict):
    """One level of the score scale, e.g. 1 'Partly in place'."""

    value: NonNegativeInt = Field(description="Points an item scores at this level.")
    label: Text = Field(description="Short name of the level, shown as a column heading.")
    description: Text | None = Field(
        default=None, description="What counts as this level, for whoever scores."
    )


class AssessmentItem(Strict):
    """One statement to score."""

    id: Slug = Field(description="Identifier of the item, unique within the assessment.")
    text: Text = Field(description="The statement, e.g. 'Inductions include time with the leaver'.")
    hint: Text | None = Field(
        default=None, description="What to look for when scoring it, or an example."
    )


class AssessmentSection(Strict):
    """A stage of a project (or an area of work) and the items scored for it."""

    id: Slug = Field(description="Identifier of the section, unique within the assessment.")
    title: Text = Field(description="Title of the section, e.g. 'Inception'.")
    intro: Text | None = Field(default=None, description="What this section looks at, Markdown.")
    items: list[AssessmentItem] = Field(min_length=1, description="The statements, in order.")


class ScoreBand(Strict):
    """A range of overall totals and what a total in it means."""

    min: NonNegativeInt = Field(description="Lowest total in the band.")
    max: NonNegativeInt = Field(description="Highest total in the band.")
    label: Text = Field(description="Short name of the band, e.g. 'Good foundations'.")
    meaning: Text = Field(description="What a total in this band says, and what to do next.")

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.min > self.max:
            raise ValueError(f"min ({self.min}) must not be larger than max ({self.max})")
        return self


class ScoreReading(Strict):
    """How to read the overall total."""

    intro: Text | None = Field(default=None, description="A note before the bands, Markdown.")
    bands: list[ScoreBand] = Field(
        min_length=1, description="Ranges of the overall total, lowest first, with their meaning."
    )


class Assessment(Strict):
    """A scorable organisational assessment or project-management checklist."""

    id: Slug = Field(description="Unique identifier; also the page's file name.")
    kind: Literal["assessment"] = Field(description="Always 'assessment'.")
    title: Text = Field(description="Title shown in navigation and at the top of the page.")
    summary: Text = Field(description="One or two sentences saying what it assesses.")
    purpose: Text = Field(description="Why assess this and what it leads to, in Markdown.")
    how_to_use: Text | list[Text] = Field(
        description="Who scores, when and what to do with the result: Markdown, or a list of steps."
    )
    scale: list[ScoreLevel] = Field(
        description="The score levels, at least two with different values, in the order shown."
    )
    sections: list[AssessmentSection] = Field(
        min_length=1, description="The parts of the assessment, each with its items."
    )
    reading_the_score: ScoreReading | None = Field(
        default=None, description="What ranges of the overall total mean."
    )
    related: list[Slug] = Field(
        default_factory=list, description="Ids of exercises, tools or logs worth reading next."
    )
    tags: Tags

    @field_validator("scale")
    @classmethod
    def _two_distinct_levels(cls, scale: list[ScoreLevel]) -> list[ScoreLevel]:
        if len(scale) < 2:
            raise ValueError(
                f"a score scale needs at least two levels (such as 0 'Not in place' and "
                f"2 'In place'); found {len(scale)}"
            )
        values = [level.value for level in scale]
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            raise ValueError(
                f"each level needs its own value; {', '.join(map(str, twice))} is used twice"
            )
        return scale

    @property
    def item_count(self) -> int:
        return sum(len(section.items) for section in self.sections)

    @property
    def lowest(self) -> int:
        return min(level.value for level in self.scale)

    @property
    def highest(self) -> int:
        return max(level.value for level in self.scale)

    @property
    def total_range(self) -> tuple[int, int]:
        """The lowest and highest overall total the scale allows."""
        return self.lowest * self.item_count, self.highest * self.item_count

    def section_range(self, section: AssessmentSection) -> tuple[int, int]:
        return self.lowest * len(section.items), self.highest * len(section.items)

    def problems(self) -> list[tuple[KeyPath, str]]:
        """What is wrong across sections and bands, each with the key path it is about."""
        found: list[tuple[KeyPath, str]] = []
        sections: dict[str, int] = {}
        items: dict[str, tuple[int, int]] = {}
        for s, section in enumerate(self.sections):
            if section.id in sections:
                found.append(
                    (
                        ("sections", s, "id"),
                        f"section id {section.id!r} is already used by "
                        f"sections[{sections[section.id] + 1}]",
                    )
                )
            sections.setdefault(section.id, s)
            for i, item in enumerate(section.items):
                if item.id in items:
                    first_s, first_i = items[item.id]
                    found.append(
                        (
                            ("sections", s, "items", i, "id"),
                            f"item id {item.id!r} is already used by "
                            f"sections[{first_s + 1}].items[{first_i + 1}]",
                        )
                    )
                items.setdefault(item.id, (s, i))
        if self.reading_the_score:
            found.extend(self._band_problems(self.reading_the_score.bands))
        return found

    def _band_problems(self, bands: list[ScoreBand]) -> list[tuple[KeyPath, str]]:
        low, high = self.total_range
        found: list[tuple[KeyPath, str]] = []
        where = ("reading_the_score", "bands")
        for b, band in enumerate(bands):
            for key in ("min", "max"):
                value = getattr(band, key)
                if not low <= value <= high:
                    found.append(
                        (
                            (*where, b, key),
                            f"{key} {value} lies outside the possible total, {low} to {high} "
                            f"({self.item_count} items scored {self.lowest} to {self.highest})",
                        )
                    )
            previous = bands[b - 1].max if b else low - 1
            if band.min <= previous and b:
                found.append(
                    (
                        (*where, b, "min"),
                        f"bands must not overlap, lowest first: min {band.min} is not above "
                        f"the previous band's max {previous}",
                    )
                )
            elif band.min > previous + 1 and low <= band.min <= high:
                # A reader whose total falls in a gap would find no meaning for it.
                found.append(
                    (
                        (*where, b, "min"),
                        f"no band covers {_span(previous + 1, band.min - 1)}; start this band "
                        f"at {previous + 1} or add a band for those totals",
                    )
                )
        last = bands[-1].max
        if low <= last < high:
            found.append(
                (
                    (*where, len(bands) - 1, "max"),
                    f"no band covers {_span(last + 1, high)}; the highest possible total is "
                    f"{high}, so end the last band there",
                )
            )
        return found


def _span(first: int, last: int) -> str:
    return f"a total of {first}" if first == last else f"totals {first} to {last}"
