"""Localise stage: one pass per language over every translatable string of a pack."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from packgen.config import PackConfig
from packgen.errors import Problems
from packgen.i18n.catalog import (
    CONTENT_DOMAIN,
    UI_DOMAIN,
    State,
    Translator,
    forget_checked,
    load_translator,
)
from packgen.i18n.languages import Language, language
from packgen.i18n.segments import translate
from packgen.i18n.theme import THEME_DOMAIN, has_theme_translation
from packgen.model import Definition, Exercise
from packgen.model.walk import map_text
from packgen.pack import Pack
from packgen.resolve.variables import substitute, values_for

CONFIG_KEY = "pack.yml"
"""Status key for the pack config's own strings (title, summary, section titles)."""


def definition_path(key: str) -> str:
    """Where a definition's page lives under docs/; also its key in the status."""
    return f"exercises/{key}.md"


@dataclass
class Tally:
    """The state of each source string of one page (or of a whole language)."""

    states: dict[str, State] = field(default_factory=dict)

    def count(self, state: State) -> int:
        return sum(1 for s in self.states.values() if s is state)

    @property
    def total(self) -> int:
        return len(self.states)

    @property
    def percent(self) -> float:
        if not self.total:
            return 100.0
        return 100.0 * self.count(State.TRANSLATED) / self.total

    @property
    def complete(self) -> bool:
        return self.count(State.TRANSLATED) == self.total

    def merge(self, other: Tally) -> None:
        self.states.update(other.states)


@dataclass
class LocalisedPack:
    """The pack as readers of one language see it; untranslated text stays in the source."""

    pack: Pack
    language: Language
    config: PackConfig
    definitions: dict[str, Definition]
    pages: dict[str, str]
    content: Translator
    ui: Translator
    theme: Translator | None = None
    """The theme's interface strings, for a language the theme has no translation of."""
    status: dict[str, Tally] = field(default_factory=dict)
    """Per page (its path under docs/, or CONFIG_KEY): the state of each of its strings."""

    @property
    def exercises(self) -> list[Exercise]:
        """Exercises and tools, without the learning logs."""
        return [d for d in self.definitions.values() if isinstance(d, Exercise)]

    @property
    def missing(self) -> int:
        return len(self.content.missing)

    @property
    def total(self) -> Tally:
        """Every content string of the language once, whatever page it is on."""
        whole = Tally()
        for tally in self.status.values():
            whole.merge(tally)
        return whole


def load_translators(
    pack: Pack, lang: str, problems: Problems
) -> tuple[Translator, Translator, Translator | None]:
    """The content, interface and (where the theme lacks lang) theme catalogs, checked."""
    source = pack.config.source_language
    content = load_translator(pack.layers, lang, CONTENT_DOMAIN, source, problems)
    ui = load_translator(pack.layers, lang, UI_DOMAIN, source, problems)
    theme = None
    if not has_theme_translation(lang):
        theme = load_translator(pack.layers, lang, THEME_DOMAIN, source, problems)
    return content, ui, theme


def read_ahead(layers: list[Path], lang: str, source: str) -> None:
    """Read and check lang's catalogs into the catalog cache, for a build about to read them.

    Runs in a worker while the main process localises the languages before it. What it
    finds is found again when the build reads the catalogs itself (from the cache, which
    keeps only catalogs without errors, or afresh), so its problems are not kept here.
    """
    problems = Problems()
    load_translator(layers, lang, CONTENT_DOMAIN, source, problems)
    load_translator(layers, lang, UI_DOMAIN, source, problems)
    if not has_theme_translation(lang):
        load_translator(layers, lang, THEME_DOMAIN, source, problems)
    forget_checked()  # the worker goes on to build sites: it keeps nothing of the catalogs


def localise(pack: Pack, lang: str, problems: Problems) -> LocalisedPack:
    content, ui, theme = load_translators(pack, lang, problems)
    status: dict[str, Tally] = {}

    def recorder(key: str) -> Callable[[str], str]:
        tally = status.setdefault(key, Tally())

        def gettext(message: str) -> str:
            text, state = content.lookup(message)
            tally.states[message] = state
            return text

        return gettext

    values = values_for(pack.config, lang)

    def text_in(key: str) -> Callable[[str, tuple[str | int, ...]], str]:
        gettext = recorder(key)
        # Variables are filled in after translation, so a translation keeps the placeholder.
        return lambda value, _path: substitute(translate(value, gettext), values)

    return LocalisedPack(
        pack=pack,
        language=language(lang),
        config=map_text(pack.config, text_in(CONFIG_KEY)),
        definitions={
            key: map_text(d, text_in(definition_path(key))) for key, d in pack.definitions.items()
        },
        pages={
            name: substitute(translate(p.text, recorder(name)), values)
            for name, p in pack.pages.items()
        },
        content=content,
        ui=ui,
        theme=theme,
        status=status,
    )
