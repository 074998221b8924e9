from __future__ import annotations

from pathlib import Path

from packgen.errors import Problems
from packgen.loader import load_yaml


def load(tmp_path: Path, text: str):
    path = tmp_path / "x.yml"
    path.write_text(text, encoding="utf-8")
    problems = Problems()
    return load_yaml(path, problems), problems


def test_values_and_keys_remember_their_line_and_column(tmp_path):
    doc, problems = load(tmp_path, "id: a\nsteps:\n  - title: One\n    minutes: 5\n")
    assert not problems.items
    assert doc.data == {"id": "a", "steps": [{"title": "One", "minutes": 5}]}
    assert doc.values[("steps", 0, "minutes")] == (4, 14)
    assert doc.keys[("steps", 0, "minutes")] == (4, 5)
    assert doc.location(("steps", 0, "title")).line == 3


def test_location_falls_back_to_the_nearest_parent(tmp_path):
    doc, _ = load(tmp_path, "id: a\nsteps:\n  - title: One\n")
    where = doc.location(("steps", 0, "minutes"))
    assert (where.line, where.column) == (3, 5)


def test_duplicate_keys_are_reported_with_both_lines(tmp_path):
    _, problems = load(tmp_path, "id: a\ntitle: x\nid: b\n")
    [problem] = problems.errors
    assert problem.location.line == 3
    assert "duplicate key 'id'" in problem.message
    assert "line 1" in problem.message


def test_syntax_error_gives_line_and_no_exception(tmp_path):
    doc, problems = load(tmp_path, "id: a\ntitle: [unclosed\nsummary: b\n")
    assert doc is None
    [problem] = problems.errors
    assert problem.location.line >= 2
    assert "invalid YAML" in problem.message


def test_unsafe_tags_are_refused(tmp_path):
    doc, problems = load(tmp_path, "id: !!python/object/apply:os.system ['echo hi']\n")
    assert doc is None
    assert "invalid YAML" in problems.errors[0].message


def test_not_utf8_is_a_problem(tmp_path):
    path = tmp_path / "x.yml"
    path.write_bytes(b"title: caf\xe9\n")
    problems = Problems()
    assert load_yaml(path, problems) is None
    assert "not UTF-8" in problems.errors[0].message


def test_problem_shows_the_offending_line_with_a_caret(tmp_path):
    _, problems = load(tmp_path, "id: a\nid: b\n")
    text = str(problems.errors[0])
    assert text.splitlines()[0].endswith("x.yml:2:1: duplicate key 'id' (first given on line 1)")
    assert text.splitlines()[1].strip() == "id: b"
    assert text.splitlines()[2].strip() == "^"
