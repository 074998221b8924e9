"""`packgen build` and `packgen check`: tell whether a build has work to do, then do it.

Whether anything changed is told from the layers' pack.yml files and the digests of
the pack's files alone: the stages (build_stages.py), with pydantic, Jinja, MkDocs and
WeasyPrint behind them, are imported only when there is something to build.
"""

from __future__ import annotations

import logging
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING

from packgen.build_report import BuildReport
from packgen.build_state import (
    BuildState,
    Inputs,
    build_inputs,
    read_state,
    write_state,
)
from packgen.errors import BuildFailed, PackInvalid, Problems
from packgen.layers import find_pack_root, read_layers
from packgen.loader import display_path
from packgen.output import check_output, output_lock
from packgen.timings import Timings

if TYPE_CHECKING:
    from packgen.pack import Pack

log = logging.getLogger(__name__)

WORK_DIR = "build"

__all__ = ["WORK_DIR", "BuildReport", "build", "check"]


def check(path: Path) -> tuple[Pack | None, Problems]:
    """Load and validate without writing anything, translations included.

    Links between pages are checked too, as a build checks them.
    """
    from packgen.build_stages import check_pack

    return check_pack(path)


def build(
    path: Path,
    out: Path | None = None,
    languages: list[str] | None = None,
    *,
    strict: bool = False,
    work_dir: Path | None = None,
    printables: bool = True,
    carry_over: bool = False,
) -> BuildReport:
    """Build the site of each language; printables=False leaves out the PDFs and their links.

    Only what changed is made again: with nothing changed since the last build
    into the same folder, nothing is read past the files' digests and nothing
    is written. carry_over builds only the given languages and keeps every
    other language's site of the last build as it was, for a quick preview;
    the next build without it brings them up to date.
    """
    timings = Timings()
    root = find_pack_root(path)
    out = (out or root / "site").resolve()
    work = (work_dir or root / WORK_DIR).resolve()
    # The layers alone (their pack.yml read, nothing else), to check --out before any lock
    # is taken and to tell an unchanged build without loading the pack.
    unread = Problems()
    read = read_layers(root, unread)
    if read is None:  # what load_pack would say, as it reads the layers the same way
        raise PackInvalid(unread.sorted())
    layers = read[0]
    check_output(out, layers, work)
    with ExitStack() as held:
        # The work folder first, then the output, always in that order: no two builds wait
        # on each other, and none writes another's build/<lang>/mkdocs.yml.
        held.enter_context(output_lock(work))
        held.enter_context(output_lock(out))
        try:
            options = {"languages": languages or [], "printables": printables, "out": str(out)}
            with timings.stage("up-to-date check"):
                state = None if carry_over else read_state(work)
                unchanged = None
                if state is not None:
                    inputs = build_inputs(layers, state.also, options)
                    unchanged = _unchanged(state, inputs, out)
            if unchanged is not None:
                timings.finish()
                return _as_before(unchanged, strict=strict, timings=timings)
            from packgen.build_stages import build_pack

            report, pack = build_pack(
                root, out, work, languages, strict, printables, carry_over, timings
            )
            if carry_over:
                timings.finish()
                return report  # not recorded: the languages carried over may be out of date
            also = [str(p) for p in report.files_read]
            inputs = build_inputs(pack.layers, also, options)
            write_state(
                work,
                inputs,
                out=out,
                layers=pack.layers,
                also=also,
                languages=report.languages,
                untranslated=report.untranslated,
                pdfs=report.pdfs_rendered + report.pdfs_reused,
                bundles=report.bundles,
                warnings=report.warnings,
            )
            timings.finish()
            return report
        except OSError as exc:  # a full disk, a folder this user may not write
            where = display_path(Path(exc.filename)) if exc.filename else display_path(out)
            raise BuildFailed(
                f"cannot write {where}: {exc.strerror or exc}; the previous site is kept"
            ) from None


def _unchanged(state: BuildState, inputs: Inputs, out: Path) -> BuildState | None:
    """The last build's record when it is still the truth: same inputs, its site untouched."""
    if state.key != inputs.key or state.out != str(out):
        changed = state.changed_files(inputs.files)
        if changed:
            shown = ", ".join(display_path(Path(name)) for name in changed[:5])
            more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
            log.info("changed since the last build: %s%s", shown, more)
        return None
    if not state.site_intact():
        log.info("%s was changed since the last build; writing it again", display_path(out))
        return None
    return state


def _as_before(state: BuildState, *, strict: bool, timings: Timings) -> BuildReport:
    """The report of a build with nothing to do: the last build's, warnings included."""
    warnings = state.problems()
    log.info("nothing changed since the last build: the site is as it was")
    if strict and warnings:
        raise PackInvalid(warnings, "warnings in strict mode; the previous site is kept")
    return BuildReport(
        out=Path(state.out),
        languages=state.languages,
        warnings=warnings,
        untranslated=dict(state.untranslated),
        pdfs_reused=state.pdfs,
        bundles=state.bundle_list(),
        unchanged=True,
        timings=timings,
    )
