"""Digests of what a build reads, so that a build can tell what changed without parsing it.

A pack's inputs are the files of its layers that packgen reads (pack.yml,
mkdocs.yml and the content, exercises, templates, locales and overrides
folders) and any other file the last build used (a logo kept elsewhere in
the pack, the font files of the PDFs). packgen itself counts as an input
too: its own files, the versions of every installed distribution, and the
environment variables that change what a build writes.
"""

from __future__ import annotations

import hashlib
import os
import platform
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import distributions
from pathlib import Path

from packgen.paths import CHECKED_FILES, CHECKED_FOLDERS

PACKAGE = Path(__file__).resolve().parent
ENVIRONMENT = ("SOURCE_DATE_EPOCH", "PACKGEN_FONT_DIRS")
"""Variables whose value can change a build's output."""
_CHUNK = 1 << 20


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes; "missing" when it cannot be read."""
    hasher = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(_CHUNK):
                hasher.update(chunk)
    except OSError:
        return "missing"
    return hasher.hexdigest()


def text_digest(*parts: str) -> str:
    """SHA-256 of several strings, kept apart so that ("ab", "c") and ("a", "bc") differ."""
    hasher = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        hasher.update(len(data).to_bytes(8, "big") + data)
    return hasher.hexdigest()


def _files_under(folder: Path) -> Iterator[Path]:
    for current, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            yield Path(current) / name


def input_files(layers: Iterable[Path], also: Iterable[Path] = ()) -> list[Path]:
    """Every file of the layers that a build may read, and the other files named in also."""
    found: set[Path] = set()
    for layer in layers:
        for name in CHECKED_FILES:
            if (layer / name).is_file():
                found.add(layer / name)
        for folder in CHECKED_FOLDERS:
            if (layer / folder).is_dir():
                found.update(_files_under(layer / folder))
    found.update(Path(path) for path in also)
    return sorted(found)


def digests(files: Iterable[Path]) -> dict[str, str]:
    """Each file's digest, by its path."""
    return {str(path): file_digest(path) for path in files}


@cache
def code_digest() -> str:
    """packgen's own files (code, theme, default templates): a new packgen rebuilds everything."""
    parts = [
        f"{path.relative_to(PACKAGE).as_posix()}:{file_digest(path)}"
        for path in _files_under(PACKAGE)
        if path.suffix not in {".pyc", ".pyo"}
    ]
    return text_digest(*parts)


@cache
def installed_versions() -> str:
    """Python and every installed distribution with its version: an upgrade rebuilds."""
    found = sorted(
        f"{dist.metadata['Name']}=={dist.version}"
        for dist in distributions()
        if dist.metadata["Name"]
    )
    return text_digest(platform.python_version(), *found)


def environment() -> str:
    return text_digest(*(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT))
