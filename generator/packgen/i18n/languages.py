"""Facts about a language that pages need: its own name and its writing direction."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from babel import Locale, UnknownLocaleError

# Right-to-left scripts, for codes Babel does not know.
_RTL_FALLBACK = {"ar", "fa", "he", "ps", "ur", "yi", "dv", "ku-IQ", "ckb", "sd", "ug"}


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    """The language's name in itself, e.g. 'Français', 'العربية'."""
    english_name: str
    rtl: bool

    @property
    def dir(self) -> str:
        return "rtl" if self.rtl else "ltr"


def is_known(code: str) -> bool:
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return False
    return True


@cache
def language(code: str) -> Language:
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Language(code, code, code, code in _RTL_FALLBACK)
    name = locale.get_display_name(locale) or code
    return Language(
        code=code,
        name=name[:1].upper() + name[1:],
        english_name=locale.get_display_name("en") or code,
        rtl=locale.character_order == "right-to-left",
    )


def name_in(code: str, reader: str) -> str:
    """The name of language code as readers of language reader call it: 'anglais' in French."""
    try:
        locale = Locale.parse(reader.replace("-", "_"))
        name = Locale.parse(code.replace("-", "_")).get_display_name(locale)
    except (UnknownLocaleError, ValueError):
        return language(code).english_name
    return name or language(code).english_name
