"""Schema of the pack config file (`pack.yml`): identity, languages and contents."""

from __future__ import annotations

import re
from datetime import time
from itertools import pairwise
from typing import Annotated, Literal, Self

from pydantic import (
    Field,
    HttpUrl,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from packgen.layers import CONFIG_FILE as CONFIG_FILE  # where it was always found
from packgen.model.common import Slug, Strict, Text

LanguageCode = str
VariableText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
"""A variable's value: not extracted for translation; per-language values replace that."""
VARIABLE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


class Organisation(Strict):
    """Who publishes this pack."""

    name: Text = Field(description="Organisation name, shown in the footer and on covers.")
    url: HttpUrl | None = Field(default=None, description="Web address of the organisation.")
    logo: str | None = Field(default=None, description="Path to a logo image, inside the pack.")
    contact: Text | None = Field(
        default=None,
        description='A contact line for the footer of every page and PDF, e.g. "Hotline 5050 '
        '· info@example.org".',
    )

    @property
    def web_address(self) -> str | None:
        """The address as people write it: without the scheme and the trailing slash."""
        if self.url is None:
            return None
        text = str(self.url)
        return text.split("://", 1)[-1].rstrip("/")


class ContentItem(Strict):
    """One entry of the pack's contents: a page, an exercise, a generated page or a section."""

    page: str | None = Field(default=None, description="Markdown file under content/.")
    exercise: Slug | None = Field(default=None, description="Id of an exercise or log.")
    generated: (
        Literal["catalogue", "schema-reference", "downloads", "translation-status"] | None
    ) = Field(
        default=None,
        description="A page packgen writes: catalogue, schema-reference, downloads (every "
        "printable PDF with its size) or translation-status.",
    )
    section: Text | None = Field(default=None, description="Title of a section of the menu.")
    contents: list[ContentItem] | None = Field(
        default=None, description="Entries inside a section."
    )
    audience: Literal["readers", "authors"] = Field(
        default="readers",
        description="Who a section is for: `authors` keeps it at the end of the menu, out of "
        "the whole-pack PDF, with no Next/Previous link between it and readers' pages.",
    )

    @property
    def for_authors(self) -> bool:
        return self.audience == "authors"

    @model_validator(mode="after")
    def _one_kind(self) -> Self:
        given = [k for k in ("page", "exercise", "generated", "section") if getattr(self, k)]
        if len(given) != 1:
            raise ValueError(
                "each entry needs exactly one of page, exercise, generated or section"
                + (f" (found {', '.join(given)})" if given else "")
                + "; for example `- exercise: after-action-review`"
            )
        if self.section and not self.contents:
            raise ValueError("a section needs `contents:`, a list of entries")
        if self.contents is not None and not self.section:
            raise ValueError("only a section can have `contents:`")
        if self.for_authors and not self.section:
            raise ValueError("only a section can have `audience: authors`")
        nested = [c.section for c in self.contents or [] if c.for_authors]
        if nested:
            raise ValueError(
                f"section {nested[0]!r} inside section {self.section!r} cannot have "
                "`audience: authors`; mark the top-level section instead"
            )
        return self


def _entry_name(item: ContentItem) -> str:
    return item.section or item.page or item.exercise or item.generated or ""


class Selection(Strict):
    """Which exercises, tools and logs a selection names: by id, by kind or by tag."""

    ids: list[Slug] = Field(default_factory=list, description="Ids of definitions.")
    kinds: list[Slug] = Field(
        default_factory=list, description="Kinds, e.g. learning-log or challenge-clinic."
    )
    tags: list[Slug] = Field(default_factory=list, description="Tags given in definitions.")

    def matches(self, key: str, kind: str, tags: list[str]) -> bool:
        return key in self.ids or kind in self.kinds or any(tag in self.tags for tag in tags)


COVER_LINE_LIMITS = {"edition": 80, "licence": 200}
"""Longest edition and licence lines, in characters, that the cover sets on one or two lines."""
_CLOCK = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")


class PrintSettings(Strict):
    """How the printable PDFs are laid out."""

    paper: Literal["A4", "Letter"] = Field(
        default="A4", description="Paper size of every PDF: A4 or Letter."
    )
    start_time: str = Field(
        default="09:00",
        description="Clock time at which sessions start, 24-hour HH:MM; the session plans "
        "in the facilitator guides count from it.",
    )
    edition: Text | None = Field(
        default=None,
        description='Edition or version on the whole-pack PDF\'s cover, e.g. "Second edition".',
    )
    licence: Text | None = Field(
        default=None,
        description='Licence on the whole-pack PDF\'s cover, e.g. "CC BY 4.0"; Markdown allowed.',
    )

    @field_validator("edition", "licence")
    @classmethod
    def _is_one_line(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return value
        limit = COVER_LINE_LIMITS[info.field_name or ""]
        if "\n" in value or len(value) > limit:
            raise ValueError(
                f"expected one line of at most {limit} characters for the cover; found "
                f"{len(value.splitlines())} line(s), {len(value)} characters"
            )
        return value

    @field_validator("start_time", mode="before")
    @classmethod
    def _is_clock_time(cls, value: object) -> object:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 24 * 60:
            # YAML 1.1 reads an unquoted 14:30 as a number in base 60 (870).
            raise ValueError(
                f'write the time in quotes, like "{value // 60:02d}:{value % 60:02d}"; '
                f"without quotes YAML reads it as the number {value}"
            )
        if isinstance(value, str):
            match = _CLOCK.match(value.strip())
            if not match:
                raise ValueError(
                    f"expected a time on the 24-hour clock as HH:MM, like 09:00 or 14:30; "
                    f"found {value!r}"
                )
            return f"{int(match[1]):02d}:{match[2]}"
        return value

    @property
    def start(self) -> time:
        hours, minutes = self.start_time.split(":")
        return time(int(hours), int(minutes))


OPEN_MENU_PAGES = 60
"""Most pages a language's menu may list and still show every section open on every page.

An open menu puts all of itself into every page, about 170 bytes an entry once
trimmed: at 60 pages some 15 KB, a third of a typical 40 KB exercise page, which
stays well within 60 KB; the flagship lists 37. Past that the menu soon outweighs
the page: with 300 exercises it was 59 KB of each 85 KB page.
"""


ExpandSections = Literal["auto", "always", "never"]


class SiteSettings(Strict):
    """How the website lays out its menu."""

    expand_sections: ExpandSections = Field(
        default="auto",
        description="Whether every page shows every section of the menu open: `always`, "
        f"`never`, or `auto`: open while the language's menu lists at most {OPEN_MENU_PAGES} "
        "pages; beyond that, each page opens only its own section, under the top-level "
        "entries, so pages stay small.",
    )


class PackConfig(Strict):
    """The pack config: what the pack is called, its languages and what it contains."""

    id: Slug = Field(description="Identifier of the pack, used in file names.")
    title: Text = Field(description="Title of the pack, shown on every page.")
    summary: Text | None = Field(default=None, description="One-line description of the pack.")
    languages: list[LanguageCode] = Field(
        min_length=1,
        description="Language codes to build; the first is the source language, e.g. [en, fr, ar].",
    )
    extends: str | None = Field(
        default=None,
        description="Path to a base pack; its exercises, pages, templates and translations "
        "are used unless this pack has its own.",
    )
    organisation: Organisation | None = Field(default=None, description="Who publishes it.")
    contents: list[ContentItem] = Field(
        default_factory=list,
        description="The menu, in order. Empty means: inherit from the base pack.",
    )
    print: PrintSettings = Field(
        default_factory=PrintSettings,
        description="Paper size, session start time, edition and licence of the printable PDFs.",
    )
    site: SiteSettings = Field(
        default_factory=SiteSettings,
        description="How the website's menu opens its sections.",
    )
    include: Selection | None = Field(
        default=None,
        description="Only these exercises, tools and logs (by ids, kinds or tags) are in the "
        "pack; the menu follows. Absent means all of them.",
    )
    exclude: Selection | None = Field(
        default=None,
        description="These exercises, tools and logs (by ids, kinds or tags) are left out, "
        "and so are their menu entries and the links to them in related lists.",
    )
    reviewed: dict[Slug, str] = Field(
        default_factory=dict,
        description="For each definition this pack overrides or replaces, the fingerprint of "
        "the base's file when the override was last checked; `packgen check` warns when the "
        "base has changed since, and gives the new fingerprint to record.",
    )
    variables: dict[str, VariableText | dict[LanguageCode, VariableText]] = Field(
        default_factory=dict,
        description="Words and numbers that differ between versions of a pack (region, "
        "programme, hotline number), written in any page, definition or translation as "
        "`{{ variables.region }}`; a value may be a text, or a text per language code "
        "(languages not given use the source language's).",
    )

    @field_validator("variables")
    @classmethod
    def _variable_names(
        cls, variables: dict[str, str | dict[str, str]]
    ) -> dict[str, str | dict[str, str]]:
        for name in variables:
            if not VARIABLE_NAME.match(name):
                raise ValueError(
                    f"{name!r} is not a variable name; use letters, digits, - and _, "
                    "starting with a letter, like region or hotline_number"
                )
        return variables

    @field_validator("contents")
    @classmethod
    def _authors_last(cls, contents: list[ContentItem]) -> list[ContentItem]:
        # Readers never page from the pack into the workshop, so authors' sections close it.
        for before, after in pairwise(contents):
            if before.for_authors and not after.for_authors:
                raise ValueError(
                    f"section {before.section!r} is for authors, so it goes after every "
                    f"entry for readers; move it below {_entry_name(after)!r}"
                )
        return contents

    @field_validator("languages")
    @classmethod
    def _languages_are_codes(cls, languages: list[str]) -> list[str]:
        # On the field, not the whole model, so that the message points at the list; a code
        # listed twice is reported at its second line by the pack's reference checks.
        for code in languages:
            if not code.replace("_", "-").replace("-", "").isalpha() or len(code) > 12:
                raise ValueError(f"{code!r} is not a language code; use codes like en, fr, ar")
        return languages

    @property
    def source_language(self) -> str:
        return self.languages[0]
