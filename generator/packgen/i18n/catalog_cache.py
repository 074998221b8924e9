"""Catalogs read and checked by an earlier run, kept in packgen's folder of the user's cache.

A language's catalog holds every sentence of the pack: reading and checking it
again on every build took far longer than translating the pages with it. What
a lookup needs (each entry's translation and fuzzy mark, the plural rule) and
what the checks found are kept under a key over the catalog's bytes and
packgen's own code, so a changed catalog or a new packgen reads it afresh.
The records are outside every pack and sealed with this user's secret
(fingerprint.write_sealed): a record that arrived from anywhere else is not
read. Only catalogs that read without an error are kept.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import os
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import babel

from packgen.fingerprint import code_digest, read_sealed, text_digest, user_cache, write_sealed

FORMAT = 1
"""Bumped when a record changes shape; a record of another format is not read."""
FOLDER = "catalogs"
KEPT = 32
"""The most catalogs kept; the least recently used go first."""


class Entry(NamedTuple):
    """What a lookup needs of one catalog entry: its translation (forms, for a plural)."""

    string: str | tuple[str, ...]
    fuzzy: bool


Entries = dict[tuple[str, str | None], Entry]
"""A catalog's entries by source text and context."""
ProblemRecord = tuple[str, int, int, str]
"""One problem the checks found: its severity, line, column and message."""


@dataclass
class CheckedCatalog:
    """A catalog as lookups and the checks left it."""

    entries: Entries = field(default_factory=dict)
    plural_expr: str = "(n != 1)"
    broken: set[str] = field(default_factory=set)
    problems: list[ProblemRecord] = field(default_factory=list)


def record_path(digest: str, theme: bool) -> Path:
    """Where the record of the catalog whose bytes have digest lives."""
    # The theme catalog is checked for more (its strings go into attributes).
    key = text_digest(f"format={FORMAT}", code_digest(), babel.__version__, f"{theme}", digest)
    return user_cache() / FOLDER / f"{key}.json"


def read_checked(digest: str, theme: bool) -> CheckedCatalog | None:
    """The record of an earlier read of the same catalog, when there is a sound one."""
    path = record_path(digest, theme)
    data = read_sealed(path)
    if data is None or data.get("format") != FORMAT or data.get("catalog") is None:
        return None
    try:
        found = _unpacked(data["catalog"])
    except (binascii.Error, zlib.error, ValueError, KeyError, TypeError, IndexError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: kept the longest
    return found


def keep_checked(digest: str, theme: bool, checked: CheckedCatalog) -> None:
    """Keep checked for the next run; a cache that cannot be written is done without."""
    path = record_path(digest, theme)
    with contextlib.suppress(OSError):
        write_sealed(path, {"format": FORMAT, "catalog": _packed(checked)})
        _forget_oldest(path.parent)


def _packed(checked: CheckedCatalog) -> str:
    # Compressed: the record is a fifth of the catalog's size and quicker to seal and read.
    keys = list(checked.entries)
    data = {
        # Column by column: reading them back makes no object per entry but its own.
        "sources": [source for source, _ in keys],
        "contexts": {i: context for i, (_, context) in enumerate(keys) if context is not None},
        "strings": [entry.string for entry in checked.entries.values()],
        "fuzzy": [i for i, entry in enumerate(checked.entries.values()) if entry.fuzzy],
        "plural_expr": checked.plural_expr,
        "broken": sorted(checked.broken),
        "problems": [list(problem) for problem in checked.problems],
    }
    text = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(zlib.compress(text, 1)).decode("ascii")


def _unpacked(text: Any) -> CheckedCatalog:
    data = json.loads(zlib.decompress(base64.b64decode(str(text), validate=True)))
    sources, strings = data["sources"], data["strings"]
    contexts = {int(i): str(context) for i, context in data["contexts"].items()}
    fuzzy = {int(i) for i in data["fuzzy"]}
    if len(sources) != len(strings) or not all(isinstance(s, str) for s in sources):
        raise ValueError("a record whose columns do not match")
    entries: Entries = {
        (source, contexts.get(i)): Entry(
            tuple(str(f) for f in string) if isinstance(string, list) else str(string),
            i in fuzzy,
        )
        for i, (source, string) in enumerate(zip(sources, strings, strict=True))
    }
    problems: list[ProblemRecord] = [
        (str(severity), int(line), int(column), str(message))
        for severity, line, column, message in data["problems"]
    ]
    broken = {str(key) for key in data["broken"]}
    return CheckedCatalog(entries, str(data["plural_expr"]), broken, problems)


def _forget_oldest(folder: Path) -> None:
    records = []
    for path in folder.glob("*.json"):
        if len(path.stem) != 64 or path.stem.strip("0123456789abcdef"):
            continue  # not a record of ours
        with contextlib.suppress(OSError):
            records.append((path.stat().st_mtime_ns, path))
    records.sort(reverse=True)
    for _, path in records[KEPT:]:
        with contextlib.suppress(OSError):
            path.unlink()
