"""Small packs built end to end: pages, languages, switcher, offline, safe swap."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from packgen.build import build
from packgen.errors import PackInvalid

from .conftest import PACK_YML, make_pack

FR_PO = """\
msgid ""
msgstr ""
"Language: fr\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "First steps"
msgstr "Premiers pas"

msgid "Tiny pack"
msgstr "Mini dossier"

msgid "Ask open questions."
msgstr "Posez des questions ouvertes."

#, fuzzy
msgid "Choose one action."
msgstr "Traduction périmée"
"""


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny pack with a French catalog, built once for the tests below."""
    files = {
        "content/img/map.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
        "locales/fr/LC_MESSAGES/pack.po": FR_PO,
    }
    root = make_pack(tmp_path_factory.mktemp("tiny"), files)
    report = build(root)
    return root, report


def html(site: Path, rel: str) -> str:
    return (site / rel).read_text(encoding="utf-8")


def test_every_language_is_built_with_a_chooser(tiny):
    root, report = tiny
    site = root / "site"
    assert report.out == site
    for lang in ("en", "fr", "ar"):
        assert (site / lang / "index.html").is_file()
        assert (site / lang / "exercises/first-steps.html").is_file()
        assert (site / lang / "search/search_index.js").is_file()
    chooser = html(site, "index.html")
    assert "<script" not in chooser
    for href, name in [("en", "English"), ("fr", "Français"), ("ar", "العربية")]:
        assert f'href="{href}/index.html"' in chooser and name in chooser
    assert '<li lang="ar" dir="rtl">' in chooser


def test_translations_are_used_and_fuzzy_ones_fall_back(tiny):
    root, report = tiny
    page = html(root / "site", "fr/exercises/first-steps.html")
    assert "Premiers pas" in page
    assert "Posez des questions ouvertes." in page
    assert "Choose one action." in page and "Traduction périmée" not in page
    assert report.untranslated["en"] == 0
    assert report.untranslated["fr"] > 0


def test_exercise_page_shows_steps_with_times(tiny):
    root, _ = tiny
    page = html(root / "site", "en/exercises/first-steps.html")
    assert "0:00–0:10" in page and "0:10–0:15" in page
    assert re.search(r"<h3[^>]*>1\. Ask", page)
    assert "2 to 5 people" in page


def test_arabic_is_right_to_left_and_others_are_not(tiny):
    root, _ = tiny
    arabic = html(root / "site", "ar/index.html")
    assert re.search(r'<html[^>]*lang="ar"', arabic)
    assert re.search(r'<body[^>]*dir="rtl"', arabic)
    assert re.search(r'<body[^>]*dir="ltr"', html(root / "site", "fr/index.html"))


def test_language_switcher_links_to_the_same_page(tiny):
    root, _ = tiny
    page = html(root / "site", "fr/exercises/first-steps.html")
    links = dict(re.findall(r'<a href="([^"]+)" hreflang="(\w+)"', page))
    assert {v: k for k, v in links.items()} == {
        "en": "../../en/exercises/first-steps.html",
        "fr": "../../fr/exercises/first-steps.html",
        "ar": "../../ar/exercises/first-steps.html",
    }
    for target in links:
        assert (root / "site/fr/exercises" / target).resolve().is_file()


def test_nothing_is_loaded_from_the_network(tiny):
    root, _ = tiny
    for page in (root / "site").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', text):
            pytest.fail(f"{page} loads {url}")
        assert "fonts.googleapis" not in text
        if page.parent != root / "site":  # the chooser needs no script at all
            assert "iframe-worker-shim.js" in text
    shim = root / "site/en/assets/javascripts/iframe-worker-shim.js"
    assert "IFrameWorker" in shim.read_text()


def test_assets_in_content_are_copied(tiny):
    root, _ = tiny
    assert (root / "site/ar/img/map.svg").is_file()


def test_generated_markdown_stays_inspectable(tiny):
    root, _ = tiny
    text = (root / "build/fr/docs/exercises/first-steps.md").read_text(encoding="utf-8")
    assert text.startswith("# Premiers pas\n")
    config = yaml.safe_load((root / "build/fr/mkdocs.yml").read_text(encoding="utf-8"))
    # A complete config packgen wrote itself, with the pack's allowed settings copied in.
    assert "INHERIT" not in config
    assert {"toc": {"permalink": True}} in config["markdown_extensions"]
    assert config["theme"]["palette"]


