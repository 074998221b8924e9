"""What the last build made, and from what: the next build redoes only what changed.

Two records, both in the work folder (the site folder is replaced whole by each
build, so it cannot hold them):

- `build/state.json`, for the build as a whole: a key over every input (the
  pack's files, packgen's own files, installed versions, the options and the
  environment), the listing of the site it wrote (each file's size and time),
  and what the build reported. When the key and the site on disk are both as
  recorded, the build has nothing to do and writes nothing.
- `build/<lang>/site.json`, for one language's MkDocs site: a key over the
  sources packgen wrote for it (pages, assets, theme, config, PDFs) and the
  warnings MkDocs gave. A language whose key is unchanged is not built again.

A record is written only after what it describes is complete, and removed
before that thing is remade, so a stopped build never leaves a record that
claims more than is on disk.
"""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import os
import zlib
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from packgen.errors import Location, Problem, Problems, Severity
from packgen.fingerprint import (
    code_digest,
    digests,
    environment,
    input_files,
    installed_versions,
    read_sealed,
    text_digest,
    write_sealed,
)
from packgen.paths import DEFAULTS_DIR
from packgen.printables.cache import renderers

log = logging.getLogger(__name__)

STATE_FILE = "state.json"
SITE_RECORD = "site.json"
FORMAT = 2
"""Bumped when the records change shape; a record of another format is not trusted.

Every record is sealed with this user's secret (fingerprint.write_sealed): one that
came with the pack folder, from another machine or by hand, is not trusted either.
"""


@dataclass
class Bundle:
    """An offline zip of the site, as the build's report and its record name it."""

    name: str
    lang: str | None
    """None for the bundle of every language."""
    size: int = 0


@dataclass
class Inputs:
    """Everything a build's output depends on, as one key, and the file digests behind it."""

    key: str
    files: dict[str, str]


def build_inputs(layers: list[Path], also: list[str], options: dict[str, Any]) -> Inputs:
    """The key of a build: the layers' files, the other files it read, packgen, the options."""
    # packgen's own defaults are a layer of every pack, and part of packgen's own files.
    layers = [layer for layer in layers if layer != DEFAULTS_DIR]
    files = digests(input_files(layers, [Path(p) for p in also]))
    key = text_digest(
        f"format={FORMAT}",
        code_digest(),
        installed_versions(),
        renderers(),
        environment(),
        json.dumps(options, sort_keys=True),
        *(str(layer) for layer in layers),
        *(f"{path}={digest}" for path, digest in sorted(files.items())),
    )
    return Inputs(key, files)


def listing(site: Path) -> dict[str, list[int]]:
    """Each file of a site with its size and modification time, by its path in the site."""
    found: dict[str, list[int]] = {}
    if not site.is_dir():
        return found
    for current, dirs, files in os.walk(site):
        dirs.sort()
        for name in files:
            path = Path(current) / name
            stat = path.lstat()
            found[path.relative_to(site).as_posix()] = [stat.st_size, stat.st_mtime_ns]
    return found


def _packed(data: Any) -> str:
    """JSON, compressed and in base64: a record of warnings stays small, and the pack text
    they quote (a refused script, a bad link) is never copied as such into build/."""
    return base64.b64encode(zlib.compress(json.dumps(data).encode("utf-8"))).decode("ascii")


def _unpacked(text: Any) -> Any:
    return json.loads(zlib.decompress(base64.b64decode(str(text), validate=True)))


def _problem_record(problem: Problem) -> dict[str, Any]:
    return {
        "path": problem.location.path,
        "line": problem.location.line,
        "column": problem.location.column,
        "message": problem.message,
        "severity": str(problem.severity),
    }


def _problem(record: dict[str, Any]) -> Problem:
    # The line shown under a problem is read again from its file (unchanged, or the build
    # would not be replayed), so that no pack text is copied into the record.
    location = Location(str(record["path"]), int(record["line"]), int(record["column"]))
    said = Problems()
    if Severity(record["severity"]) is Severity.WARNING:
        said.warning(location, str(record["message"]))
    else:
        said.error(location, str(record["message"]))
    return said.items[0]


