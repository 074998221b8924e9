"""The schema as authors meet it: each mistake reported at its line, worded for a person."""

from __future__ import annotations

from packgen.resolve import load_pack

from .conftest import EXERCISE_YML


def problems_of(write_pack, exercise: str, **files: str):
    root = write_pack({"exercises/first-steps.yml": exercise, **files})
    _, problems = load_pack(root)
    return problems


VALID = EXERCISE_YML


def test_valid_definition_has_no_problems(write_pack):
    assert problems_of(write_pack, VALID).items == []


def test_unknown_key_suggests_the_close_one(write_pack):
    text = VALID.replace("summary:", "sumary:")
    [error] = problems_of(write_pack, text).errors
    assert str(error.location).endswith("first-steps.yml:4:1")
    assert "unknown key 'sumary'" in error.message
    assert "did you mean 'summary'?" in error.message


def test_missing_and_wrong_type_are_all_reported_at_once(write_pack):
    text = VALID.replace("purpose: Practise asking questions.\n", "").replace(
        "minutes: 10", "minutes: ten"
    )
    errors = problems_of(write_pack, text).errors
    messages = [e.message for e in errors]
    assert "missing required key: 'purpose'" in messages
    [wrong] = [e for e in errors if "steps[1].minutes" in e.message]
    assert "expected a whole number; found 'ten'" in wrong.message
    assert wrong.location.line == 10


def test_unknown_kind_lists_the_kinds(write_pack):
    [error] = problems_of(write_pack, VALID.replace("challenge-clinic", "challenge-clinc")).errors
    assert error.location.line == 2
    assert "set-meeting" in error.message and "tacit-tool" in error.message
    assert "did you mean 'challenge-clinic'?" in error.message


def test_unknown_tailoring_context(write_pack):
    text = VALID + "tailoring:\n  remote: Use a phone call.\n  lowliteracy: Use pictures.\n"
    [error] = problems_of(write_pack, text).errors
    assert error.location.line == 18
    assert "unknown key 'lowliteracy'" in error.message
    assert "did you mean 'low-literacy'?" in error.message


def test_group_size_order_is_checked(write_pack):
    [error] = problems_of(write_pack, VALID.replace("{min: 2, max: 5}", "{min: 6, max: 5}")).errors
    assert error.location.line == 7
    assert "min (6) must not be larger than max (5)" in error.message


def test_bad_identifier(write_pack):
    errors = problems_of(write_pack, VALID.replace("id: first-steps", "id: First Steps")).errors
    assert any("lowercase letters, digits and hyphens" in e.message for e in errors)


def test_step_minutes_not_adding_up_is_a_warning(write_pack):
    problems = problems_of(write_pack, VALID.replace("duration: 15", "duration: 20"))
    assert problems.errors == []
    [warning] = problems.warnings
    assert warning.location.line == 8
    assert "duration is 20 minutes but the steps add up to 15" in warning.message


def test_duplicate_id_names_the_other_file(write_pack):
    problems = problems_of(write_pack, VALID, **{"exercises/copy.yml": VALID})
    [error] = problems.errors
    assert "id 'first-steps' is already used by" in error.message
    assert error.location.path.endswith("first-steps.yml")


def test_unknown_related_reference(write_pack):
    problems = problems_of(write_pack, VALID + "related: [first-step]\n")
    [error] = problems.errors
    assert error.location.line == 16
    assert "no exercise or log with id 'first-step'" in error.message
    assert "did you mean 'first-steps'?" in error.message


def test_log_choice_fields_need_choices(write_pack):
    log = """\
    id: my-log
    kind: learning-log
    title: Log
    summary: Kept after each meeting.
    fields:
      - id: role
        label: Your role
        type: choice
    """
    problems = problems_of(write_pack, VALID, **{"exercises/my-log.yml": log})
    assert any("needs at least two choices" in e.message for e in problems.errors)


def test_contents_entries_are_checked(write_pack):
    pack_yml = """\
    id: tiny
    title: Tiny pack
    languages: [en, fr, xx-not-a-language]
    contents:
      - page: index.md
      - exercise: first-step
      - page: missing.md
      - page: index.md
        exercise: first-steps
    """
    problems = problems_of(write_pack, VALID, **{"pack.yml": pack_yml})
    messages = {e.location.line: e.message for e in problems.errors}
    assert "exactly one of page, exercise, generated or section" in messages[8]
    fixed = pack_yml.replace("      - page: index.md\n        exercise: first-steps\n", "")
    _, problems = load_pack(write_pack({"pack.yml": fixed.replace("xx-not-a-language", "xq")}))
    messages = {e.location.line: e.message for e in problems.errors}
    assert "unknown language code 'xq'" in messages[3]
    assert "did you mean 'first-steps'?" in messages[6]
    assert "no page 'missing.md' in content/" in messages[7]
