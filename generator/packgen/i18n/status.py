"""How far each language has come: per page, per domain and in total."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from packgen.i18n.catalog import UI_DOMAIN, State, Translator
from packgen.i18n.extract import ui_template
from packgen.i18n.languages import Language
from packgen.i18n.localise import CONFIG_KEY, LocalisedPack, Tally, definition_path
from packgen.i18n.theme import THEME_DOMAIN, theme_strings
from packgen.pack import Pack
from packgen.resolve.published import published

STATES = (State.TRANSLATED, State.FUZZY, State.UNTRANSLATED)


@dataclass
class PageStatus:
    key: str
    """The page's path in the site, or `pack.yml` for the pack's own titles."""
    source: str
    """The file its strings come from, as a translator would open it."""
    title: str
    tally: Tally


@dataclass
class LanguageStatus:
    language: Language
    pages: list[PageStatus] = field(default_factory=list)
    domains: dict[str, Tally] = field(default_factory=dict)

    @property
    def total(self) -> Tally:
        whole = Tally()
        for domain, tally in self.domains.items():
            whole.states.update({f"{domain}\x04{k}": v for k, v in tally.states.items()})
        return whole


def counts(tally: Tally) -> dict[str, Any]:
    return {
        **{state.value: tally.count(state) for state in STATES},
        "total": tally.total,
        "percent": round(tally.percent, 1),
    }


def _shown(pack: Pack, path: Path) -> str:
    """Relative to the pack (as in the catalogs), a base pack's file too (../base/...)."""
    if path.is_relative_to(pack.root):
        return path.relative_to(pack.root).as_posix()
    return Path(os.path.relpath(path, pack.root)).as_posix()


def published_keys(pack: Pack) -> set[str]:
    """The status keys of what the pack publishes: its config and what its menu lists."""
    pages, definitions = published(pack)
    return {CONFIG_KEY, *pages, *(definition_path(key) for key in definitions)}


def _sources(pack: Pack) -> dict[str, tuple[str, str]]:
    """Status key -> (source file, title in the source language)."""
    found = {CONFIG_KEY: (_shown(pack, pack.config_doc.path), pack.config.title)}
    for name, page in pack.pages.items():
        found[name] = (_shown(pack, page.path), first_heading(page.text) or name)
    for key, source in pack.sources.items():
        found[definition_path(key)] = (_shown(pack, source.doc.path), source.definition.title)
    return found


def first_heading(text: str) -> str | None:
    """The text of a Markdown page's first top-level heading, its title."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    return None


def ui_messages(pack: Pack) -> list[str]:
    """Every interface string of the pack's templates, all layers."""
    return [
        message.id if isinstance(message.id, str) else message.id[0]
        for layer in pack.layers
        for message in ui_template(pack, root=layer)
        if message.id
    ]


def ui_tally(messages: list[str], translator: Translator) -> Tally:
    """The interface strings as the language has them (a plural counts once)."""
    tally = Tally()
    for message in messages:
        state = State.TRANSLATED if translator.is_source else State.UNTRANSLATED
        for catalog in translator.catalogs:
            entry = catalog.get(message)
            if entry is not None and entry.string and any(_forms(entry.string)):
                state = State.FUZZY if entry.fuzzy else State.TRANSLATED
                break
        if message in translator.broken:
            state = State.UNTRANSLATED  # unusable until fixed, as if not translated
        tally.states[message] = state
    return tally


def _forms(string: object) -> list[str]:
    return [str(s) for s in string] if isinstance(string, tuple | list) else [str(string)]


def theme_tally(translator: Translator) -> Tally:
    for key, text in theme_strings().items():
        translator.pgettext(key, text)
    return Tally({k: v for k, v in translator.seen.items() if "\x04" in k})


def language_statuses(pack: Pack, locs: Iterable[LocalisedPack]) -> list[LanguageStatus]:
    """The status of each language; the pack's interface strings are gathered once for all."""
    sources = _sources(pack)
    messages = ui_messages(pack)
    shown = published_keys(pack)
    found = []
    for loc in locs:
        result = LanguageStatus(loc.language)
        whole = Tally()
        for key, tally in loc.status.items():
            if key not in shown:
                continue  # a base's page this pack does not publish has nothing to translate
            whole.merge(tally)
            source, title = sources.get(key, (key, key))
            if tally.total:
                result.pages.append(PageStatus(key, source, title, tally))
        result.pages.sort(key=lambda p: p.source)
        result.domains["pack"] = whole
        result.domains[UI_DOMAIN] = ui_tally(messages, loc.ui)
        if loc.theme is not None:
            result.domains[THEME_DOMAIN] = theme_tally(loc.theme)
        found.append(result)
    return found


def as_json(source: str, statuses: list[LanguageStatus]) -> dict[str, Any]:
    return {
        "source_language": source,
        "languages": [
            {
                "code": status.language.code,
                "name": status.language.name,
                **counts(status.total),
                "domains": {name: counts(t) for name, t in status.domains.items()},
                "pages": [
                    {"page": p.key, "source": p.source, "title": p.title, **counts(p.tally)}
                    for p in status.pages
                ],
            }
            for status in statuses
        ],
    }
