"""The theme's interface (search box, footer, ...) in languages the theme was not translated into.

mkdocs-material ships its interface in about sixty languages. For any other
language the pack gives the theme a language file of its own, made from the
`theme` catalog, with English wherever a string is not translated yet.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import material

from packgen.i18n.catalog import Translator
from packgen.i18n.languages import Language

THEME_DOMAIN = "theme"
PARTIAL = "partials/languages/{code}.html"
"""Where the theme looks for a language's interface strings, under the theme's folders."""
LANGUAGES = Path(material.__file__).parent / "templates" / "partials" / "languages"
_ENTRY = re.compile(r'^\s*"([^"]+)":\s*"((?:[^"\\]|\\.)*)",?\s*$')
_NOT_TEXT = ("language", "direction", "search.config.")
"""Keys that hold settings, not words: they come from the language itself."""


def has_theme_translation(code: str) -> bool:
    return (LANGUAGES / f"{code}.html").is_file()


@cache
def _english() -> dict[str, str]:
    found: dict[str, str] = {}
    for line in (LANGUAGES / "en.html").read_text(encoding="utf-8").splitlines():
        match = _ENTRY.match(line)
        if match:
            found[match.group(1)] = json.loads(f'"{match.group(2)}"')
    return found


def theme_strings() -> dict[str, str]:
    """The theme's English interface strings that a translator translates, by key."""
    return {k: v for k, v in _english().items() if not k.startswith(_NOT_TEXT)}


def language_partial(lang: Language, translator: Translator) -> str:
    """A theme language file for lang, in the shape the theme imports."""
    values = dict(_english())
    values["language"] = lang.code
    values["direction"] = lang.dir
    for key, text in theme_strings().items():
        values[key] = translator.pgettext(key, text)
    entries = ",\n".join(
        f"  {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()
    )
    return (
        "{#- Made by packgen from the theme catalog; edit locales/*/LC_MESSAGES/theme.po -#}\n"
        "{% macro t(key) %}{{ {\n" + entries + "\n}[key] }}{% endmacro %}\n"
    )
