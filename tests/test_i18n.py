"""The translation workflow end to end: extract, update, add, status, build with fallbacks."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from click.testing import CliRunner

from packgen.build import build
from packgen.cli import main
from packgen.i18n.catalog import restore_previous

from .conftest import EXERCISE_YML, PACK_YML


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def catalog(path: Path) -> Catalog:
    with path.open("rb") as handle:
        return restore_previous(read_po(handle))


def translate(path: Path, translations: dict[str, str]) -> None:
    cat = catalog(path)
    for source, text in translations.items():
        message = cat[source]
        message.string = text
        message.flags.discard("fuzzy")
    with path.open("wb") as handle:
        write_po(handle, cat)


def kept_translations(path: Path) -> set[str]:
    """Every translation in the file, live or obsolete."""
    cat = catalog(path)
    messages = [*cat, *cat.obsolete.values()]
    return {str(m.string) for m in messages if m.id and m.string}


def fr_po(root: Path) -> Path:
    return root / "locales/fr/LC_MESSAGES/pack.po"


def test_extract_writes_templates_with_source_locations(write_pack):
    root = write_pack()
    result = run("i18n", "extract", str(root))
    assert result.exit_code == 0, result.output
    pot = catalog(root / "locales/pack.pot")
    assert pot["Ask open questions."].locations == [("exercises/first-steps.yml", 12)]
    assert pot["Tiny home"].locations == [("content/index.md", 1)]
    assert pot["Welcome to the tiny pack."].locations == [("content/index.md", 3)]
    assert pot["Tiny pack"].locations == [("pack.yml", 2)]
    assert "steps[1].instructions" in pot["Ask open questions."].auto_comments
    assert pot.charset == "utf-8"
    ui = catalog(root / "locales/ui.pot")
    assert ui["Purpose"].locations
    assert ui["%(num)s minute"].id == ("%(num)s minute", "%(num)s minutes")
    before = (root / "locales/pack.pot").read_bytes()
    run("i18n", "extract", str(root))
    assert (root / "locales/pack.pot").read_bytes() == before


def test_round_trip_keeps_every_translation(write_pack):
    root = write_pack()
    assert run("i18n", "update", str(root)).exit_code == 0
    po = fr_po(root)
    assert catalog(po).locale_identifier == "fr"
    translate(
        po,
        {
            "First steps": "Premiers pas",
            "Ask open questions.": "Posez des questions ouvertes.",
            "Welcome to the tiny pack.": "Bienvenue dans le mini dossier.",
        },
    )
    written = kept_translations(po)

    # The source changes: the old translation is kept, marked fuzzy, old source recorded.
    exercise = root / "exercises/first-steps.yml"
    exercise.write_text(
        EXERCISE_YML.replace("Ask open questions.", "Ask open questions, one by one."),
        encoding="utf-8",
    )
    assert run("i18n", "update", str(root)).exit_code == 0
    changed = catalog(po)["Ask open questions, one by one."]
    assert changed.fuzzy
    assert changed.string == "Posez des questions ouvertes."
    assert changed.previous_id == ["Ask open questions."]
    assert '#| msgid "Ask open questions."' in po.read_text(encoding="utf-8")
    assert kept_translations(po) >= written

    # The source goes away: the translation stays, as obsolete.
    index = root / "content/index.md"
    index.write_text("# Tiny home\n\nSomething else altogether.\n", encoding="utf-8")
    assert run("i18n", "update", str(root)).exit_code == 0
    assert "Welcome to the tiny pack." in catalog(po).obsolete
    assert kept_translations(po) >= written
    assert catalog(po)["Ask open questions, one by one."].previous_id == ["Ask open questions."]

    # The build shows the source where the translation is fuzzy, and says so on the page.
    report = build(root, languages=["fr"])
    page = (root / "site/fr/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Premiers pas" in page
    assert "Ask open questions, one by one." in page
    assert "Posez des questions ouvertes." not in page
    assert "pg-translation" in page
    # The banner is in French too, from packgen's own interface catalog.
    assert "1 passage a été modifié dans" in page
    assert report.untranslated["fr"] > 0

    # The source comes back: so does its translation, with nothing to redo.
    index.write_text("# Tiny home\n\nWelcome to the tiny pack.\n", encoding="utf-8")
    assert run("i18n", "update", str(root)).exit_code == 0
    revived = catalog(po)["Welcome to the tiny pack."]
    assert revived.string == "Bienvenue dans le mini dossier."
    assert not revived.fuzzy
    assert "Welcome to the tiny pack." not in catalog(po).obsolete


def test_fully_translated_page_has_no_banner_and_others_do(write_pack):
    root = write_pack()
    run("i18n", "update", str(root))
    translate(
        fr_po(root),
        {"Tiny home": "Petit accueil", "Welcome to the tiny pack.": "Bienvenue."},
    )
    build(root, languages=["en", "fr"])
    home = (root / "site/fr/index.html").read_text(encoding="utf-8")
    exercise = (root / "site/fr/exercises/first-steps.html").read_text(encoding="utf-8")
    source = (root / "site/en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Petit accueil" in home
    assert "pg-translation" not in home
    assert "pg-translation" in exercise
    assert "pas encore traduits en français" in exercise
    assert "pg-translation" not in source


def test_a_broken_translation_falls_back_with_a_located_warning(write_pack):
    root = write_pack()
    run("i18n", "update", str(root))
    po = fr_po(root)
    translate(po, {"Ask open questions.": "Posez des [questions](ailleurs.md)."})
    line = catalog(po)["Ask open questions."].lineno
    report = build(root, languages=["fr"])
    warnings = [str(w) for w in report.warnings]
    expected = f"locales/fr/LC_MESSAGES/pack.po:{line}"
    assert any(expected in w and "link targets not in the source" in w for w in warnings)
    page = (root / "site/fr/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Ask open questions." in page
    assert "ailleurs.md" not in page


def test_status_reports_per_language_and_page_and_gates_ci(write_pack):
    root = write_pack()
    run("i18n", "update", str(root))
    translate(fr_po(root), {"Tiny home": "Petit accueil"})
    result = run("i18n", "status", str(root), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["source_language"] == "en"
    fr = next(item for item in data["languages"] if item["code"] == "fr")
    home = next(page for page in fr["pages"] if page["page"] == "index.md")
    assert (home["translated"], home["untranslated"], home["total"]) == (1, 1, 2)
    assert home["percent"] == 50.0
    assert 0 < fr["percent"] < 100
    assert fr["domains"]["pack"]["translated"] == 1

    text = run("i18n", "status", str(root))
    assert "content/index.md" in text.output
    assert "fr  French" in text.output

    assert run("i18n", "status", str(root), "--min", "0").exit_code == 0
    failing = run("i18n", "status", str(root), "--min", "100")
    assert failing.exit_code == 1
    assert "fr is" in failing.output and "below the minimum of 100%" in failing.output


def test_add_a_language_the_theme_does_not_know(write_pack):
    root = write_pack()
    result = run("i18n", "add", "so", str(root))
    assert result.exit_code == 0, result.output
    assert "languages: [en, fr, ar, so]" in (root / "pack.yml").read_text(encoding="utf-8")
    folder = root / "locales/so/LC_MESSAGES"
    assert {p.name for p in folder.iterdir()} == {"pack.po", "ui.po", "theme.po"}
    theme = catalog(folder / "theme.po")
    placeholder = theme.get("Search", context="search.placeholder")
    placeholder.string = "Raadi"
    with (folder / "theme.po").open("wb") as handle:
        write_po(handle, theme)

    build(root, languages=["so"])
    page = (root / "site/so/index.html").read_text(encoding="utf-8")
    assert '<html lang="so"' in page
    assert 'placeholder="Raadi"' in page
    assert "Back to top" in page  # untranslated theme strings fall back to English


def test_add_a_right_to_left_language_to_a_block_list(write_pack):
    root = write_pack({"pack.yml": PACK_YML.replace("[en, fr, ar]", "\n  - en\n  - fr  # ok")})
    assert run("i18n", "add", "fa", str(root)).exit_code == 0
    text = (root / "pack.yml").read_text(encoding="utf-8")
    assert "  - en\n  - fr  # ok\n  - fa\n" in text
    build(root, languages=["fa"])
    page = (root / "site/fa/index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" class="no-js" dir="rtl"' in page or 'dir="rtl"' in page


def test_add_refuses_unknown_or_present_languages(write_pack):
    root = write_pack()
    before = (root / "pack.yml").read_text(encoding="utf-8")
    unknown = run("i18n", "add", "xx-nope", str(root))
    assert unknown.exit_code == 2
    assert "not a language code" in unknown.output
    present = run("i18n", "add", "fr", str(root))
    assert present.exit_code == 2
    assert "already a language of this pack" in present.output
    assert (root / "pack.yml").read_text(encoding="utf-8") == before
    assert not (root / "locales/xx-nope").exists()


def test_update_refuses_a_broken_catalog_and_writes_nothing(write_pack):
    root = write_pack()
    run("i18n", "update", str(root))
    po = fr_po(root)
    po.write_text(po.read_text(encoding="utf-8") + '\nmsgid "unclosed\n', encoding="utf-8")
    before = po.read_bytes()
    result = run("i18n", "update", str(root))
    assert result.exit_code == 1
    assert "locales/fr/LC_MESSAGES/pack.po" in result.output
    assert "Traceback" not in result.output
    assert po.read_bytes() == before


def test_check_reports_broken_translations_and_strict_fails(write_pack):
    root = write_pack()
    run("i18n", "update", str(root))
    po = fr_po(root)
    translate(po, {"Ask open questions.": "Posez des questions **ouvertes."})
    line = catalog(po)["Ask open questions."].lineno
    lenient = run("check", str(root))
    assert lenient.exit_code == 0
    assert f"locales/fr/LC_MESSAGES/pack.po:{line}: warning: bold markers" in lenient.output
    assert run("check", "--strict", str(root)).exit_code == 1


def test_catalogs_pass_gnu_gettext_checks(write_pack):
    root = write_pack()
    run("i18n", "add", "so", str(root))
    run("i18n", "update", str(root))
    translate(fr_po(root), {"First steps": "Premiers pas"})
    files = [*sorted((root / "locales").glob("*.pot")), *sorted(root.glob("locales/*/*/*.po"))]
    assert len(files) > 6
    for path in files:
        checked = subprocess.run(
            ["msgfmt", "--check", "-o", os.devnull, str(path)], capture_output=True, text=True
        )
        assert checked.returncode == 0, f"{path}: {checked.stderr}"
