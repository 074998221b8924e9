"""`include:` and `exclude:` choose what is in a pack; the menu and related links follow."""

from __future__ import annotations

from pathlib import Path

from packgen.build import build, check
from packgen.resolve import load_pack

from .conftest import EXERCISE_YML

MENU = """\
id: tiny
title: Tiny pack
languages: [en]
contents:
  - page: index.md
  - section: Everyday
    contents:
      - exercise: first-steps
  - section: Remote teams
    contents:
      - exercise: call-round
"""
FIRST = EXERCISE_YML.replace(
    "purpose: Practise asking questions.",
    "purpose: Practise asking questions.\nrelated: [call-round]\ntags: [everyday]",
)
SECOND = (
    EXERCISE_YML.replace("id: first-steps", "id: call-round")
    .replace("title: First steps", "title: Call round")
    .replace("purpose: Practise asking questions.", "purpose: Practise by phone.\ntags: [remote]")
)


def _pack(write_pack, pack_yml: str, page: str = "# Tiny home\n\nWelcome.\n") -> Path:
    return write_pack(
        {
            "pack.yml": pack_yml,
            "exercises/first-steps.yml": FIRST,
            "exercises/call-round.yml": SECOND,
            "content/index.md": page,
        }
    )


def test_exclude_by_tag_leaves_out_the_page_its_menu_entry_and_links(write_pack, tmp_path):
    root = _pack(write_pack, MENU + "exclude:\n  tags: [remote]\n")
    pack, problems = load_pack(root)
    assert pack is not None and problems.errors == [] and problems.warnings == []
    assert sorted(pack.sources) == ["first-steps"]
    assert pack.sources["first-steps"].definition.related == []
    assert [item.section for item in pack.config.contents] == [None, "Everyday"]
    build(root, tmp_path / "site", printables=False)
    assert not (tmp_path / "site/en/exercises/call-round.html").exists()
    home = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    assert "Remote teams" not in home and "Call round" not in home
    first = (tmp_path / "site/en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "call-round" not in first


def test_include_by_id_keeps_only_those(write_pack):
    root = _pack(write_pack, MENU + "include:\n  ids: [call-round]\n")
    pack, _ = load_pack(root)
    assert pack is not None
    assert sorted(pack.sources) == ["call-round"]
    assert [item.section for item in pack.config.contents] == [None, "Remote teams"]


def test_a_link_to_what_is_left_out_is_reported_at_its_line(write_pack):
    page = "# Tiny home\n\nWelcome.\n\nTry [the call round](exercises/call-round.md).\n"
    root = _pack(write_pack, MENU + "exclude:\n  ids: [call-round]\n", page)
    _, problems = check(root)
    [warning] = problems.warnings
    assert (Path(warning.location.path).name, warning.location.line) == ("index.md", 5)
    assert "left out of this pack" in warning.message


def test_a_selector_naming_nothing_is_a_warning_at_its_line(write_pack):
    root = _pack(write_pack, MENU + "exclude:\n  ids: [call-rund]\n  tags: [remote]\n")
    _, problems = load_pack(root)
    [warning] = problems.warnings
    assert warning.location.line == len(MENU.splitlines()) + 2
    assert "no exercise, tool or log has id 'call-rund'" in warning.message
    assert "call-round" in warning.message
