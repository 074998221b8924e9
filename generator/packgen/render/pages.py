"""Render the Markdown pages of one language and the menu that links them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from packgen.config import ContentItem
from packgen.i18n.localise import LocalisedPack
from packgen.model import LearningLog
from packgen.printables.documents import Downloads, listed
from packgen.render.reference import reference
from packgen.render.templates import make_environment, render_template

log = logging.getLogger(__name__)

GENERATED_PATHS = {
    "catalogue": "catalogue.md",
    "schema-reference": "reference/schema.md",
    "downloads": "downloads.md",
}
HOME = "index.md"


def definition_path(key: str) -> str:
    return f"exercises/{key}.md"


@dataclass
class NavEntry:
    title: str | None
    path: str | None = None
    children: list[NavEntry] = field(default_factory=list)

    def to_mkdocs(self) -> Any:
        if self.path is None:
            return {self.title: [child.to_mkdocs() for child in self.children]}
        return {self.title: self.path} if self.title else self.path


@dataclass
class RenderedSite:
    """The Markdown of every page of one language, keyed by path under docs/."""

    lang: str
    pages: dict[str, str]
    nav: list[NavEntry]


class _Renderer:
    def __init__(self, loc: LocalisedPack, downloads: Downloads) -> None:
        self.loc = loc
        self.downloads = downloads
        listed_kinds = {item.generated for item in listed(loc.config.contents)}
        # Pages link the downloads page only where the menu has one to link to.
        self.downloads_page = GENERATED_PATHS["downloads"] if "downloads" in listed_kinds else None
        self.env = make_environment(loc.pack.layers, loc.ui)
        self.pages: dict[str, str] = {}

    def render(self, template: str, path: str, **context: Any) -> None:
        self.pages[path] = render_template(
            self.env,
            template,
            path,
            pack=self.loc.config,
            language=self.loc.language,
            page_path=path,
            definitions=self.loc.definitions,
            definition_path=definition_path,
            downloads=self.downloads,
            downloads_page=self.downloads_page,
            **context,
        )

    def item(self, entry: ContentItem) -> NavEntry | None:
        definitions = self.loc.definitions
        if entry.section:
            children = [n for n in (self.item(c) for c in entry.contents or []) if n]
            return NavEntry(entry.section, children=children)
        if entry.page:
            self.render("page.md.j2", entry.page, body=self.loc.pages[entry.page])
            return NavEntry(None, entry.page)
        if entry.exercise:
            definition = definitions[entry.exercise]
            path = definition_path(definition.id)
            if isinstance(definition, LearningLog):
                self.render("log.md.j2", path, log=definition)
            else:
                self.render("exercise.md.j2", path, exercise=definition)
            return NavEntry(definition.title, path)
        if entry.generated:
            path = GENERATED_PATHS[entry.generated]
            if entry.generated == "catalogue":
                self.render("catalogue.md.j2", path, exercises=self.loc.exercises)
            elif entry.generated == "downloads":
                self.render("downloads.md.j2", path)
            else:
                self.render("schema-reference.md.j2", path, reference=reference())
            return NavEntry(None, path)
        return None


def render_site(loc: LocalisedPack, downloads: Downloads | None = None) -> RenderedSite:
    """Every page of one language; downloads lists the PDFs its pages link to."""
    renderer = _Renderer(loc, downloads or Downloads())
    nav = [n for n in (renderer.item(e) for e in loc.config.contents) if n]
    if HOME not in renderer.pages:
        renderer.render("home.md.j2", HOME, exercises=loc.exercises)
        nav.insert(0, NavEntry(None, HOME))
    log.debug("%s: rendered %d pages", loc.language.code, len(renderer.pages))
    return RenderedSite(loc.language.code, renderer.pages, nav)
