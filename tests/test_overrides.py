"""Partial overrides change part of a base's definition; the base is never copied or touched."""

from __future__ import annotations

from pathlib import Path

from packgen.build import build
from packgen.resolve import load_pack
from packgen.resolve.overrides import fingerprint

from .conftest import EXERCISE_YML

BASE_EXERCISE = (
    EXERCISE_YML
    + """\
roles:
  - name: Topic holder
    description: Brings the challenge.
  - name: Facilitator
    description: Keeps time.
checklist:
  before: [Book a quiet room, Print the guide]
"""
)
OVERRIDE = """\
overrides: first-steps
duration: 20
steps:
  ask: {minutes: 12}
  reflect:
    after: ask
    title: Reflect
    minutes: 3
    instructions: Think quietly for a moment.
roles:
  facilitator: {name: Team lead}
checklist:
  before: {remove: [Book a quiet room]}
tailoring:
  insecure: Meet inside the compound.
"""


def _tailored(write_pack, override: str, pack_extra: str = "") -> tuple[Path, Path]:
    base = write_pack({"exercises/first-steps.yml": BASE_EXERCISE}, name="base")
    child = base.parent / "child"
    (child / "exercises").mkdir(parents=True)
    (child / "pack.yml").write_text(
        "id: child\ntitle: Child pack\nextends: ../base\n" + pack_extra, encoding="utf-8"
    )
    (child / "exercises/first-steps.yml").write_text(override, encoding="utf-8")
    return base, child


def test_an_override_changes_adds_renames_and_drops_without_copying(write_pack):
    base, child = _tailored(write_pack, OVERRIDE)
    before = (base / "exercises/first-steps.yml").read_bytes()
    pack, problems = load_pack(child)
    assert pack is not None, [str(p) for p in problems.errors]
    assert problems.errors == []
    exercise = pack.definitions["first-steps"]
    assert [(s.title, s.minutes) for s in exercise.steps] == [
        ("Ask", 12),
        ("Reflect", 3),
        ("Act", 5),
    ]
    assert exercise.duration == 20
    assert [r.name for r in exercise.roles] == ["Topic holder", "Team lead"]
    assert exercise.checklist.before == ["Print the guide"]
    assert [str(k) for k in exercise.tailoring] == ["insecure"]
    assert exercise.title == "First steps"
    build(child, child / "site", ["en"], printables=False)
    page = (child / "site/en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Think quietly for a moment." in page and "Team lead" in page
    assert (base / "exercises/first-steps.yml").read_bytes() == before
    assert not (base / "site").exists()


def test_durations_are_checked_after_merging(write_pack):
    _, child = _tailored(write_pack, "overrides: first-steps\nsteps:\n  ask: {minutes: 30}\n")
    _, problems = load_pack(child)
    [warning] = [w for w in problems.warnings if "add up" in w.message]
    assert "duration is 15 minutes but the steps add up to 35" in warning.message


def test_an_override_of_a_missing_step_is_an_error_at_its_line(write_pack):
    override = "overrides: first-steps\nsteps:\n  ask: {minutes: 8}\n  acts: {minutes: 7}\n"
    _, child = _tailored(write_pack, override)
    _, problems = load_pack(child)
    [error] = problems.errors
    assert (Path(error.location.path).resolve(), error.location.line) == (
        (child / "exercises/first-steps.yml").resolve(),
        4,
    )
    assert "no step 'acts'" in error.message and "did you mean 'act'" in error.message.lower()


def test_an_override_of_a_missing_definition_is_an_error_at_its_line(write_pack):
    _, child = _tailored(write_pack, "overrides: first-step\nduration: 20\n")
    _, problems = load_pack(child)
    [error] = problems.errors
    assert error.location.line == 1
    assert "no exercise, tool or log with id 'first-step'" in error.message


def test_a_mistake_in_the_merged_definition_points_at_the_override(write_pack):
    _, child = _tailored(write_pack, "overrides: first-steps\nsteps:\n  ask: {minutes: -4}\n")
    _, problems = load_pack(child)
    [error] = problems.errors
    assert Path(error.location.path).name == "first-steps.yml"
    assert "child" in error.location.path and error.location.line == 3


def test_a_base_change_shows_and_the_override_is_flagged_until_reviewed(write_pack):
    base, child = _tailored(write_pack, OVERRIDE)
    _, problems = load_pack(child)
    [first] = [w for w in problems.warnings if "reviewed" in w.message]
    assert "has not been reviewed" in first.message and first.location.line == 1
    stamp = fingerprint(load_pack(base)[0].sources["first-steps"].doc)  # type: ignore[union-attr]
    assert stamp in first.message
    (child / "pack.yml").write_text(
        (child / "pack.yml").read_text() + f"reviewed: {{first-steps: {stamp}}}\n"
    )
    _, problems = load_pack(child)
    assert [w for w in problems.warnings if "reviewed" in w.message] == []
    # The base improves: its summary changes. The tailored pack gets it, and is told.
    exercise = base / "exercises/first-steps.yml"
    exercise.write_text(exercise.read_text().replace("A short exercise.", "A better exercise."))
    pack, problems = load_pack(child)
    assert pack is not None
    assert pack.definitions["first-steps"].summary == "A better exercise."
    [changed] = [w for w in problems.warnings if "reviewed" in w.message]
    assert "has changed since this override was last reviewed" in changed.message
    assert "base/exercises/first-steps.yml" in changed.message


def test_a_whole_file_replacement_is_flagged_when_its_base_changes(write_pack):
    replacement = BASE_EXERCISE.replace("First steps", "Our first steps")
    _, child = _tailored(write_pack, replacement)
    _, problems = load_pack(child)
    [warning] = [w for w in problems.warnings if "reviewed" in w.message]
    assert "child/exercises/first-steps.yml" in str(warning.location)
    assert "base/exercises/first-steps.yml" in warning.message
