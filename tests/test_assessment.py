"""Assessments: a scored checklist that loads, renders as a page and a PDF, and is translatable."""

from __future__ import annotations

import re
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from click.testing import CliRunner
from pypdf import PdfReader

from packgen.build import build
from packgen.cli import main
from packgen.i18n.extract import pack_template, po_bytes
from packgen.i18n.localise import localise
from packgen.model import Assessment
from packgen.pack import Pack
from packgen.render.pages import render_site
from packgen.render.reference import reference
from packgen.resolve import load_pack

from .conftest import PACK_YML, WritePack, make_pack
from .test_i18n import fr_po, translate
from .test_printables import normalised

ASSESSMENT_YML = """\
id: team-check
kind: assessment
title: Team check
summary: How well the team keeps what it learns.
purpose: |
  Teams forget what they knew.

  This check shows **where** it happens.
how_to_use:
  - Score it together.
  - Pick two actions.
scale:
  - value: 0
    label: Not yet
  - value: 1
    label: Sometimes
    description: Done now and then.
  - value: 2
    label: Always
sections:
  - id: starting
    title: Starting work
    intro: The first weeks.
    items:
      - id: local-voices
        text: Local colleagues shape the plan.
        hint: Look at who was in the design meeting.
      - id: old-reports
        text: We read what the last team wrote.
  - id: ending
    title: Ending work
    items:
      - id: exit-talk
        text: Leavers have an exit conversation.
reading_the_score:
  intro: Add the three sections.
  bands:
    - min: 0
      max: 2
      label: Fragile
      meaning: Most of what people know leaves with them.
    - min: 3
      max: 6
      label: Steady
      meaning: Keep going and fix the gaps.
"""

PACK_WITH_ASSESSMENT = PACK_YML + "  - exercise: team-check\n"


def assessment_pack(root: Path, text: str = ASSESSMENT_YML, langs: str = "[en, fr, ar]") -> Path:
    return make_pack(
        root,
        {
            "pack.yml": PACK_WITH_ASSESSMENT.replace("[en, fr, ar]", langs),
            "exercises/team-check.yml": text,
        },
    )


def errors_of(root: Path) -> list[str]:
    _, problems = load_pack(root)
    return [str(p) for p in problems.errors]


def line_of(text: str, needle: str, nth: int = 1) -> int:
    """The line (from 1) of the nth line of text that contains needle."""
    found = [n for n, line in enumerate(text.splitlines(), start=1) if needle in line]
    return found[nth - 1]


def test_a_valid_assessment_loads_with_its_totals(write_pack: WritePack):
    root = assessment_pack(write_pack().parent / "valid")
    pack, problems = load_pack(root)
    assert pack is not None and not problems.errors, [str(p) for p in problems.errors]
    assessment = pack.definitions["team-check"]
    assert isinstance(assessment, Assessment)
    assert assessment.item_count == 3
    assert assessment.total_range == (0, 6)
    assert assessment.section_range(assessment.sections[0]) == (0, 4)


def test_the_page_shows_every_item_with_a_column_per_score_level(write_pack: WritePack):
    root = assessment_pack(write_pack().parent / "page")
    pack, problems = load_pack(root)
    assert pack is not None
    page = render_site(localise(pack, "en", problems)).pages["exercises/team-check.md"]
    assert page.startswith("# Team check")
    header = next(line for line in page.splitlines() if line.startswith("| # |"))
    assert header.count("|") == 6  # number, item, and one column per level
    for label in ("0 · Not yet", "1 · Sometimes", "2 · Always"):
        assert label in header
    for item in (
        "Local colleagues shape the plan.",
        "We read what the last team wrote.",
        "Leavers have an exit conversation.",
    ):
        row = next(line for line in page.splitlines() if item in line)
        assert row.count("☐") == 3, row
    assert "*Look at who was in the design meeting.*" in page
    assert "1. Score it together." in page and "2. Pick two actions." in page
    # A total line per section, out of the highest score times its items, and overall.
    assert page.count("Total for this section") == 2
    assert "out of 4" in page and "out of 2" in page
    assert re.search(r"\| \*\*Overall total\*\* \| \| \*\*6\*\* \|", page)
    assert "| 0–2 | **Fragile** | Most of what people know leaves with them. |" in page


