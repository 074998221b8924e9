"""Reusing the PDFs whose input did not change since the last build.

A PDF is keyed by a hash of everything it is made from: its HTML (the text,
the labels, the date from SOURCE_DATE_EPOCH), its stylesheets (print CSS,
paper size, font rules), the bytes of every font and image file
it uses, whether it has form fields, and the versions of the libraries that
draw it (WeasyPrint and its Python helpers, Pango and HarfBuzz). The PDFs of
the last build stay in the work folder, `build/<lang>/downloads/`, and their
keys in `build/<lang>/downloads.json`; `site/` cannot hold them, as each
build replaces it whole.
"""

from __future__ import annotations

import ctypes
import logging
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.fingerprint import read_sealed, text_digest, write_sealed
from packgen.paths import DOWNLOADS
from packgen.printables.compact import COMPACT_REVISION
from packgen.printables.fonts import digest

if TYPE_CHECKING:
    from packgen.printables.bookparts import PartEntry

log = logging.getLogger(__name__)

MANIFEST = f"{DOWNLOADS}.json"
RENDERERS = ("weasyprint", "pydyf", "fonttools")
# Pango shapes the text and HarfBuzz subsets the fonts: a system upgrade changes the bytes.
SYSTEM_LIBRARIES = (
    ("libpango-1.0.so.0", "pango_version_string"),
    ("libharfbuzz.so.0", "hb_version_string"),
    ("libharfbuzz-subset.so.0", None),
)


@cache
def renderers() -> str:
    """Versions of everything that draws a PDF, read without starting WeasyPrint."""
    found = [f"{name} {version(name)}" for name in RENDERERS]
    for library, function in SYSTEM_LIBRARIES:
        try:
            loaded = ctypes.CDLL(library)
        except OSError:
            found.append(f"{library} missing")
            continue
        if function is None:
            found.append(f"{library} present")
            continue
        getter = getattr(loaded, function)
        getter.restype = ctypes.c_char_p
        found.append(f"{library} {getter().decode()}")
    return "; ".join(found)


def input_key(
    html: str, stylesheets: tuple[tuple[str, str], ...], files: list[Path], forms: bool
) -> str:
    """Hash of a PDF's complete input; equal keys give equal bytes."""
    # Files count by their content, not by where they are: the key (and with it the PDF's
    # identifier) stays the same in another folder or on another machine.
    contents = {path.as_uri(): digest(path) for path in set(files)}

    def portable(text: str) -> str:
        for uri, content in contents.items():
            text = text.replace(uri, content)
        return text

    return text_digest(
        renderers(),
        f"compact={COMPACT_REVISION}",
        f"forms={forms}",
        portable(html),
        *(portable(css) for css, _origin in stylesheets),
        *sorted(contents.values()),
    )


class PdfCache:
    """The PDFs of one language in the work folder, and the key each was rendered from."""

    def __init__(self, work: Path) -> None:
        self.folder = work / DOWNLOADS
        self.manifest = work / MANIFEST
        self.keys: dict[str, str] = {}
        # What WeasyPrint said while drawing each PDF: a reused PDF says it again, so a
        # second `build --strict` fails where the first did.
        self.warnings: dict[str, list[str]] = {}
        # Sealed: a manifest that came with the pack folder could vouch for any PDF.
        loaded = read_sealed(self.manifest) or {}
        for name, entry in loaded.items():
            if isinstance(entry, dict) and isinstance(entry.get("key"), str):
                self.keys[str(name)] = entry["key"]
                said = entry.get("warnings")
                if isinstance(said, list):
                    self.warnings[str(name)] = [str(w) for w in said]
        self._saved = self._entries()

    def path(self, name: str) -> Path:
        return self.folder / name

    def fresh(self, name: str, key: str) -> bool:
        return self.keys.get(name) == key and self.path(name).is_file()

    def record(self, name: str, key: str, warnings: list[str] | None = None) -> None:
        self.keys[name] = key
        if warnings:
            self.warnings[name] = list(warnings)
        else:
            self.warnings.pop(name, None)

    def forget(self, name: str) -> None:
        self.keys.pop(name, None)
        self.warnings.pop(name, None)

    def _entries(self) -> dict[str, object]:
        return {
            name: {"key": key, "warnings": self.warnings.get(name, [])}
            for name, key in self.keys.items()
        }

    def size(self, name: str) -> int:
        return self.path(name).stat().st_size

    def keep_only(self, names: set[str]) -> None:
        """Remove PDFs this build no longer makes, such as those of a removed exercise."""
        for name in list(self.keys):
            if name not in names:
                self.forget(name)
        if self.folder.is_dir():
            for path in sorted(self.folder.rglob("*")):
                if path.is_file() and path.relative_to(self.folder).as_posix() not in names:
                    path.unlink()
                    log.debug("removed %s, which this build no longer makes", path)

    def save(self) -> None:
        entries = self._entries()
        if entries == self._saved:
            return
        write_sealed(self.manifest, entries)
        self._saved = entries


PARTS = "book-parts"


class PartsCache:
    """The parts of one language's whole-pack book as last drawn (bookparts.py): their PDFs
    in `build/<lang>/book-parts/`, and what each is, in `build/<lang>/book-parts.json`."""

    def __init__(self, work: Path) -> None:
        from packgen.printables.bookparts import PartEntry

        self.folder = work / PARTS
        self.manifest = work / f"{PARTS}.json"
        loaded = read_sealed(self.manifest) or {}
        entries = loaded.get("parts") if isinstance(loaded.get("parts"), list) else []
        found = (PartEntry.from_json(item) for item in entries or [])
        self.entries = [e for e in found if e is not None and e.file(self.folder).is_file()]
        self._saved = [e.to_json() for e in self.entries]

    def save(self, entries: list[PartEntry]) -> None:
        """Keep entries (the parts the book is bound from now) and only their PDFs."""
        records = [e.to_json() for e in entries]
        if records != self._saved:
            write_sealed(self.manifest, {"parts": records})
            self._saved = records
        wanted = {e.file(self.folder).name for e in entries}
        if self.folder.is_dir():
            for path in sorted(self.folder.glob("*.pdf")):
                if path.name not in wanted:
                    path.unlink()
