"""The fonts a learning log's PDF embeds: the field font once, whatever the fields."""

from __future__ import annotations

from pypdf import PdfReader

from packgen.build import build

from .conftest import PACK_YML, make_pack

LOG = """\
id: every-field
kind: learning-log
title: Every field
summary: One field of each type.
fields:
  - {id: when, label: When, type: date}
  - {id: what, label: What, type: text}
  - {id: story, label: Story, type: long-text}
  - {id: many, label: How many, type: number}
  - id: pick
    label: Pick one
    type: choice
    choices: [Agree, Disagree]
  - id: some
    label: Pick some
    type: multiple-choice
    choices: [Red, Blue]
"""


def embedded_fonts(pdf) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page.get("/Resources", {}).get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_a_log_embeds_one_field_font_however_its_fields_are_set(tmp_path):
    pack = PACK_YML.replace("  - exercise: first-steps\n", "  - exercise: every-field\n")
    root = make_pack(tmp_path / "pack", {"pack.yml": pack, "exercises/every-field.yml": LOG})
    build(root, tmp_path / "site", languages=["en"], work_dir=tmp_path / "work")
    fonts = embedded_fonts(tmp_path / "site/en/downloads/every-field.pdf")
    # The field font is embedded whole (any letter may be typed): a second, bold copy of it
    # would double the log's size for nothing.
    assert [f for f in fonts if f.startswith("packgen-field")] == ["packgen-field"], fonts
