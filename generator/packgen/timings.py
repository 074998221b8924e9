"""How long each stage of a build took, and each language within it, for `build --timings`.

Every stage is timed in the process where it runs: a stage of the main process
as a whole (`stage`) or for one language (`language`, which also counts
towards the stage), and a stage that ran in a worker for one language
(`worker`: MkDocs, the trimming of its site, the compression of its part of
the bundles). A stage's seconds are its work summed over the processes, so
that while the workers build languages side by side, the stages add up to
more than the build's wall-clock time; packgen's own share is that of its
stages in all of that work.
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
    "trim",
    "bundles",
    "copy",
    "zips",
    "keeping unchanged files",
    "swap",
]
"""The stages of a build in the order they run; MkDocs is the one that is not packgen's.

MkDocs, trim and bundles run in the workers, a language each, beside the main
process's page render and writing sources of the next languages."""


@dataclass
class Timings:
    started: float = field(default_factory=time.perf_counter)
    ended: float | None = None
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds of work of each stage summed over processes, in the order stages first ran."""
    main: float = 0.0
    """The seconds of the stages that ran in the main process."""
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
        """Seconds of a stage that ran in the main process."""
        self.stages[name] = self.stages.get(name, 0.0) + seconds
        self.main += seconds

    def worker(self, name: str, lang: str, seconds: float) -> None:
        """A language's seconds in a stage that ran in a worker process."""
        self.stages[name] = self.stages.get(name, 0.0) + seconds
        self.record(name, lang, seconds)

    def record(self, name: str, lang: str, seconds: float) -> None:
        """A language's seconds in a stage, without counting them towards the stage's total."""
        per_stage = self.languages.setdefault(lang, {})
        per_stage[name] = per_stage.get(name, 0.0) + seconds

    def finish(self) -> None:
        self.ended = time.perf_counter()

    @property
    def total(self) -> float:
        """Wall-clock seconds of the whole build."""
        return (self.ended or time.perf_counter()) - self.started

    @property
    def work(self) -> float:
        """Seconds of every stage in every process."""
        return sum(self.stages.values())

    @property
    def own(self) -> float:
        """Seconds spent in packgen's own stages, in every process: everything but MkDocs."""
        return self.work - self.stages.get("MkDocs", 0.0)


def _row(label: str, seconds: float, total: float) -> str:
    share = 100 * seconds / total if total > 0 else 0.0
    return f"  {label:<22}{seconds:9.2f} s {share:5.1f}%"


def timing_lines(timings: Timings) -> list[str]:
    """The table `build --timings` shows: every stage, the build, then every language's stages.

    One stage or language a line, `label  seconds s  share%`, so scripts can read it. A
    stage's share is of all stage work; the build's rows are shares of its wall-clock time
    (stage work beyond 100% is processes working at the same time).
    """
    work = timings.work
    named = [name for name in STAGES if name in timings.stages]
    named += [name for name in timings.stages if name not in STAGES]
    lines = ["stages:"]
    lines += [_row(name, timings.stages[name], work) for name in named]
    lines.append(_row("all stage work", work, work))
    lines.append(_row("packgen's own", timings.own, work))
    total = timings.total
    lines.append("build:")
    lines.append(_row("wall clock", total, total))
    lines.append(_row("all stage work", work, total))
    lines.append(_row("main process stages", timings.main, total))
    for lang, per_stage in timings.languages.items():
        lines.append(f"language {lang}:")
        lines += [_row(name, seconds, work) for name, seconds in per_stage.items()]
    return lines
