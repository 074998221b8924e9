"""Localise stage: one pass per language over every translatable string of a pack."""

from __future__ import annotations

from dataclasses import dataclass

from packgen.config import PackConfig
from packgen.errors import Problems
from packgen.i18n.catalog import CONTENT_DOMAIN, UI_DOMAIN, Translator, load_translator
from packgen.i18n.languages import Language, language
from packgen.i18n.markdown import translate_markdown
from packgen.model import Definition, Exercise
from packgen.model.walk import map_text
from packgen.pack import Pack


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

    @property
    def exercises(self) -> list[Exercise]:
        """Exercises and tools, without the learning logs."""
        return [d for d in self.definitions.values() if isinstance(d, Exercise)]

    @property
    def missing(self) -> int:
        return len(self.content.missing)


def localise(pack: Pack, lang: str, problems: Problems) -> LocalisedPack:
    source = pack.config.source_language
    content = load_translator(pack.layers, lang, CONTENT_DOMAIN, source, problems)
    ui = load_translator(pack.layers, lang, UI_DOMAIN, source, problems)

    def text(value: str, _path: tuple[str | int, ...]) -> str:
        return content.gettext(value)

    return LocalisedPack(
        pack=pack,
        language=language(lang),
        config=map_text(pack.config, text),
        definitions={key: map_text(d, text) for key, d in pack.definitions.items()},
        pages={name: translate_markdown(p.text, content.gettext) for name, p in pack.pages.items()},
        content=content,
        ui=ui,
    )
