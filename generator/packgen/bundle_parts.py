"""Offline bundles made beside each language's build: every entry compressed once, in the
worker that built the language, and the zips put together at the end by copying entries.

Right after its MkDocs build, a language's worker deflates each file of its
site once, for its own bundle and the bundle of every language. A page is
changed differently for each (see bundle.py): it is deflated in each form,
once when both come out the same. The worker sees no other language's
files, so a link of a page into another language is taken to lead
somewhere; `assemble_bundles` checks each such guess against the files the
languages hold and makes a page whose guess was wrong again. The zips are
the ones `bundle.write_bundles` writes, byte for byte; that function remains
for a build whose parts are missing or were made for other forms.
"""

from __future__ import annotations

import logging
import os
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from packgen.build_state import Bundle
from packgen.bundle import (
    COMPRESSION,
    DOWNLOADS,
    Moved,
    _chapters_in_book,
    _chooser,
    _linked_extras,
    bundle_names,
    bundle_page,
    read_source,
    write_bundles,
    zip_date,
)
from packgen.zip_writer import Deflated, ZipWriter, deflate

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundleJob:
    """What a language's worker needs to make the language's part of the bundles."""

    lang: str
    site: Path
    """The language's built site (work/<lang>/site)."""
    parts: Path
    """The file its compressed entries are written to."""
    codes: list[str]
    pack_id: str
    layers: list[Path]
    source: str
    title: str
    extras: list[str]
    """The names of the files that will lie beside the zips (the digital forms)."""


@dataclass(frozen=True)
class Part:
    name: str
    crc: int
    size: int
    offset: int
    length: int
    alone: bool
    """In the language's own bundle."""
    together: bool
    """In the bundle of every language."""


@dataclass
class BundleParts:
    job: BundleJob
    parts: list[Part] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    """The extras the language's own bundle holds: those its pages link to."""
    guesses: dict[str, list[str]] = field(default_factory=dict)
    """Each page's links into other languages, taken to lead somewhere in the bundle of all."""


class _Guessed:
    """The files of the bundle of every language as one language's worker knows them."""

    def __init__(self, known: set[str], others: tuple[str, ...]) -> None:
        self.known = known
        self.others = others
        self.guessed: set[str] = set()

    def __contains__(self, path: object) -> bool:
        if not isinstance(path, str):
            return False
        if path in self.known:
            return True
        if path.startswith(self.others):
            self.guessed.add(path)
            return True
        return False


def make_parts(job: BundleJob) -> BundleParts:
    """Deflate every entry a language gives the bundles, into job.parts; returns their index."""
    lang, codes = job.lang, job.codes
    own: dict[str, Path | bytes] = {}
    for path in sorted(job.site.rglob("*")):
        if path.is_file():
            own[f"{lang}/{path.relative_to(job.site).as_posix()}"] = path
    alone: dict[str, Path | bytes] = dict(own)
    alone["index.html"] = _chooser(job.layers, [lang], {lang: job.title}).encode("utf-8")
    moved: dict[str, Moved] = _chapters_in_book(alone, lang, job.pack_id, job.layers, job.source)
    linked = _linked_extras(alone, [Path(name) for name in job.extras], [lang])
    for extra in linked:
        alone[f"{DOWNLOADS}/{extra.name}"] = b""
    present = set(alone)
    together = len(codes) > 1
    known = set(own) | {"index.html"} | {f"{DOWNLOADS}/{name}" for name in job.extras}
    others = tuple(f"{code}/" for code in codes if code != lang)
    result = BundleParts(job, extras=[extra.name for extra in linked])
    partial = job.parts.with_name(f".{job.parts.name}.partial")
    job.parts.parent.mkdir(parents=True, exist_ok=True)
    with partial.open("wb") as out:
        position = 0

        def put(name: str, entry: Deflated, *, alone: bool, together: bool) -> None:
            nonlocal position
            out.write(entry.data)
            result.parts.append(
                Part(name, entry.crc, entry.size, position, len(entry.data), alone, together)
            )
            position += len(entry.data)

        for name in sorted(set(own) | {"index.html"}):
            in_alone, in_all = name in alone, together and name in own
            data = read_source(alone[name] if in_alone else own[name])
            if not name.endswith(".html"):
                put(name, deflate(data, COMPRESSION), alone=in_alone, together=in_all)
                continue
            mine = bundle_page(name, data, [lang], moved, present) if in_alone else None
            every = None
            if in_all:
                guess = _Guessed(known, others)
                every = bundle_page(name, data, codes, {}, guess)
                if guess.guessed:
                    result.guesses[name] = sorted(guess.guessed)
            if mine is not None and mine == every:
                put(name, deflate(mine, COMPRESSION), alone=True, together=True)
                continue
            if mine is not None:
                put(name, deflate(mine, COMPRESSION), alone=True, together=False)
            if every is not None:
                put(name, deflate(every, COMPRESSION), alone=False, together=True)
    partial.replace(job.parts)
    return result