@dataclass
class BuildState:
    """The last complete build into one site folder."""

    key: str
    out: str
    layers: list[str]
    also: list[str]
    """Files outside the layers' own folders that the build read: fonts, a logo elsewhere."""
    site: dict[str, list[int]]
    languages: list[str]
    untranslated: dict[str, int] = field(default_factory=dict)
    pdfs: int = 0
    bundles: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[dict[str, Any]] = field(default_factory=list)
    inputs: dict[str, str] = field(default_factory=dict)

    def problems(self) -> list[Problem]:
        return [_problem(record) for record in self.warnings]

    def bundle_list(self) -> list[Bundle]:
        return [Bundle(str(b["name"]), b.get("lang"), int(b["size"])) for b in self.bundles]

    def site_intact(self) -> bool:
        """The site folder holds exactly the files this build wrote, untouched since."""
        return listing(Path(self.out)) == self.site

    def changed_files(self, now: dict[str, str]) -> list[str]:
        """Input files added, removed or edited since this build, for the log."""
        names = set(self.inputs) | set(now)
        return sorted(name for name in names if self.inputs.get(name) != now.get(name))


def read_state(work: Path) -> BuildState | None:
    """The record of the last build that used this work folder; None when there is none."""
    try:
        raw = read_sealed(work / STATE_FILE)
        if raw is None or raw.pop("format", None) != FORMAT:
            return None
        return BuildState(
            key=str(raw["key"]),
            out=str(raw["out"]),
            layers=[str(p) for p in raw["layers"]],
            also=[str(p) for p in raw["also"]],
            site={str(k): [int(n) for n in v] for k, v in raw["site"].items()},
            languages=[str(c) for c in raw["languages"]],
            untranslated={str(k): int(v) for k, v in raw.get("untranslated", {}).items()},
            pdfs=int(raw.get("pdfs", 0)),
            bundles=list(raw.get("bundles", [])),
            warnings=list(_unpacked(raw["warnings"])),
            inputs={str(k): str(v) for k, v in raw.get("inputs", {}).items()},
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error):
        return None  # no record, or one this version cannot read: build everything


def forget_state(work: Path) -> None:
    """Remove the record before the site changes, so a stopped build leaves none that lies."""
    with contextlib.suppress(FileNotFoundError):
        (work / STATE_FILE).unlink()


def write_state(
    work: Path,
    inputs: Inputs,
    *,
    out: Path,
    layers: list[Path],
    also: list[str],
    languages: list[str],
    untranslated: dict[str, int],
    pdfs: int,
    bundles: list[Bundle],
    warnings: list[Problem],
) -> None:
    """Record a complete build, once its site is in place."""
    write_sealed(
        work / STATE_FILE,
        {
            "format": FORMAT,
            "key": inputs.key,
            "out": str(out),
            "layers": [str(layer) for layer in layers],
            "also": sorted(also),
            "site": listing(out),
            "languages": languages,
            "untranslated": untranslated,
            "pdfs": pdfs,
            "bundles": [asdict(bundle) for bundle in bundles],
            "warnings": _packed([_problem_record(problem) for problem in warnings]),
            "inputs": inputs.files,
        },
    )


@dataclass
class SiteRecord:
    """One language's MkDocs site in the work folder: the key of its sources, its warnings."""

    key: str
    warnings: list[str]


def read_site_record(workdir: Path) -> SiteRecord | None:
    try:
        raw = read_sealed(workdir / SITE_RECORD)
        if raw is None or raw.get("format") != FORMAT:
            return None
        return SiteRecord(str(raw["key"]), [str(w) for w in _unpacked(raw["warnings"])])
    except (OSError, ValueError, KeyError, TypeError, AttributeError, zlib.error):
        return None


def forget_site_record(workdir: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        (workdir / SITE_RECORD).unlink()


def write_site_record(workdir: Path, record: SiteRecord) -> None:
    write_sealed(
        workdir / SITE_RECORD,
        {"format": FORMAT, "key": record.key, "warnings": _packed(record.warnings)},
    )


def site_key(sources: str) -> str:
    """The key of one language's site: its sources' digest, packgen's files and versions."""
    return text_digest(f"format={FORMAT}", sources, code_digest(), installed_versions())
