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
        elif line.endswith(":") and not line.startswith(" "):
            current = sections.setdefault(line[:-1], {})
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
    assert list(found) == ["stages", "build", "en", "fr", "ar"]
    stages = found["stages"]
    assert [label for label in stages if label in STAGES] == STAGES
    # The stages are the work of every process: their sum is all stage work, packgen's own
    # is all of it but MkDocs.
    work = sum(stages[name] for name in STAGES)
    assert abs(work - stages["all stage work"]) <= 0.01 * len(STAGES)
    assert abs(stages["packgen's own"] - (work - stages["MkDocs"])) <= 0.01 * len(STAGES)
    assert found["build"]["all stage work"] == stages["all stage work"]
    # The main process's stages took part of the build's wall clock; the workers' are beside.
    assert found["build"]["main process stages"] <= found["build"]["wall clock"] + 0.01
    for lang in ("en", "fr", "ar"):
        assert list(found[lang]) == [
            "localise",
            "page render",
            "writing sources",
            "MkDocs",
            "trim",
            "bundles",
        ]
        assert found[lang]["MkDocs"] > 0  # timed in the worker that built the language
    # A stage of the workers is the sum of its languages there.
    for name in ("MkDocs", "trim", "bundles"):
        summed = sum(found[lang][name] for lang in ("en", "fr", "ar"))
        assert abs(stages[name] - summed) <= 0.02


def test_timings_leave_out_stages_that_did_not_run(write_pack, tmp_path):
    root = write_pack()
    result = build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--lang", "fr")
    assert "stages:" not in result.stdout  # only asked for
    result = build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--timings")
    found = table(result.stdout)
    assert "PDFs" not in found["stages"]
    assert "MkDocs" in found["stages"]


def test_the_stages_of_workers_add_up_with_those_of_the_main_process():
    timings = Timings()
    with timings.language("localise", "en"):
        pass
    with timings.language("localise", "fr"):
        pass
    timings.worker("MkDocs", "en", 2.5)
    timings.worker("MkDocs", "fr", 3.0)
    timings.worker("bundles", "en", 0.5)
    timings.add("copy", 1.0)
    timings.finish()
    assert timings.stages["localise"] == (
        timings.languages["en"]["localise"] + timings.languages["fr"]["localise"]
    )
    assert timings.stages["MkDocs"] == 5.5
    assert timings.languages["en"]["MkDocs"] == 2.5
    assert timings.work == sum(timings.stages.values())
    assert timings.own == timings.work - 5.5
    assert timings.main == timings.stages["localise"] + 1.0  # the workers' are not the main's
    lines = timing_lines(timings)
    assert lines[0] == "stages:"
    assert "language fr:" in lines
    assert any(ROW.match(line) and "MkDocs" in line and " 5.50 s" in line for line in lines)
    own = next(line for line in lines if "packgen's own" in line)
    share = float(own.split()[-1].rstrip("%"))
    assert abs(share - 100 * timings.own / timings.work) < 0.1


def test_a_build_with_nothing_to_do_times_only_its_check(write_pack, tmp_path):
    root = write_pack()
    build(str(root), "--out", str(tmp_path / "site"), "--no-pdf")
    found = table(build(str(root), "--out", str(tmp_path / "site"), "--no-pdf", "--timings").stdout)
    assert [label for label in found["stages"] if label in STAGES] == ["up-to-date check"]
