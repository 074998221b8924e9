"""Render the Markdown pages of one language and the menu that links them."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from packgen.config import ContentItem
from packgen.i18n.catalog import State
from packgen.i18n.languages import name_in
from packgen.i18n.localise import LocalisedPack, Tally, definition_path
from packgen.i18n.status import LanguageStatus, counts, first_heading
from packgen.i18n.theme import PARTIAL, language_partial
from packgen.model import Assessment, Exercise, LearningLog
from packgen.printables.documents import Downloads, listed_definitions
from packgen.render.reference import reference
from packgen.render.templates import make_environment, render_template

log = logging.getLogger(__name__)

GENERATED_PATHS = {
    "catalogue": "catalogue.md",
    "schema-reference": "reference/schema.md",
    "downloads": "downloads.md",
    "translation-status": "translation-status.md",
}
HOME = "index.md"
GUIDE = "translating.md"
"""The translators' guide, linked from the status page when the pack has it."""


@dataclass
class NavEntry:
    title: str | None
    path: str | None = None
    children: list[NavEntry] = field(default_factory=list)

    def paths(self) -> list[str]:
        """This entry's page and every page under it, in menu order."""
        own = [self.path] if self.path else []
        return own + [p for child in self.children for p in child.paths()]

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
    theme_files: dict[str, str] = field(default_factory=dict)
    """Theme overrides this language needs, keyed by path under the theme folder."""
    authors_pages: list[str] = field(default_factory=list)
    """Pages of the menu's sections for authors, which readers do not page into."""
    section_openers: list[str] = field(default_factory=list)
    """Pages that open a section under its own title, which the menu shows as the section."""
    footer: str | None = None
    """The footer line in this language: who publishes the pack, where and how to reach them."""


class _Renderer:
    def __init__(
        self,
        loc: LocalisedPack,
        downloads: Downloads,
        statuses: list[LanguageStatus],
        bundles: list[dict[str, str]] | None = None,
    ) -> None:
        self.loc = loc
        self.bundles = bundles or []
        self.downloads = downloads
        self.statuses = statuses
        # Only what the menu shows: a base pack's unlisted exercises have no page to link to.
        self.exercises = [d for d in listed_definitions(loc) if isinstance(d, Exercise)]
        listed_kinds = set(loc.pack.menu.generated)
        # Pages link the downloads and status pages only where the menu has them.
        self.downloads_page = GENERATED_PATHS["downloads"] if "downloads" in listed_kinds else None
        self.status_page = (
            GENERATED_PATHS["translation-status"] if "translation-status" in listed_kinds else None
        )
        self.env = make_environment(loc.pack.layers, loc.ui)
        self.pages: dict[str, str] = {}
        self.openers: list[str] = []

    def render(self, template: str, path: str, **context: Any) -> str:
        return render_template(
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
            bundles=self.bundles,
            **context,
        )

    def page(self, template: str, path: str, **context: Any) -> None:
        text = self.render(template, path, **context)
        tally = self.loc.status.get(path)
        if tally is not None and not tally.complete and not self.loc.content.is_source:
            text = _below_title(text, self.banner(path, tally))
        self.pages[path] = text

    def banner(self, path: str, tally: Tally) -> str:
        reader = self.loc.language.code
        source = self.loc.pack.config.source_language
        return self.render(
            "translation-banner.md.j2",
            path,
            untranslated=tally.count(State.UNTRANSLATED),
            outdated=tally.count(State.FUZZY),
            language_name=name_in(reader, reader),
            source_name=name_in(source, reader),
            status_page=self.status_page,
        )

    def status(self) -> None:
        path = GENERATED_PATHS["translation-status"]
        source = self.loc.pack.config.source_language
        reader = self.loc.language.code
        mine = next((s for s in self.statuses if s.language.code == reader), None)
        titles = {p: first_heading(text) for p, text in self.pages.items()}
        self.pages[path] = self.render(
            "translation-status.md.j2",
            path,
            source_name=name_in(source, reader),
            languages=[
                {"name": s.language.name, **counts(s.total), "percent": s.total.percent}
                for s in self.statuses
            ],
            pages=[
                {
                    "title": titles.get(p.key) or p.title,
                    "path": p.key,
                    **counts(p.tally),
                    "percent": p.tally.percent,
                }
                for p in (mine.pages if mine else [])
                if p.key in self.pages
            ],
            guide=GUIDE if GUIDE in self.pages else None,
        )

    def item(self, entry: ContentItem) -> NavEntry | None:
        definitions = self.loc.definitions
        if entry.section:
            children = [n for n in (self.item(c) for c in entry.contents or []) if n]
            first = children[0].path if children else None
            if first in self.pages and first_heading(self.pages[first]) == entry.section:
                self.openers.append(first)
            return NavEntry(entry.section, children=children)
        if entry.page:
            self.page("page.md.j2", entry.page, body=self.loc.pages[entry.page])
            return NavEntry(None, entry.page)
        if entry.exercise:
            definition = definitions[entry.exercise]
            path = definition_path(definition.id)
            if isinstance(definition, LearningLog):
                self.page("log.md.j2", path, log=definition)
            elif isinstance(definition, Assessment):
                self.page("assessment.md.j2", path, assessment=definition)
            else:
                self.page("exercise.md.j2", path, exercise=definition)
            return NavEntry(definition.title, path)
        if entry.generated:
            path = GENERATED_PATHS[entry.generated]
            if entry.generated == "catalogue":
                self.page("catalogue.md.j2", path, exercises=self.exercises)
            elif entry.generated == "downloads":
                self.page("downloads.md.j2", path)
            elif entry.generated == "schema-reference":
                self.page("schema-reference.md.j2", path, reference=reference())
            return NavEntry(None, path)
        return None


def _below_title(markdown: str, banner: str) -> str:
    """The banner goes right under the page's first heading, or at the top without one."""
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if line.startswith("# "):
            return "\n".join([*lines[: index + 1], "", banner.rstrip("\n"), *lines[index + 1 :]])
    return banner + "\n" + markdown


def render_site(
    loc: LocalisedPack,
    downloads: Downloads | None = None,
    statuses: list[LanguageStatus] | None = None,
    bundles: list[dict[str, str]] | None = None,
) -> RenderedSite:
    """Every page of one language; downloads lists the PDFs its pages link to.

    bundles names the offline zips the home and downloads pages offer ({name, label}).
    """
    renderer = _Renderer(loc, downloads or Downloads(), statuses or [], bundles)
    made = [(e, renderer.item(e)) for e in loc.config.contents]
    nav = [n for _, n in made if n]
    authors_pages = [p for e, n in made if n and e.for_authors for p in n.paths()]
    if HOME not in renderer.pages:
        renderer.page("home.md.j2", HOME, exercises=renderer.exercises)
        nav.insert(0, NavEntry(None, HOME))
    if renderer.status_page:
        renderer.status()
    log.debug("%s: rendered %d pages", loc.language.code, len(renderer.pages))
    theme_files = {}
    if loc.theme is not None:
        theme_files[PARTIAL.format(code=loc.language.code)] = language_partial(
            loc.language, loc.theme
        )
    return RenderedSite(
        loc.language.code,
        renderer.pages,
        nav,
        theme_files,
        authors_pages,
        renderer.openers,
        footer(loc),
    )


def footer(loc: LocalisedPack) -> str | None:
    """The organisation's name, web address and contact line, translated and filled in."""
    organisation = loc.config.organisation
    if organisation is None:
        return None
    parts = [organisation.name, organisation.web_address, organisation.contact]
    return " · ".join(part for part in parts if part)