def assemble_bundles(
    pack_id: str,
    codes: list[str],
    titles: dict[str, str],
    site: Path,
    made: dict[str, BundleParts],
    *,
    layers: list[Path],
    source: str,
) -> list[Bundle]:
    """The zips of write_bundles, from the entries the languages' workers compressed."""
    target = site / DOWNLOADS
    target.mkdir(exist_ok=True)
    extras = sorted(p for p in target.iterdir() if p.is_file() and p.suffix != ".zip")
    names = [p.name for p in extras]
    fits = set(made) == set(codes) and all(
        parts.job.extras == names and parts.job.codes == codes and parts.job.parts.is_file()
        for parts in made.values()
    )
    if not fits:
        log.debug("bundles zipped here: the languages' parts are not those of this build")
        return write_bundles(layers, pack_id, codes, titles, site, source=source)
    squeezed = {f"{DOWNLOADS}/{p.name}": deflate(p.read_bytes(), COMPRESSION) for p in extras}
    bundles = bundle_names(pack_id, codes)
    with ExitStack() as stack:
        opened = {code: stack.enter_context(made[code].job.parts.open("rb")) for code in codes}
        for bundle in bundles:
            entries: dict[str, Deflated | tuple[BinaryIO, Part]] = {}
            if bundle.lang:
                parts = made[bundle.lang]
                for part in parts.parts:
                    if part.alone:
                        entries[part.name] = (opened[bundle.lang], part)
                for name in parts.extras:
                    entries[f"{DOWNLOADS}/{name}"] = squeezed[f"{DOWNLOADS}/{name}"]
            else:
                for code in codes:
                    for part in made[code].parts:
                        if part.together:
                            entries[part.name] = (opened[code], part)
                entries.update(squeezed)
                present = set(entries) | {"index.html"}
                index = (site / "index.html").read_bytes()
                entries["index.html"] = deflate(
                    bundle_page("index.html", index, codes, {}, present), COMPRESSION
                )
                for code in codes:
                    for page, guessed in made[code].guesses.items():
                        if not all(path in present for path in guessed):
                            data = read_source(made[code].job.site / page.split("/", 1)[1])
                            again = bundle_page(page, data, codes, {}, present)
                            entries[page] = deflate(again, COMPRESSION)
            path = target / bundle.name
            _write(path, entries)
            bundle.size = path.stat().st_size
            log.debug("bundle %s: %d files, %d bytes", bundle.name, len(entries), bundle.size)
    return bundles


def _write(path: Path, entries: dict[str, Deflated | tuple[BinaryIO, Part]]) -> None:
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as out:
        writer = ZipWriter(out, zip_date())
        for name in sorted(entries):
            entry = entries[name]
            if not isinstance(entry, Deflated):
                handle, part = entry
                handle.seek(part.offset)
                entry = Deflated(part.crc, part.size, handle.read(part.length))
            writer.add(name, entry)
        writer.close()
    os.replace(partial, path)
