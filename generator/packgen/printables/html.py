"""Print HTML of one language: one document per PDF, from the templates in templates/print/.

Print templates resolve through the same layers as the page templates, so a
tailored pack overrides `print/guide.html.j2` or `print/print.css` by putting
its own copy in its templates/ folder.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any, Literal

import jinja2
from babel import Locale, UnknownLocaleError
from babel.dates import format_time

from packgen import __version__
from packgen.config import ContentItem
from packgen.errors import BuildFailed
from packgen.i18n.localise import LocalisedPack
from packgen.model import Definition, Exercise, LearningLog, Step
from packgen.pack import CONTENT_DIR
from packgen.printables.documents import Printable, has_checklist
from packgen.printables.markup import PrintMarkdown, Scope
from packgen.render.pages import GENERATED_PATHS, definition_path
from packgen.render.templates import make_environment, render_template

PRINT_DIR = "print"
STYLESHEET = f"{PRINT_DIR}/print.css"
TEMPLATES = {
    "pack": "print/pack.html.j2",
    "log": "print/log.html.j2",
    "checklist": "print/checklist.html.j2",
    "guide": "print/guide.html.j2",
}
_HEADING = re.compile(r"^#\s+(.+?)\s*#*\s*$", re.MULTILINE)
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class PlanRow:
    number: int
    step: Step
    start: str
    end: str


@dataclass(frozen=True)
class SessionPlan:
    """A session's steps on the clock, counted from the pack's start time."""

    rows: list[PlanRow]
    start: str
    end: str
    minutes: int


def _babel_locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def session_plan(exercise: Exercise, start: time, lang: str) -> SessionPlan:
    locale = _babel_locale(lang)
    clock = datetime.combine(date(2000, 1, 1), start)

    def shown(moment: datetime) -> str:
        return str(format_time(moment.time(), format="short", locale=locale))

    rows = []
    for number, step in enumerate(exercise.steps, start=1):
        end = clock + timedelta(minutes=step.minutes)
        rows.append(PlanRow(number, step, shown(clock), shown(end)))
        clock = end
    first = datetime.combine(date(2000, 1, 1), start)
    return SessionPlan(rows, shown(first), shown(clock), exercise.step_minutes)


@dataclass
class Chapter:
    """One entry of the whole-pack PDF: a section with its chapters, or a chapter."""

    kind: Literal["section", "page", "exercise", "log", "catalogue"]
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


@dataclass
class PrintDocument:
    """The HTML of one PDF, with the image files it shows and whether it has form fields."""

    printable: Printable
    html: str
    assets: list[Path]
    forms: bool
    missing_images: list[tuple[str, str]]


class PrintRenderer:
    """Renders the print HTML of one language."""

    def __init__(
        self,
        loc: LocalisedPack,
        markdown: PrintMarkdown,
        *,
        created: str | None,
        logo: Path | None,
    ) -> None:
        self.loc = loc
        self.markdown = markdown
        self.created = created
        self.logo = logo
        self.env = make_environment(loc.pack.layers, loc.ui)
        self.env.filters["md"] = self._block
        self.env.filters["md_inline"] = self._inline
        self.chapters = self._chapters(loc.config.contents, 1, "")
        self.pack_anchors = {
            c.source: c.anchor for c in self._walk(self.chapters) if c.source is not None
        }

    # Filters: Markdown in the reader's language, links read against the chapter's page.

    @jinja2.pass_context
    def _block(self, context: jinja2.runtime.Context, text: str | None, source: str) -> str:
        if not text:
            return ""
        return self.markdown.convert(text, source, context["scope"])

    @jinja2.pass_context
    def _inline(self, context: jinja2.runtime.Context, text: str | None, source: str) -> str:
        if not text:
            return ""
        return self.markdown.convert(text, source, context["scope"], inline=True)

    def _chapters(self, items: list[ContentItem], depth: int, prefix: str) -> list[Chapter]:
        loc = self.loc
        chapters: list[Chapter] = []
        for i, item in enumerate(items, start=1):
            anchor = f"{prefix}{i}"
            if item.section:
                children = self._chapters(item.contents or [], depth + 1, f"{anchor}-")
                if children:
                    chapters.append(
                        Chapter(
                            "section",
                            item.section,
                            f"section-{anchor}",
                            depth,
                            None,
                            children=children,
                        )
                    )
            elif item.page and item.page in loc.pages:
                body = loc.pages[item.page]
                title = page_title(body, posixpath.splitext(item.page)[0])
                chapters.append(
                    Chapter("page", title, f"page-{_slug(item.page)}", depth, item.page, body)
                )
            elif item.exercise and item.exercise in loc.definitions:
                definition = loc.definitions[item.exercise]
                kind: Literal["exercise", "log"] = (
                    "log" if isinstance(definition, LearningLog) else "exercise"
                )
                chapters.append(
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
                chapters.append(
                    Chapter("catalogue", title, "catalogue", depth, GENERATED_PATHS["catalogue"])
                )
        return chapters

    def _walk(self, chapters: list[Chapter]) -> list[Chapter]:
        found = []
        for chapter in chapters:
            found.append(chapter)
            found.extend(self._walk(chapter.children))
        return found

    def _logo_uri(self) -> str | None:
        return self.logo.as_uri() if self.logo else None

    def render(self, printable: Printable) -> PrintDocument:
        loc = self.loc
        definition = loc.definitions[printable.key] if printable.key else None
        if printable.kind == "pack":
            scope = Scope(self.pack_anchors)
        else:
            assert definition is not None
            scope = Scope({definition_path(definition.id): "top"})
        context: dict[str, Any] = {
            "pack": loc.config,
            "language": loc.language,
            "printable": printable,
            "title": printable.title,
            "generator": f"packgen {__version__}",
            "created": self.created,
            "logo": self._logo_uri() if printable.kind == "pack" else None,
            "definitions": loc.definitions,
            "definition_path": definition_path,
            "plan": self._plan,
            "scope": scope,
        }
        if printable.kind == "pack":
            context["chapters"] = self.chapters
            context["all_chapters"] = self._walk(self.chapters)
            context["exercises"] = [
                c.definition for c in context["all_chapters"] if c.kind == "exercise"
            ]
        elif printable.kind == "log":
            context["log"] = definition
        else:
            context["exercise"] = definition
        html = render_template(self.env, TEMPLATES[printable.kind], printable.path, **context)
        assets = sorted(scope.assets)
        if printable.kind == "pack" and self.logo:
            assets.append(self.logo)
        return PrintDocument(printable, html, assets, printable.kind == "log", scope.missing)

    def _plan(self, exercise: Exercise) -> SessionPlan:
        return session_plan(exercise, self.loc.config.print.start, self.loc.language.code)

    def stylesheet(self) -> tuple[str, str]:
        """The print CSS (the pack's own if it has one) and the file it came from."""
        loader = self.env.loader
        assert loader is not None
        try:
            text, filename, _ = loader.get_source(self.env, STYLESHEET)
        except jinja2.TemplateNotFound:
            raise BuildFailed(
                f"{STYLESHEET} not found in templates/ of the pack or its bases"
            ) from None
        return text, filename or ""


def asset_finder(layers: list[Path]) -> Callable[[str], Path | None]:
    """Finds a file by its path under docs/ the way the site does: the pack's own copy first."""

    def find(path: str) -> Path | None:
        if path.startswith("../") or path.startswith("/"):
            return None
        for layer in layers:
            candidate = layer / CONTENT_DIR / path
            if candidate.is_file():
                return candidate
        return None

    return find