def test_how_to_use_may_be_markdown_instead_of_a_list(write_pack: WritePack):
    text = ASSESSMENT_YML.replace(
        "how_to_use:\n  - Score it together.\n  - Pick two actions.\n",
        "how_to_use: Score it *together*, once a year.\n",
    )
    root = assessment_pack(write_pack().parent / "prose", text)
    pack, problems = load_pack(root)
    assert pack is not None and not problems.errors
    page = render_site(localise(pack, "en", problems)).pages["exercises/team-check.md"]
    assert "Score it *together*, once a year." in page
    assert 'msgid "Score it *together*, once a year."' in _pot(pack)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = assessment_pack(tmp_path_factory.mktemp("assessment") / "pack", langs="[en, ar]")
    build(root, root.parent / "site", work_dir=root.parent / "work")
    return root.parent


def pdf_text(pdf: Path) -> str:
    return normalised(" ".join(page.extract_text() for page in PdfReader(pdf).pages))


def test_the_pdf_holds_every_item_and_the_page_links_it(built: Path):
    pdf = built / "site/en/downloads/checklists/team-check.pdf"
    text = pdf_text(pdf)
    for expected in (
        "Team check",
        "Starting work",
        "Local colleagues shape the plan.",
        "Look at who was in the design meeting.",
        "We read what the last team wrote.",
        "Ending work",
        "Leavers have an exit conversation.",
        "Not yet",
        "Sometimes",
        "Always",
        "Fragile",
        "Total for this section",
    ):
        assert normalised(expected) in text, expected
    page = (built / "site/en/exercises/team-check.html").read_text(encoding="utf-8")
    assert 'href="../downloads/checklists/team-check.pdf"' in page
    # The whole pack carries it too.
    assert "Leavers have an exit conversation." in pdf_text(built / "site/en/downloads/tiny.pdf")


