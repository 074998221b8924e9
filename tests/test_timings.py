"""`packgen build --timings`: every stage and every language of a real build, timed."""

from __future__ import annotations

import re

from click.testing import CliRunner

from packgen.cli import main
from packgen.timings import STAGES, Timings, timing_lines

ROW = re.compile(r"^  (?P<label>.+?)\s+(?P<seconds>\d+\.\d\d) s\s+(?P<share>\d+\.\d)%$")


def table(stdout: str) -> dict[str, dict[str, float]]:
    """The printed table as {section: {label: seconds}}; sections are 'stages' and 'en', ..."""
    sections: dict[str, dict[str, float]] = {}
    current = None
    for line in stdout.splitlines():
        if line == "stages:":
            current = sections.setdefault("stages", {})
        elif line.startswith("language ") and line.endswith(":"):
            current = sections.setdefault(line[len("language ") : -1], {})
        elif current is not None and (match := ROW.match(line)):
            current[match["label"]] = float(match["seconds"])
    return sections


def build(*args: str):
    result = CliRunner().invoke(main, ["build", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def test_timings_name_every_stage_and_language(write_pack, tmp_path):
    root = write_pack()
    result = build(str(root), "--out", str(tmp_path / "site"), "--timings")
    found = table(result.stdout)
    assert list(found) == ["stages", "en", "fr", "ar"]
    stages = found["stages"]
    assert [label for label in stages if label in STAGES] == STAGES
    assert {"other", "total", "packgen's own"} <= set(stages)
    # The stages are parts of the build: together they never take longer than the whole.
    assert sum(stages[name] for name in STAGES) <= stages["total"] + 0.01
    assert stages["packgen's own"] <= stages["total"]
    for lang in ("en", "fr", "ar"):
        assert list(found[lang]) == ["localise", "page render", "writing sources", "MkDocs"]
        assert found[lang]["MkDocs"] > 0  # timed in the worker that built the language


def test_timings_leave_out_stages_that_did_not_run(write_pack, tmp_path):
    root = write_pack()
    result = build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--lang", "fr")
    assert "stages:" not in result.stdout  # only asked for
    result = build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--timings")
    found = table(result.stdout)
    assert "PDFs" not in found["stages"]
    assert "MkDocs" in found["stages"]


def test_a_language_part_counts_towards_its_stage_but_a_worker_record_does_not():
    timings = Timings()
    with timings.language("localise", "en"):
        pass
    with timings.language("localise", "fr"):
        pass
    timings.record("MkDocs", "en", 2.5)
    timings.add("MkDocs", 1.5)
    timings.finish()
    assert timings.stages["localise"] == (
        timings.languages["en"]["localise"] + timings.languages["fr"]["localise"]
    )
    assert timings.stages["MkDocs"] == 1.5
    assert timings.languages["en"]["MkDocs"] == 2.5
    lines = timing_lines(timings)
    assert lines[0] == "stages:"
    assert "language fr:" in lines
    assert any(ROW.match(line) and "MkDocs" in line and " 2.50 s" in line for line in lines)


def test_a_build_with_nothing_to_do_times_only_its_check(write_pack, tmp_path):
    root = write_pack()
    build(str(root), "--out", str(tmp_path / "site"), "--no-pdf")
    found = table(build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--timings").stdout)
    assert [label for label in found["stages"] if label in STAGES] == ["up-to-date check"]
