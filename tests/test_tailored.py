"""The fixture tailored pack, built end to end over a base that the build never touches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from packgen.build import build
from packgen.resolve import load_pack
from packgen.resolve.overrides import fingerprint

from .conftest import EXERCISE_YML, FIXTURES, make_pack

BASE_YML = """\
id: base
title: Base pack
languages: [en, fr]
contents:
  - page: index.md
  - exercise: first-steps
  - exercise: story-circle
  - exercise: call-round
"""
STORY = EXERCISE_YML.replace("id: first-steps", "id: story-circle").replace(
    "title: First steps", "title: Story circle"
)
CALL = (
    EXERCISE_YML.replace("id: first-steps", "id: call-round")
    .replace("title: First steps", "title: Call round")
    .replace("purpose: Practise asking questions.", "purpose: By phone.\ntags: [remote]")
)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def packs(tmp_path: Path) -> tuple[Path, Path]:
    base = make_pack(
        tmp_path / "base",
        {
            "pack.yml": BASE_YML,
            "exercises/story-circle.yml": STORY,
            "exercises/call-round.yml": CALL,
        },
    )
    tailored = tmp_path / "tailored"
    shutil.copytree(FIXTURES / "tailored", tailored)
    return base, tailored


def test_the_tailored_pack_builds_with_every_option(packs, tmp_path):
    base, tailored = packs
    before = _files(base)
    out = tmp_path / "site"
    report = build(tailored, out, printables=False)
    assert report.languages == ["en", "so"]
    en = out / "en"
    # Exclusion by tag: no page, no menu entry.
    assert not (en / "exercises/call-round.html").exists()
    home = (en / "index.html").read_text(encoding="utf-8")
    assert "Call round" not in home
    # A partial override: one step changed, one added with a variable in it.
    first = (en / "exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Think about the teams in Gedo." in first
    assert "Meet inside the compound." in first
    # A whole replacement and an addition of the pack's own.
    story = (en / "exercises/story-circle.html").read_text(encoding="utf-8")
    assert "Our story circle" in story
    assert "Gedo" in (en / "exercises/well-visit.html").read_text(encoding="utf-8")
    # Branding on every page.
    for page in (home, first, story):
        assert "Hiraal Relief · hiraal.example.org · Hotline 5050" in page
    # A new language the base lacks, with the pack's own translation and values.
    somali = (out / "so/our-region.html").read_text(encoding="utf-8")
    assert 'lang="so"' in somali
    assert "Ka shaqaynta Gedo" in somali and "5050 (Af-Soomaali)" in somali
    assert "Working in Gedo" in (en / "our-region.html").read_text(encoding="utf-8")
    # Overrides not yet reviewed are flagged, each naming the base's file.
    flagged = sorted(w.message.split("'")[1] for w in report.warnings if "reviewed" in w.message)
    assert flagged == ["first-steps", "story-circle"]
    assert _files(base) == before


def test_a_base_change_shows_and_flags_the_override(packs, tmp_path):
    base, tailored = packs
    base_doc = load_pack(base)[0].sources["first-steps"].doc  # type: ignore[union-attr]
    settings = tailored / "pack.yml"
    settings.write_text(
        settings.read_text() + f"reviewed:\n  first-steps: {fingerprint(base_doc)}\n"
    )
    _, problems = load_pack(tailored)
    assert not [w for w in problems.warnings if "'first-steps'" in w.message]
    exercise = base / "exercises/first-steps.yml"
    exercise.write_text(exercise.read_text().replace("A short exercise.", "A better one."))
    report = build(tailored, tmp_path / "site", ["en"], printables=False)
    page = (tmp_path / "site/en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "A better one." in page
    [warning] = [w for w in report.warnings if "'first-steps'" in w.message]
    assert "has changed since this override was last reviewed" in warning.message
    assert "tailored/exercises/first-steps.yml" in str(warning.location)
    assert "base/exercises/first-steps.yml" in warning.message


def test_an_undefined_variable_and_a_missing_step_are_located(packs):
    _, tailored = packs
    page = tailored / "content/our-region.md"
    page.write_text(page.read_text() + "\nAsk in {{ variables.district }}.\n")
    override = tailored / "exercises/first-steps.yml"
    text = override.read_text().replace("steps:\n", "steps:\n  wrapup: {minutes: 2}\n")
    override.write_text(text)
    _, problems = load_pack(tailored)
    found = {(Path(p.location.path).name, p.location.line): p.message for p in problems.errors}
    assert len(found) == 2, found
    assert "undefined variable 'district'" in found[("our-region.md", 5)]
    assert "no step 'wrapup'" in found[("first-steps.yml", 4)]


def test_translation_status_counts_only_what_the_pack_publishes(packs):
    import json

    from click.testing import CliRunner

    from packgen.cli import main

    base, tailored = packs
    (base / "content/unlisted.md").write_text("# Not in any menu\n\nA page.\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["i18n", "status", str(tailored), "--format", "json"])
    assert result.exit_code == 0, result.output
    [somali] = [lang for lang in json.loads(result.stdout)["languages"] if lang["code"] == "so"]
    sources = {page["page"]: page["source"] for page in somali["pages"]}
    assert sources["our-region.md"] == "content/our-region.md"
    assert sources["index.md"] == "../base/content/index.md"
    assert sources["exercises/first-steps.md"] == "exercises/first-steps.yml"
    assert "unlisted.md" not in sources
    assert "exercises/call-round.md" not in sources
    assert somali["translated"] == 2


def test_i18n_in_a_tailored_pack_covers_all_it_publishes_and_keeps_its_translations(packs):
    from click.testing import CliRunner

    from packgen.cli import main
    from packgen.i18n.pofile import read_po_bytes

    base, tailored = packs
    before = _files(base)
    runner = CliRunner()
    result = runner.invoke(main, ["i18n", "update", str(tailored)])
    assert result.exit_code == 0, result.output
    somali = read_po_bytes((tailored / "locales/so/LC_MESSAGES/pack.po").read_bytes())
    kept = somali["Working in {{ variables.region }}"]
    assert kept.string == "Ka shaqaynta {{ variables.region }}" and not kept.fuzzy
    # The base's published text is there to translate; what the pack leaves out is not.
    assert "Tiny home" in somali and "First steps" in somali and "Reflect" in somali
    assert "Call round" not in somali
    result = runner.invoke(main, ["i18n", "add", "sw", str(tailored)])
    assert result.exit_code == 0, result.output
    swahili = tailored / "locales/sw/LC_MESSAGES"
    assert "Tiny home" in read_po_bytes((swahili / "pack.po").read_bytes())
    interface = read_po_bytes((swahili / "ui.po").read_bytes())
    assert len(list(interface)) > 20
    assert _files(base) == before


def test_a_new_language_of_a_tailored_pack_can_translate_the_whole_interface(packs):
    import json

    from click.testing import CliRunner

    from packgen.cli import main
    from packgen.i18n.pofile import read_po_bytes, write_po_bytes

    _, tailored = packs
    runner = CliRunner()
    assert runner.invoke(main, ["i18n", "add", "sw", str(tailored)]).exit_code == 0
    path = tailored / "locales/sw/LC_MESSAGES/ui.po"
    interface = read_po_bytes(path.read_bytes())
    before = runner.invoke(main, ["i18n", "status", str(tailored), "--format", "json"])
    swahili = next(lang for lang in json.loads(before.output)["languages"] if lang["code"] == "sw")
    assert swahili["domains"]["ui"]["translated"] == 0
    # Every interface string of every layer, packgen's own included, is in the new catalog.
    for message in interface:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            message.string = tuple(f"SW {form}" for form in message.id)
        else:
            message.string = f"SW {message.id}"
    path.write_bytes(write_po_bytes(interface))
    after = runner.invoke(main, ["i18n", "status", str(tailored), "--format", "json"])
    swahili = next(lang for lang in json.loads(after.output)["languages"] if lang["code"] == "sw")
    ui = swahili["domains"]["ui"]
    assert ui["translated"] == ui["total"] > 50 and ui["percent"] == 100.0
