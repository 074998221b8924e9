"""How fast packgen builds, against plain MkDocs measured in the same run; see README.md.

Full site builds (no PDFs) of synthetic packs at several sizes, each against the
baseline of `mkdocs build` of the same generated Markdown, one language after
another; then rebuilds (nothing changed, one exercise edited, one catalog edited)
of a mid-size synthetic pack and of a copy of the flagship pack, against their
full builds; then, on the flagship copy, how long `packgen serve` takes to show an
edit. Prints every figure beside its target and rewrites the results part of
benchmarks/README.md. Run with `make benchmark` (add BENCH_ARGS=--full for 1,000
exercises).
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import yaml
from measure import Run, compare, machine, run, size, snapshot
from synthetic import LANGUAGES, REPO, make_pack

HERE = Path(__file__).resolve().parent
README = HERE / "README.md"
START = "<!-- results: written by benchmarks/build_speed.py, do not edit by hand -->"
END = "<!-- end of results -->"
DEFAULT_SIZES = [50, 300]
FULL_SIZES = [50, 300, 1000]
TARGET_SIZE = 300
MEMORY_SIZE = 1000
MEMORY_LIMIT = 1.5e9
FLAGSHIP_PARTS = ["pack.yml", "mkdocs.yml", "content", "exercises", "templates", "locales"]
FLAGSHIP_PARTS += ["overrides"]
PACKGEN = [sys.executable, "-m", "packgen"]
MKDOCS = [sys.executable, "-m", "mkdocs"]
_ROW = re.compile(r"^  (?P<label>.+?)\s+(?P<seconds>\d+\.\d\d) s\s+\d+\.\d%$")


@dataclass
class Figure:
    name: str
    value: str
    target: str = ""
    met: bool | None = None
    seconds: str = ""
    """The raw seconds the figure comes from."""


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        mark = {True: "met", False: "NOT MET", None: ""}[figure.met]
        target = f"(target {figure.target}: {mark})" if figure.target else ""
        raw = f"[{figure.seconds}]" if figure.seconds else ""
        print(f"  {figure.name:<66} {figure.value:>10}  {target} {raw}".rstrip(), flush=True)

    def note(self, text: str) -> None:
        self.notes.append(text)
        print(f"  note: {text}", flush=True)


def timings(stdout: str) -> dict[str, dict[str, float]]:
    """The tables of `packgen build --timings`: {"stages": {stage: seconds}, lang: {...}}."""
    found: dict[str, dict[str, float]] = {}
    current: dict[str, float] | None = None
    for line in stdout.splitlines():
        if line == "stages:":
            current = found.setdefault("stages", {})
        elif line.startswith("language ") and line.endswith(":"):
            current = found.setdefault(line[len("language ") : -1], {})
        elif not line.startswith("  "):
            current = None
        elif current is not None and (match := _ROW.match(line)):
            current[match["label"]] = float(match["seconds"])
    return found


def build(pack: Path, out: Path, *, pdf: bool, check: bool = True) -> Run:
    command = [*PACKGEN, "build", str(pack), "--out", str(out), "--timings"]
    return run(command + ([] if pdf else ["--no-pdf"]), check=check)


def fresh(pack: Path, *outs: Path) -> None:
    """Remove the pack's work folder and these outputs: the next build starts from nothing."""
    for folder in (pack / "build", *outs):
        if folder.exists():
            shutil.rmtree(folder)


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


# Full builds at each size --------------------------------------------------------------


@dataclass
class SizeResult:
    exercises: int
    languages: int
    packgen: float
    baseline: float
    own: float
    total: float
    peak: int
    peak_process: int
    site_sizes: dict[str, int]
    mkdocs_in_workers: float
    """MkDocs' seconds in packgen's workers, every language's added up."""

    @property
    def units(self) -> int:
        return self.exercises * self.languages

    @property
    def site_per_language(self) -> float:
        return sum(self.site_sizes.values()) / len(self.site_sizes)


@dataclass
class Failed:
    exercises: int
    languages: int
    seconds: float
    message: str


