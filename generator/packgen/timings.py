"""How long each stage of a build took, and each language within it, for `build --timings`.

A build records into one Timings: a stage as a whole (`stage`), a stage's share
for one language (`language`, which also counts towards the stage), or work
timed elsewhere (`record`: MkDocs runs in worker processes, languages at the
same time, so their seconds add up to more than the stage's wall-clock time).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

STAGES = [
    "up-to-date check",
    "load+resolve",
    "localise",
    "PDFs",
    "forms",
    "links",
    "page render",
    "writing sources",
    "MkDocs",
    "copy+bundles",
    "keeping unchanged files",
    "swap",
]
"""The stages of a build in the order they run; MkDocs is the one that is not packgen's."""


@dataclass
class Timings:
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    """Wall-clock seconds of each stage, in the order the stages first ran."""
    languages: dict[str, dict[str, float]] = field(default_factory=dict)
    """Seconds of each language in the stages timed per language."""

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    @contextmanager
    def language(self, name: str, lang: str) -> Iterator[None]:
        """One language's part of a stage whose languages run one after another."""
        started = time.perf_counter()
        try:
            yield
        finally:
            seconds = time.perf_counter() - started
            self.add(name, seconds)
            self.record(name, lang, seconds)

    def add(self, name: str, seconds: float) -> None:
        self.stages[name] = self.stages.get(name, 0.0) + seconds

    def record(self, name: str, lang: str, seconds: float) -> None:
        """A language's seconds in a stage, without counting them towards the stage's total."""
        per_stage = self.languages.setdefault(lang, {})
        per_stage[name] = per_stage.get(name, 0.0) + seconds

    def finish(self) -> None:
        self.ended = time.perf_counter()

    @property
    def total(self) -> float:
        return (self.ended or time.perf_counter()) - self.started

    @property
    def own(self) -> float:
        """Seconds spent in packgen's own stages: everything but MkDocs."""
        return self.total - self.stages.get("MkDocs", 0.0)


def _row(label: str, seconds: float, total: float) -> str:
    share = 100 * seconds / total if total > 0 else 0.0
    return f"  {label:<22}{seconds:9.2f} s {share:5.1f}%"


def timing_lines(timings: Timings) -> list[str]:
    """The table `build --timings` shows: every stage, then every language's stages.

    One stage or language a line, `label  seconds s  share%`, so scripts can read it.
    """
    total = timings.total
    named = [name for name in STAGES if name in timings.stages]
    named += [name for name in timings.stages if name not in STAGES]
    lines = ["stages:"]
    lines += [_row(name, timings.stages[name], total) for name in named]
    lines.append(_row("other", max(0.0, total - sum(timings.stages.values())), total))
    lines.append(_row("total", total, total))
    lines.append(_row("packgen's own", timings.own, total))
    for lang, per_stage in timings.languages.items():
        lines.append(f"language {lang}:")
        lines += [_row(name, seconds, total) for name, seconds in per_stage.items()]
    return lines
