"""Reading gettext catalogs and looking strings up, with fallback to the source text."""

from __future__ import annotations

import gettext
import logging
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import PoFileError, read_po

from packgen.errors import Location, Problems
from packgen.loader import display_path

log = logging.getLogger(__name__)

CONTENT_DOMAIN = "pack"
UI_DOMAIN = "ui"


def catalog_path(root: Path, lang: str, domain: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, problems: Problems) -> Catalog | None:
    """Parse a PO file; a broken one is reported and treated as absent, never fatal."""
    try:
        with path.open("rb") as handle:
            return read_po(handle, abort_invalid=True)
    except PoFileError as exc:
        line = getattr(exc, "lineno", 0) or 0
        problems.warning(
            Location(display_path(path), line, 1 if line else 0),
            f"unreadable translation catalog, using the source text instead: {exc}",
        )
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.warning(
            Location(display_path(path)),
            f"unreadable translation catalog, using the source text instead: {exc}",
        )
    return None


@dataclass
class Translator:
    """Looks up source strings for one language; the first catalog that has one wins."""

    lang: str
    catalogs: list[Catalog] = field(default_factory=list)
    is_source: bool = False
    """The source language has nothing to look up and nothing missing."""
    missing: set[str] = field(default_factory=set)

    def gettext(self, message: str) -> str:
        if self.is_source or not message or not message.strip():
            return message
        for catalog in self.catalogs:
            entry = catalog.get(message)
            if entry is not None and entry.string and not entry.fuzzy:
                return str(entry.string)
        self.missing.add(message)
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.is_source:
            return singular if n == 1 else plural
        for catalog in self.catalogs:
            entry = catalog.get(singular)
            if entry is None or entry.fuzzy or not isinstance(entry.string, tuple | list):
                continue
            forms = list(entry.string)
            index = _plural_index(catalog, n)
            if 0 <= index < len(forms) and forms[index]:
                return str(forms[index])
        self.missing.add(singular)
        return singular if n == 1 else plural


def _plural_index(catalog: Catalog, n: int) -> int:
    try:
        return int(gettext.c2py(catalog.plural_expr)(n))
    except (ValueError, SyntaxError):
        return int(n != 1)


def load_translator(
    layers: list[Path], lang: str, domain: str, source_lang: str, problems: Problems
) -> Translator:
    """A translator for lang over every layer of the pack (the pack itself before its bases)."""
    translator = Translator(lang, is_source=lang == source_lang)
    if translator.is_source:
        return translator
    for root in layers:
        path = catalog_path(root, lang, domain)
        if path.is_file():
            catalog = read_catalog(path, problems)
            if catalog is not None:
                translator.catalogs.append(catalog)
    return translator