def full_build(tmp: Path, exercises: int, languages: list[str]) -> SizeResult | Failed:
    print(f"- {exercises} exercises x {len(languages)} languages: writing the pack", flush=True)
    root = make_pack(tmp / f"pack-{exercises}", exercises, languages)
    out = tmp / f"site-{exercises}"
    print("  packgen build --no-pdf", flush=True)
    built = build(root, out, pdf=False, check=False)
    if built.returncode:
        shutil.rmtree(root)
        message = " ".join((built.stdout + built.stderr).split())
        print(f"  failed: {message}", flush=True)
        return Failed(exercises, len(languages), built.seconds, message.replace(str(root), "…"))
    tables = timings(built.stdout)
    stages = tables.get("stages", {})
    baseline = 0.0
    for lang in languages:
        print(f"  plain mkdocs build ({lang})", flush=True)
        config = root / "build" / lang / "mkdocs.yml"
        plain = tmp / f"plain-{exercises}" / lang
        baseline += run([*MKDOCS, "build", "-q", "-f", str(config), "-d", str(plain)]).seconds
    result = SizeResult(
        exercises=exercises,
        languages=len(languages),
        packgen=built.seconds,
        baseline=baseline,
        own=stages.get("packgen's own", 0.0),
        total=stages.get("all stage work", built.seconds),
        peak=built.peak_tree,
        peak_process=built.peak_process,
        site_sizes={lang: size(out / lang) for lang in languages},
        mkdocs_in_workers=sum(tables.get(lang, {}).get("MkDocs", 0.0) for lang in languages),
    )
    for folder in (root, out, tmp / f"plain-{exercises}"):
        shutil.rmtree(folder)  # a 1,000-exercise pack's sites take a lot of disk
    return result


def size_figures(report: Report, measured: list[SizeResult | Failed]) -> None:
    results = [r for r in measured if isinstance(r, SizeResult)]
    for failed in (r for r in measured if isinstance(r, Failed)):
        report.add(
            Figure(
                f"{failed.exercises} x {failed.languages}: site build (no PDFs)",
                "failed",
                "completes",
                False,
                f"after {failed.seconds:.1f} s: {failed.message}",
            )
        )
    for r in results:
        label = f"{r.exercises} x {r.languages}"
        at_target = r.exercises == TARGET_SIZE
        value = ratio(r.packgen, r.baseline)
        report.add(
            Figure(
                f"{label}: site build / plain MkDocs (one language after another)",
                f"{value:.2f}",
                "≤ 0.6" if at_target else "",
                value <= 0.6 if at_target else None,
                f"{r.packgen:.1f} s / {r.baseline:.1f} s",
            )
        )
        share = ratio(r.own, r.total)
        report.add(
            Figure(
                f"{label}: packgen's own stages / all stage work (every process)",
                f"{share:.1%}",
                "≤ 10%",
                share <= 0.10,
                f"{r.own:.1f} s of {r.total:.1f} s",
            )
        )
        report.add(
            Figure(
                f"{label}: MkDocs in packgen's workers, summed / plain MkDocs",
                f"{ratio(r.mkdocs_in_workers, r.baseline):.2f}",
                seconds=f"{r.mkdocs_in_workers:.1f} s / {r.baseline:.1f} s",
            )
        )
        report.add(
            Figure(
                f"{label}: seconds per (exercise x language)",
                f"{r.packgen / r.units * 1000:.1f} ms",
                seconds=f"{r.packgen:.1f} s / {r.units}",
            )
        )
        at_memory = r.exercises == MEMORY_SIZE
        report.add(
            Figure(
                f"{label}: peak memory of the build's processes together",
                mb(r.peak),
                "< 1.5 GB" if at_memory else "",
                r.peak < MEMORY_LIMIT if at_memory else None,
                f"largest process {mb(r.peak_process)}",
            )
        )
        report.add(
            Figure(
                f"{label}: site size per language",
                mb(r.site_per_language),
                seconds=", ".join(f"{k} {mb(v)}" for k, v in r.site_sizes.items()),
            )
        )
    if len(results) < 2:
        return
    first, last = results[0], results[-1]
    # A cost that grows linearly, plus what any build costs once, makes the cost per unit fall
    # as the pack grows: at the largest size it should be no more than at the smallest.
    growth = ratio(last.packgen / last.units, first.packgen / first.units)
    report.add(
        Figure(
            f"linearity: time per unit at {last.exercises} / at {first.exercises}",
            f"{growth:.2f}",
            "≤ 1.0",
            growth <= 1.0,
        )
    )
    grown = ratio(
        last.site_per_language / last.exercises, first.site_per_language / first.exercises
    )
    report.add(
        Figure(
            f"site size per exercise at {last.exercises} / at {first.exercises}",
            f"{grown:.2f}",
            "≤ 1.0",
            grown <= 1.0,
            f"{first.site_per_language / first.exercises / 1e3:.0f} kB, "
            f"{last.site_per_language / last.exercises / 1e3:.0f} kB",
        )
    )
    for a, b in itertools.pairwise(results[1:]):
        before = (a.packgen - first.packgen) / (a.units - first.units)
        after = (b.packgen - a.packgen) / (b.units - a.units)
        measurable = before > 0 and after > 0  # a noisy run can build a larger pack faster
        value = ratio(after, before)
        report.add(
            Figure(
                f"linearity: added time per unit {a.exercises}→{b.exercises} / "
                f"{first.exercises}→{a.exercises}",
                f"{value:.2f}" if measurable else "noise",
                "≤ 1.2",
                value <= 1.2 if measurable else None,
                f"{before * 1000:.1f} ms, {after * 1000:.1f} ms",
            )
        )