def test_failed_build_keeps_the_previous_site(write_pack, tmp_path):
    root = write_pack()
    out = tmp_path / "site"
    build(root, out, ["en"])
    marker = out / "en" / "index.html"
    before = marker.read_text()
    (root / "templates").mkdir()
    (root / "templates/exercise.md.j2").write_text("{{ exercise.no_such_field }}")
    with pytest.raises(PackInvalid) as failed:
        build(root, out, ["en"])
    # A template's mistake is the pack's error, located in the template.
    assert "exercise.md.j2:1: rendering exercises/first-steps.md" in str(failed.value.problems[0])
    assert "no_such_field" in str(failed.value.problems[0])
    assert marker.read_text() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site")] == []


def test_invalid_pack_builds_nothing(write_pack, tmp_path):
    root = write_pack({"exercises/first-steps.yml": "id: first-steps\nkind: nope\n"})
    with pytest.raises(PackInvalid):
        build(root, tmp_path / "site")
    assert not (tmp_path / "site").exists()


def test_strict_build_fails_on_warnings_and_keeps_old_site(write_pack, tmp_path):
    root = write_pack()
    out = tmp_path / "site"
    build(root, out, ["en"], strict=True)
    exercise = root / "exercises/first-steps.yml"
    exercise.write_text(exercise.read_text().replace("duration: 15", "duration: 25"))
    report = build(root, out, ["en"])
    assert any("add up to 15" in w.message for w in report.warnings)
    stamp = (out / "en/index.html").stat().st_mtime_ns
    with pytest.raises(PackInvalid, match="strict"):
        build(root, out, ["en"], strict=True)
    assert (out / "en/index.html").stat().st_mtime_ns == stamp


def test_a_pack_extending_another_uses_its_templates_and_overrides_by_id(write_pack):
    base = write_pack(name="base")
    child = base.parent / "child"
    (child / "exercises").mkdir(parents=True)
    (child / "pack.yml").write_text(
        "id: child\ntitle: Child pack\nlanguages: [en]\nextends: ../base\n"
    )
    (child / "exercises/first-steps.yml").write_text(
        (base / "exercises/first-steps.yml").read_text().replace("First steps", "Our first steps")
    )
    (child / "templates").mkdir()
    (child / "templates/page.md.j2").write_text("{{ body }}\n\nTailored by the child pack.\n")
    report = build(child, child / "site")
    page = (child / "site/en/exercises/first-steps.html").read_text()
    assert "Our first steps" in page
    assert "Tailored by the child pack." in (child / "site/en/index.html").read_text()
    assert "Tiny home" in (child / "site/en/index.html").read_text()
    assert report.languages == ["en"]


def test_organisation_name_and_logo_appear_on_every_page(write_pack, tmp_path):
    pack_yml = PACK_YML + "organisation:\n  name: Field Network\n  logo: content/img/logo.svg\n"
    svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'/>"
    root = write_pack({"pack.yml": pack_yml, "content/img/logo.svg": svg})
    build(root, tmp_path / "site", ["ar"])
    page = (tmp_path / "site/ar/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "Field Network" in page
    assert 'src="../assets/images/organisation-logo.svg"' in page
    assert (tmp_path / "site/ar/assets/images/organisation-logo.svg").is_file()


def test_missing_logo_is_an_error_at_its_line(write_pack):
    from packgen.resolve import load_pack

    pack_yml = PACK_YML + "organisation:\n  name: Field Network\n  logo: logo.png\n"
    _, problems = load_pack(write_pack({"pack.yml": pack_yml}))
    [error] = problems.errors
    assert error.location.line == 9
    assert "no file 'logo.png' in the pack" in error.message


def test_pruned_navigation_is_enforced_even_if_the_pack_forgets_it(write_pack, tmp_path):
    root = write_pack({"mkdocs.yml": "site_name: x\ntheme:\n  name: material\n"})
    build(root, tmp_path / "site", ["en"])
    settings = (root / "build/en/mkdocs.yml").read_text()
    assert "navigation.prune" in settings
    assert "font: false" in settings
