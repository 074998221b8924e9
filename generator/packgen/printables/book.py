"""The whole pack as a book: the menu turned into sections and chapters, each with an anchor."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from packgen.config import ContentItem
from packgen.i18n.localise import LocalisedPack, definition_path
from packgen.model import Assessment, Definition, Exercise, LearningLog
from packgen.printables.documents import has_checklist
from packgen.render.pages import GENERATED_PATHS

_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass
class Chapter:
    """One entry of the whole-pack PDF: a section with its chapters, or a chapter."""

    kind: Literal["section", "page", "exercise", "log", "assessment", "catalogue"]
    title: str
    anchor: str
    depth: int
    source: str | None = None
    """The chapter's page path under docs/, against which its links are read."""
    body: str | None = None
    definition: Definition | None = None
    children: list[Chapter] = field(default_factory=list)

    @property
    def checklist(self) -> bool:
        return isinstance(self.definition, Exercise) and has_checklist(self.definition)


def page_title(markdown: str, fallback: str) -> str:
    found = _HEADING.search(markdown)
    return found[1] if found else fallback


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-") or "page"


def chapters(loc: LocalisedPack, items: list[ContentItem], depth: int = 1) -> list[Chapter]:
    """The book's chapters in menu order; sections without printable entries are left out.

    So are sections for authors: the book is for the people who run the exercises.
    """
    found: list[Chapter] = []
    for item in items:
        if item.for_authors:
            continue
        if item.section:
            children = chapters(loc, item.contents or [], depth + 1)
            if children and _opens(children[0], item.section):
                # A first page under the section's own title is the section's opening,
                # so the contents and bookmarks do not say the title twice.
                first, *rest = children
                body = _HEADING.sub("", first.body or "", count=1)
                found.append(
                    Chapter(
                        "section",
                        item.section,
                        first.anchor,
                        depth,
                        first.source,
                        body,
                        children=rest,
                    )
                )
            elif children:
                anchor = f"section-{children[0].anchor}"
                found.append(Chapter("section", item.section, anchor, depth, children=children))
        elif item.page and item.page in loc.pages:
            body = loc.pages[item.page]
            title = page_title(body, posixpath.splitext(item.page)[0])
            found.append(Chapter("page", title, f"page-{_slug(item.page)}", depth, item.page, body))
        elif item.exercise and item.exercise in loc.definitions:
            definition = loc.definitions[item.exercise]
            kind: Literal["exercise", "log", "assessment"] = (
                "log"
                if isinstance(definition, LearningLog)
                else "assessment"
                if isinstance(definition, Assessment)
                else "exercise"
            )
            found.append(
                Chapter(
                    kind,
                    definition.title,
                    f"{kind}-{definition.id}",
                    depth,
                    definition_path(definition.id),
                    definition=definition,
                )
            )
        elif item.generated == "catalogue":
            # The other generated pages are about the website: its reference and downloads.
            title = loc.ui.gettext("All exercises and tools")
            found.append(
                Chapter("catalogue", title, "catalogue", depth, GENERATED_PATHS["catalogue"])
            )
    return found


def _opens(chapter: Chapter, section: str) -> bool:
    return chapter.kind == "page" and chapter.title.strip() == section.strip()


def walk(tree: list[Chapter]) -> Iterator[Chapter]:
    """Every chapter and section, depth first, in reading order."""
    for chapter in tree:
        yield chapter
        yield from walk(chapter.children)
