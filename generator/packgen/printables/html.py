"""Print HTML of one language: one document per PDF, from the templates in templates/print/.

Print templates resolve through the same layers as the page templates, so a
tailored pack overrides `print/guide.html.j2` or `print/print.css` by putting
its own copy in its templates/ folder.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from packgen import __version__
from packgen.errors import BuildFailed
from packgen.i18n.localise import LocalisedPack, definition_path
from packgen.model import Exercise
from packgen.pack import CONTENT_DIR
from packgen.paths import find_in_layers
from packgen.printables.book import chapters, walk
from packgen.printables.documents import Printable
from packgen.printables.markup import PrintMarkdown, Scope
from packgen.printables.sessions import SessionPlan, long_date, session_plan
from packgen.render.templates import make_environment, render_template

PRINT_DIR = "print"
STYLESHEET = f"{PRINT_DIR}/print.css"
TEMPLATES = {
    kind: f"{PRINT_DIR}/{kind}.html.j2"
    for kind in ("pack", "log", "checklist", "assessment", "guide")
}


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
        issued: date | None = None,
    ) -> None:
        self.loc = loc
        self.markdown = markdown
        self.created = created
        self.logo = logo
        self.issued = long_date(issued, loc.language.code) if issued else None
        self.env = make_environment(loc.pack.layers, loc.ui)
        self.env.filters["md"] = self._block
        self.env.filters["md_inline"] = self._inline
        self.env.filters["css_string"] = css_string
        self.chapters = chapters(loc, loc.config.contents)
        self.pack_anchors = {c.source: c.anchor for c in walk(self.chapters) if c.source}

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

    def _logo_uri(self) -> str | None:
        return self.logo.as_uri() if self.logo else None

    def render(self, printable: Printable) -> PrintDocument:
        loc = self.loc
        definition = loc.definitions[printable.key] if printable.key else None
        if printable.kind == "pack":
            scope = Scope(self.pack_anchors, page_refs=True)
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
            "issued": self.issued,
            "logo": self._logo_uri() if printable.kind == "pack" else None,
            "definitions": loc.definitions,
            "definition_path": definition_path,
            "plan": self._plan,
            "scope": scope,
        }
        if printable.kind == "pack":
            context["chapters"] = self.chapters
            context["exercises"] = [
                c.definition for c in walk(self.chapters) if c.kind == "exercise"
            ]
        elif printable.kind == "log":
            context["log"] = definition
        elif printable.kind == "assessment":
            context["assessment"] = definition
        else:
            context["exercise"] = definition
        html = render_template(self.env, TEMPLATES[printable.kind], printable.path, **context)
        assets = sorted(scope.assets)
        if printable.kind == "pack" and self.logo:
            assets.append(self.logo)
        # Only a log's own PDF is a form: in the whole pack, logs sharing field names (a date,
        # say) would make one field of the form, typed once and shown in every log.
        forms = printable.kind == "log"
        return PrintDocument(printable, html, assets, forms, scope.missing)

    def _plan(self, exercise: Exercise) -> SessionPlan:
        return session_plan(exercise, self.loc.pack.clock[exercise.id], self.loc.language.code)

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


def css_string(text: str) -> Markup:
    """Text as a quoted CSS string, safe inside a <style> element."""
    escaped = "".join(
        f"\\{ord(char):06x}" if char in '"\\<>&' or ord(char) < 0x20 else char for char in text
    )
    return Markup(f'"{escaped}"')


def asset_finder(layers: list[Path]) -> Callable[[str], Path | None]:
    """Finds a file by its path under docs/ the way the site does: the pack's own copy first."""

    def find(path: str) -> Path | None:
        return find_in_layers(layers, f"{CONTENT_DIR}/{path}")

    return find