def x_positions(pdf: Path, texts: set[str]) -> dict[str, list[float]]:
    """Where on the first page each of texts starts, from the left edge."""
    found: dict[str, list[float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip() in texts:
            found.setdefault(text.strip(), []).append(cm[4] + tm[4])

    PdfReader(pdf).pages[0].extract_text(visitor_text=visit)
    return found


def test_the_arabic_pdf_mirrors_the_scoring_table(built: Path):
    html = (built / "work/ar/print/checklists/team-check.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in html
    levels = {"Not yet", "Always"}
    en = x_positions(built / "site/en/downloads/checklists/team-check.pdf", levels)
    ar = x_positions(built / "site/ar/downloads/checklists/team-check.pdf", levels)
    # The scale, then each section's table: the lowest level comes first in reading order.
    assert len(en["Not yet"]) == len(en["Always"]) == len(ar["Not yet"]) == 3
    assert all(low < high for low, high in zip(en["Not yet"], en["Always"], strict=True))
    assert all(low > high for low, high in zip(ar["Not yet"], ar["Always"], strict=True))
    text = pdf_text(built / "site/ar/downloads/checklists/team-check.pdf")
    assert "Leavers have an exit conversation." in text


def test_an_empty_section_is_located(write_pack: WritePack):
    text = ASSESSMENT_YML.replace(
        "    items:\n      - id: exit-talk\n        text: Leavers have an exit conversation.\n",
        "    items: []\n",
    )
    errors = errors_of(assessment_pack(write_pack().parent / "empty", text))
    assert len(errors) == 1, errors
    where = f"team-check.yml:{line_of(text, 'items: []')}:"
    assert where in errors[0] and "sections[2].items: must not be empty" in errors[0]


def test_an_item_id_used_twice_is_located_at_the_second_use(write_pack: WritePack):
    text = ASSESSMENT_YML.replace("id: exit-talk", "id: local-voices")
    errors = errors_of(assessment_pack(write_pack().parent / "twice", text))
    assert len(errors) == 1, errors
    where = f"team-check.yml:{line_of(text, 'id: local-voices', nth=2)}:"
    assert where in errors[0], errors
    assert "item id 'local-voices' is already used by sections[1].items[1]" in errors[0]


def test_a_section_id_used_twice_is_located(write_pack: WritePack):
    text = ASSESSMENT_YML.replace("id: ending", "id: starting")
    errors = errors_of(assessment_pack(write_pack().parent / "sections", text))
    assert len(errors) == 1, errors
    assert f"team-check.yml:{line_of(text, 'id: starting', nth=2)}:" in errors[0], errors


def test_a_band_beyond_the_possible_total_is_located(write_pack: WritePack):
    text = ASSESSMENT_YML.replace("      max: 6\n", "      max: 9\n")
    errors = errors_of(assessment_pack(write_pack().parent / "band", text))
    assert len(errors) == 1, errors
    assert f"team-check.yml:{line_of(text, 'max: 9')}:" in errors[0], errors
    assert "max 9 lies outside the possible total, 0 to 6 (3 items scored 0 to 2)" in errors[0]


def test_overlapping_bands_are_refused(write_pack: WritePack):
    text = ASSESSMENT_YML.replace("- min: 3", "- min: 2")
    errors = errors_of(assessment_pack(write_pack().parent / "overlap", text))
    assert len(errors) == 1, errors
    assert f"team-check.yml:{line_of(text, 'min: 2')}:" in errors[0], errors
    assert "bands must not overlap" in errors[0]


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        ("- min: 3", "- min: 4", "min: 4", "no band covers a total of 3; start this band at 3"),
        ("- min: 0", "- min: 1", "min: 1", "no band covers a total of 0; start this band at 0"),
        ("max: 6\n", "max: 4\n", "max: 4", "no band covers totals 5 to 6"),
    ],
)
def test_every_possible_total_has_a_band(
    write_pack: WritePack, old: str, new: str, needle: str, message: str
):
    text = ASSESSMENT_YML.replace(old, new)
    errors = errors_of(assessment_pack(write_pack().parent / "gap", text))
    assert len(errors) == 1, errors
    assert f"team-check.yml:{line_of(text, needle)}:" in errors[0], errors
    assert message in errors[0]


def test_a_scale_with_one_level_is_located(write_pack: WritePack):
    text = ASSESSMENT_YML.replace(
        "  - value: 1\n    label: Sometimes\n    description: Done now and then.\n"
        "  - value: 2\n    label: Always\n",
        "",
    )
    errors = errors_of(assessment_pack(write_pack().parent / "one", text))
    assert len(errors) == 1, errors
    assert f"team-check.yml:{line_of(text, 'value: 0')}:" in errors[0], errors
    assert "scale: a score scale needs at least two levels" in errors[0]
    assert "found 1" in errors[0]


def test_two_levels_with_the_same_value_are_refused(write_pack: WritePack):
    text = ASSESSMENT_YML.replace("  - value: 2\n", "  - value: 1\n")
    errors = errors_of(assessment_pack(write_pack().parent / "same", text))
    assert len(errors) == 1 and "1 is used twice" in errors[0], errors


def _pot(pack: Pack) -> str:
    return po_bytes(pack_template(pack)).decode("utf-8")


def test_its_text_is_extracted_for_translators(write_pack: WritePack):
    root = assessment_pack(write_pack().parent / "pot")
    pack, problems = load_pack(root)
    assert pack is not None and not problems.errors
    catalog = read_po(BytesIO(_pot(pack).encode("utf-8")))
    messages = {m.id: m for m in catalog if m.id}
    for text in (
        "Team check",
        "Teams forget what they knew.",
        "This check shows **where** it happens.",
        "Score it together.",
        "Not yet",
        "Done now and then.",
        "Starting work",
        "The first weeks.",
        "Local colleagues shape the plan.",
        "Look at who was in the design meeting.",
        "Add the three sections.",
        "Fragile",
        "Keep going and fix the gaps.",
    ):
        assert text in messages, text
    where = messages["Leavers have an exit conversation."].locations
    line = line_of(ASSESSMENT_YML, "Leavers have an exit conversation.")
    assert where == [("exercises/team-check.yml", line)]


def test_the_schema_reference_documents_assessments():
    found = reference()
    assert "assessment" in found["kinds"]
    titles = {model.title: model for model in found["models"]}
    for title in ("Assessment", "Score level", "Assessment section", "Assessment item"):
        assert title in titles, title
    fields = {f.name: f for f in titles["Assessment"].fields}
    assert fields["how_to_use"].type == "text or list of text"
    assert fields["scale"].type == "list of *Score level* (see below)"
    assert all(f.description for model in titles.values() for f in model.fields)


def test_a_translated_assessment_shows_in_the_readers_language(write_pack: WritePack):
    root = assessment_pack(write_pack().parent / "fr")
    result = CliRunner().invoke(main, ["i18n", "update", str(root)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    translate(
        fr_po(root),
        {
            "Local colleagues shape the plan.": "Les collègues locaux façonnent le plan.",
            "Sometimes": "Parfois",
            "Pick two actions.": "Choisissez deux actions.",
            "Fragile": "Fragile (fr)",
        },
    )
    pack, problems = load_pack(root)
    assert pack is not None
    page = render_site(localise(pack, "fr", problems)).pages["exercises/team-check.md"]
    assert "| 1 | Les collègues locaux façonnent le plan.<br>" in page
    assert "1 · Parfois" in page
    assert "2. Choisissez deux actions." in page
    assert "**Fragile (fr)**" in page
    assert "We read what the last team wrote." in page  # untranslated: the English shows