# Rebuilds ------------------------------------------------------------------------------


def edit_exercise(pack: Path) -> str:
    """Change one sentence of the first exercise: the first line of its first step."""
    path = sorted((pack / "exercises").glob("*.yml"))[0]
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.match(r"\s*(- )?instructions: [|>]", line):
            lines[i + 1] = lines[i + 1].rstrip("\n") + " Edited.\n"
            path.write_text("".join(lines), encoding="utf-8")
            return path.relative_to(pack).as_posix()
    raise SystemExit(f"{path}: no block of instructions to edit")


def edit_catalog(pack: Path, lang: str) -> str:
    """Change one translation in the language's content catalog."""
    path = pack / "locales" / lang / "LC_MESSAGES" / "pack.po"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for i, line in enumerate(lines):
        if re.fullmatch(r'msgstr "(.+)"\n', line):
            lines[i] = line[: -len('"\n')] + ' (v2)"\n'
            path.write_text("".join(lines), encoding="utf-8")
            return path.relative_to(pack).as_posix()
    raise SystemExit(f"{path}: no one-line translation to edit")


def rebuild_figures(report: Report, name: str, pack: Path, tmp: Path) -> None:
    languages = yaml.safe_load((pack / "pack.yml").read_text(encoding="utf-8"))["languages"]
    site_only, site = tmp / f"{name}-site-only", tmp / f"{name}-site"

    print(f"- {name}: site-only build, then nothing changed", flush=True)
    fresh(pack, site_only)
    full_site = build(pack, site_only, pdf=False)
    site_only_before = snapshot(site_only)
    noop_site = build(pack, site_only, pdf=False)
    site_only_changes = compare(site_only_before, snapshot(site_only))

    print(f"- {name}: full build with PDFs, then nothing changed", flush=True)
    fresh(pack, site)
    full = build(pack, site, pdf=True)
    site_before, work_before = snapshot(site), snapshot(pack / "build")
    noop = build(pack, site, pdf=True)
    changes = compare(site_before, snapshot(site))
    work_changes = compare(work_before, snapshot(pack / "build"))

    print(f"- {name}: one exercise edited, then one catalog edited", flush=True)
    edited = edit_exercise(pack)
    before = snapshot(site)
    one_exercise = build(pack, site, pdf=True)
    exercise_changes = compare(before, snapshot(site))
    catalog = edit_catalog(pack, languages[1])
    before = snapshot(site)
    one_catalog = build(pack, site, pdf=True)
    catalog_changes = compare(before, snapshot(site))

    def share(part: Run, whole: Run, target: float, what: str) -> None:
        value = ratio(part.seconds, whole.seconds)
        report.add(
            Figure(
                f"{name}: {what}",
                f"{value:.2f}",
                f"≤ {target:.2f}",
                value <= target,
                f"{part.seconds:.1f} s / {whole.seconds:.1f} s",
            )
        )

    share(noop, full, 0.05, "no-op rebuild / full build with PDFs")
    share(noop_site, full_site, 0.10, "no-op site-only rebuild / site-only build")
    share(one_exercise, full, 0.30, f"one exercise edited ({edited}) / full")
    share(one_catalog, full, 0.30, f"one catalog edited ({catalog}) / full")
    for label, found, files in (
        ("with PDFs", changes, len(site_before)),
        ("site only", site_only_changes, len(site_only_before)),
    ):
        report.add(
            Figure(
                f"{name}: no-op rebuild ({label}), site files rewritten",
                f"{found.count} of {files}",
                "0",
                found.count == 0,
            )
        )
    report.add(
        Figure(
            f"{name}: no-op rebuild, work-folder files rewritten",
            f"{work_changes.count} of {len(work_before)}",
        )
    )
    report.add(
        Figure(
            f"{name}: one exercise edited, site files rewritten",
            f"{exercise_changes.count} of {len(site_before)}",
        )
    )
    rewritten = [lang for lang in languages if lang in catalog_changes.top_folders()]
    report.add(
        Figure(
            f"{name}: one {languages[1]} catalog edited, languages rewritten",
            ", ".join(rewritten) or "none",
            f"{languages[1]} only",
            rewritten == [languages[1]],
        )
    )
    for folder in (site_only, site):
        shutil.rmtree(folder)


