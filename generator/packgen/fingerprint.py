"""Digests of what a build reads, so that a build can tell what changed without parsing it.

A pack's inputs are the files of its layers that packgen reads (pack.yml,
mkdocs.yml and the content, exercises, templates, locales and overrides
folders) and any other file the last build used (a logo kept elsewhere in
the pack, the font files of the PDFs). packgen itself counts as an input
too: its own files, the versions of every installed distribution, and the
environment variables that change what a build writes.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import platform
import re
import secrets
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from packgen.paths import CHECKED_FILES, CHECKED_FOLDERS

_DIST_INFO = re.compile(r"(?P<name>[^-]+)-(?P<version>[^-]+)\.dist-info")

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
    found = sorted(_distribution_names())
    return text_digest(platform.python_version(), *found)


def _distribution_names() -> Iterator[str]:
    """name==version of each installed distribution, from its metadata folder's name.

    An installer names the folder `<name>-<version>.dist-info` and renames it on every
    upgrade, so the names tell what reading each METADATA file would (that reading costs
    a no-op build a third of its time); a folder named otherwise is read.
    """
    for dist in distributions():
        folder = getattr(dist, "_path", None)
        match = _DIST_INFO.fullmatch(folder.name) if isinstance(folder, Path) else None
        if match:
            yield f"{_normalised(match['name'])}=={match['version']}"
        elif name := dist.metadata["Name"]:
            yield f"{_normalised(name)}=={dist.version}"


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def environment() -> str:
    return text_digest(*(f"{name}={os.environ.get(name, '')}" for name in ENVIRONMENT))


RECORD_KEY = "record-key"
"""The file, in packgen's folder of the user's cache, whose secret seals the build records."""


def user_cache() -> Path:
    """packgen's folder in this user's cache, outside every pack."""
    cache_home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache_home) / "packgen"


@cache
def _record_key() -> bytes:
    """This user's secret for sealing records, made on first use.

    A record says "this output is what these inputs make", and an output it
    vouches for is published as it is. A pack folder can arrive with a build/
    folder in it (a partner's zip), so a record must be one this user's
    packgen wrote: the secret lives outside every pack. Where it cannot be
    kept, a secret for this process alone is used, and the next run starts over.
    """
    path = user_cache() / RECORD_KEY
    with contextlib.suppress(OSError):
        kept = path.read_bytes()
        if len(kept) >= 32:
            return kept
    made = secrets.token_bytes(32)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{RECORD_KEY}.{os.getpid()}")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(made)
        os.replace(partial, path)
        return path.read_bytes()  # another process may have put its own there first
    except OSError:
        return made


def _seal(text: str) -> str:
    return hmac.new(_record_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()


def write_sealed(path: Path, data: dict[str, Any]) -> None:
    """Write a record as JSON with this user's seal, in one step (a reader never sees half)."""
    body = json.dumps(data, indent=1, sort_keys=True)
    text = json.dumps({"seal": _seal(body), "record": body}, indent=1) + "\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def read_sealed(path: Path) -> dict[str, Any] | None:
    """A record write_sealed wrote for this user; None when absent, broken or not sealed so."""
    try:
        outer = json.loads(path.read_text(encoding="utf-8"))
        body = outer["record"]
        if not isinstance(body, str) or not hmac.compare_digest(str(outer["seal"]), _seal(body)):
            return None
        data = json.loads(body)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return data if isinstance(data, dict) else None
