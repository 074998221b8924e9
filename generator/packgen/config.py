"""Schema of the pack config file (`pack.yml`): identity, languages and contents."""

from __future__ import annotations

from typing import Literal, Self

from pydantic import Field, HttpUrl, model_validator

from packgen.model.common import Slug, Strict, Text

CONFIG_FILE = "pack.yml"

LanguageCode = str


class Organisation(Strict):
    """Who publishes this pack."""

    name: Text = Field(description="Organisation name, shown in the footer and on covers.")
    url: HttpUrl | None = Field(default=None, description="Web address of the organisation.")
    logo: str | None = Field(default=None, description="Path to a logo image, inside the pack.")


class ContentItem(Strict):
    """One entry of the pack's contents: a page, an exercise, a generated page or a section."""

    page: str | None = Field(default=None, description="Markdown file under content/.")
    exercise: Slug | None = Field(default=None, description="Id of an exercise or log.")
    generated: Literal["catalogue", "schema-reference", "translation-status"] | None = Field(
        default=None,
        description="A page packgen writes: catalogue, schema-reference or translation-status.",
    )
    section: Text | None = Field(default=None, description="Title of a section of the menu.")
    contents: list[ContentItem] | None = Field(
        default=None, description="Entries inside a section."
    )

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
        return self


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

    @model_validator(mode="after")
    def _languages_are_codes(self) -> Self:
        seen: set[str] = set()
        for code in self.languages:
            if not code.replace("_", "-").replace("-", "").isalpha() or len(code) > 12:
                raise ValueError(f"{code!r} is not a language code; use codes like en, fr, ar")
            if code in seen:
                raise ValueError(f"language {code!r} is listed twice")
            seen.add(code)
        return self

    @property
    def source_language(self) -> str:
        return self.languages[0]