def copy_flagship(tmp: Path) -> Path:
    """The repository's own pack, copied so that no build or edit touches the repository."""
    root = tmp / "flagship"
    root.mkdir()
    for part in FLAGSHIP_PARTS:
        source = REPO / part
        if source.is_dir():
            shutil.copytree(source, root / part)
        elif source.is_file():
            shutil.copy(source, root / part)
    return root


# serve ---------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _page(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode("utf-8", "replace"))
    except (urllib.error.URLError, OSError):
        return None


def _wait(test: Callable[[], bool], seconds: float, poll: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if test():
            return True
        time.sleep(poll)
    return False


def serve_figure(report: Report, pack: Path) -> None:
    """Seconds from saving an edit to the edited page showing it, through `packgen serve`."""
    path = sorted((pack / "exercises").glob("*.yml"))[0]
    key = yaml.safe_load(path.read_text(encoding="utf-8"))["id"]
    port = _free_port()
    lang = yaml.safe_load((pack / "pack.yml").read_text(encoding="utf-8"))["languages"][0]
    url = f"http://127.0.0.1:{port}/{lang}/exercises/{key}.html"
    print("- flagship: packgen serve --no-pdf, one exercise edited", flush=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [*PACKGEN, "serve", str(pack), "--port", str(port), "--no-pdf"]
    server = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if not _wait(lambda: _page(url) is not None, 600, 0.5):
            report.note("serve: the preview did not start within 10 minutes; not measured")
            return
        time.sleep(2)  # let the watcher settle after the first build
        token = f"Serve edit {os.getpid()}."
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        for i, line in enumerate(lines):
            if re.match(r"\s*(- )?instructions: [|>]", line):
                lines[i + 1] = lines[i + 1].rstrip("\n") + f" {token}\n"
                break
        started = time.perf_counter()
        path.write_text("".join(lines), encoding="utf-8")
        shown = _wait(lambda: token in (_page(url) or ""), 600, 0.1)
        seconds = time.perf_counter() - started
        if not shown:
            report.note("serve: the edit did not show within 10 minutes")
            return
        report.add(
            Figure(
                "flagship: serve (no PDFs), save to edited page served",
                f"{seconds:.1f} s",
                "≤ 2 s",
                seconds <= 2.0,
            )
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# The report ----------------------------------------------------------------------------


def results_markdown(
    report: Report, facts: dict[str, str], command: str, started: datetime, took: float
) -> str:
    facts = {**facts, "load average at the end": " ".join(f"{x:.2f}" for x in os.getloadavg())}
    rows = ["| figure | value | target | from |", "|---|---:|---|---|"]
    for f in report.figures:
        mark = {True: " (met)", False: " (**not met**)", None: ""}[f.met]
        target = f"{f.target}{mark}" if f.target else ""
        rows.append(f"| {f.name} | {f.value} | {target} | {f.seconds} |")
    lines = [
        START,
        "",
        f"Measured {started:%Y-%m-%d %H:%M} UTC with `{command}` in {took / 60:.1f} minutes.",
        "",
        *(f"- {key}: {value}" for key, value in facts.items()),
        "",
        *rows,
    ]
    if report.notes:
        lines += ["", *(f"- {note}" for note in report.notes)]
    return "\n".join([*lines, "", END])


def write_readme(text: str) -> None:
    current = README.read_text(encoding="utf-8") if README.exists() else ""
    if START in current and END in current:
        head, rest = current.split(START, 1)
        tail = rest.split(END, 1)[1]
        README.write_text(head + text + tail, encoding="utf-8")
    else:
        README.write_text(current.rstrip() + "\n\n## Results\n\n" + text + "\n", encoding="utf-8")
    print(f"results written into {README.relative_to(REPO)}")


def options(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sizes = os.environ.get("BENCH_SIZES")
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[int(n) for n in sizes.split(",")] if sizes else None,
        help="exercises in each synthetic pack, e.g. 50,300 (env BENCH_SIZES; default 50,300)",
    )
    parser.add_argument(
        "--full",
        action="store_true",
        default=os.environ.get("BENCH_FULL") == "1",
        help="sizes 50,300,1000: the 1,000 case takes long (env BENCH_FULL=1)",
    )
    parser.add_argument(
        "--languages",
        type=int,
        default=int(os.environ.get("BENCH_LANGUAGES", len(LANGUAGES))),
        help=f"languages of the synthetic packs, 1 to {len(LANGUAGES)} (default all)",
    )
    parser.add_argument(
        "--mid",
        type=int,
        default=int(os.environ.get("BENCH_MID", "10")),
        help="exercises of the mid-size pack for the rebuild figures (default 10)",
    )
    parser.add_argument("--no-sizes", action="store_true", help="skip the full builds by size")
    parser.add_argument("--no-mid", action="store_true", help="skip the mid-size pack's rebuilds")
    parser.add_argument("--no-flagship", action="store_true", help="skip the flagship's rebuilds")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve figure")
    parser.add_argument("--no-readme", action="store_true", help="print only; leave README.md")
    args = parser.parse_args(argv)
    if args.sizes is None:
        args.sizes = FULL_SIZES if args.full else DEFAULT_SIZES
    if not 1 <= args.languages <= len(LANGUAGES):
        parser.error(f"--languages: 1 to {len(LANGUAGES)}")
    return args


def main(argv: list[str] | None = None) -> None:
    args = options(argv)
    started, clock = datetime.now(UTC), time.perf_counter()
    facts = machine()
    report = Report()
    languages = LANGUAGES[: args.languages]
    command = "python benchmarks/build_speed.py " + " ".join(sys.argv[1:] if argv is None else argv)

    def record(final: bool) -> None:
        """Into README.md after each part, so that a run stopped early keeps what it measured."""
        if args.no_readme:
            return
        took = time.perf_counter() - clock
        text = results_markdown(report, facts, command.strip(), started, took)
        if not final:
            text = text.replace(END, "*(still running: the parts above are done)*\n\n" + END)
        write_readme(text)

    with tempfile.TemporaryDirectory(prefix="packgen-bench-") as name:
        tmp = Path(name)
        if not args.no_sizes:
            results: list[SizeResult | Failed] = []
            for n in sorted(args.sizes):
                results.append(full_build(tmp, n, languages))
                if n != max(args.sizes):  # kept in README.md so far, in case the run stops
                    partial = Report()
                    size_figures(partial, results)
                    report.figures, report.notes = partial.figures, partial.notes
                    record(final=False)
                    report.figures, report.notes = [], []
            print("full site builds (no PDFs), against plain MkDocs in the same run:")
            size_figures(report, results)
            if MEMORY_SIZE not in args.sizes:
                report.note(
                    f"peak memory is checked against 1.5 GB at {MEMORY_SIZE} exercises: "
                    "run with --full"
                )
            record(final=False)
        if not args.no_mid:
            mid = make_pack(tmp / "mid", args.mid, languages)
            rebuild_figures(report, f"mid ({args.mid} x {len(languages)})", mid, tmp)
            record(final=False)
        if not args.no_flagship:
            rebuild_figures(report, "flagship", copy_flagship(tmp), tmp)
            record(final=False)
        if not args.no_serve:
            (tmp / "serve").mkdir()
            serve_figure(report, copy_flagship(tmp / "serve"))
    record(final=True)
    print(f"done in {(time.perf_counter() - clock) / 60:.1f} minutes")


if __name__ == "__main__":
    main()
