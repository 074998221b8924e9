"""Offline bundles, the trimmed language folders and the colour check, on the readers fixture."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path
from urllib.parse import unquote

import pytest

from packgen.build import build, check
from packgen.bundle import write_bundles
from packgen.render.templates import _filesize
from packgen.resolve import load_pack

from .conftest import FIXTURES, WritePack

LANGS = ["en", "fr", "ar"]
BUNDLES = ["readers-en.zip", "readers-fr.zip", "readers-ar.zip", "readers-all.zip"]
_REF = re.compile(r'<(?:a|link|script|img)\b[^>]*?\b(?:href|src)="([^"]*)"')


def dead_links(root: Path) -> list[str]:
    """Every relative href/src of every page under root that names no file there."""
    dead = []
    for page in sorted(root.rglob("*.html")):
        for ref in _REF.findall(page.read_text(encoding="utf-8")):
            if not ref or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", ref):
                continue
            path = unquote(ref.split("#")[0].split("?")[0])
            if not path:
                continue
            target = (page.parent / path).resolve()
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                dead.append(f"{page.relative_to(root)} -> {ref}")
    return dead


def test_build_writes_a_zip_per_language_and_one_for_all(readers_site: Path):
    names = sorted(p.name for p in (readers_site / "site/downloads").glob("*.zip"))
    assert names == sorted(BUNDLES)


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_bundle_opens_at_index_and_holds_that_language_with_its_pdfs(
    readers_site: Path, lang: str
):
    root = readers_site / "unzipped" / f"readers-{lang}.zip"
    tops = sorted(p.name for p in root.iterdir())
    assert tops == sorted(["downloads", "index.html", lang])
    # The shared downloads folder holds the digital forms, which the pages link, not zips.
    assert sorted(p.suffix for p in (root / "downloads").iterdir()) == [".xlsx", ".xml"]
    chooser = (root / "index.html").read_text(encoding="utf-8")
    assert f'href="{lang}/index.html"' in chooser
    assert not any(f'href="{other}/' in chooser for other in LANGS if other != lang)
    pdfs = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.pdf"))
    assert f"{lang}/downloads/readers.pdf" in pdfs
    assert all(p.startswith(f"{lang}/downloads/") for p in pdfs)
    assert (root / lang / "downloads/readers.pdf").read_bytes().startswith(b"%PDF")


_CHAPTER_PDF = re.compile(r'href="((?:\.\./)*downloads/(?:guides|checklists)/[^"#]+\.pdf)"')
_INTO_BOOK = re.compile(r'href="((?:\.\./)*downloads/readers\.pdf)#nameddest=([^"]+)"')


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_bundle_holds_each_text_once_and_opens_guides_in_the_whole_pack(
    readers_site: Path, lang: str
):
    from pypdf import PdfReader

    site = readers_site / "site" / lang
    root = readers_site / "unzipped" / f"readers-{lang}.zip" / lang
    chapters = sorted(
        p.relative_to(site).as_posix()
        for folder in ("guides", "checklists")
        for p in (site / "downloads" / folder).glob("*.pdf")
    )
    assert any("/guides/" in c for c in chapters) and any("/checklists/" in c for c in chapters)
    # Each guide and checklist is a chapter of the whole-pack PDF: the zip holds it once.
    assert [c for c in chapters if (root / c).exists()] == []
    everything = readers_site / "unzipped/readers-all.zip" / lang
    assert all((everything / c).is_file() for c in chapters)
    destinations = set(PdfReader(root / "downloads/readers.pdf").named_destinations)
    links = 0
    for page in sorted(site.rglob("*.html")):
        offered = _CHAPTER_PDF.findall(page.read_text(encoding="utf-8"))
        inside = (root / page.relative_to(site)).read_text(encoding="utf-8")
        # Where the site links a guide or checklist, the zip's page opens the whole pack at
        # that chapter, by a path from the page to the whole-pack PDF.
        assert _CHAPTER_PDF.findall(inside) == []
        opened = _INTO_BOOK.findall(inside)
        assert len(opened) == len(offered), page
        for href, anchor in opened:
            assert (page.parent / href).resolve() == (site / "downloads/readers.pdf").resolve()
            assert anchor in destinations, (page.name, anchor)
        links += len(opened)
    assert links >= 2 * len(chapters)  # each from its exercise page and the downloads page


@pytest.mark.parametrize("bundle", BUNDLES)
def test_no_link_inside_a_bundle_leads_nowhere(readers_site: Path, bundle: str):
    root = readers_site / "unzipped" / bundle
    assert dead_links(root) == []


def test_a_language_bundle_switcher_offers_only_its_language(readers_site: Path):
    page = readers_site / "unzipped/readers-fr.zip/fr/words.html"
    html = page.read_text(encoding="utf-8")
    assert re.findall(r'class="md-select__item">\s*<a [^>]*hreflang="(\w+)"', html) == ["fr"]
    full = (readers_site / "unzipped/readers-all.zip/fr/words.html").read_text(encoding="utf-8")
    assert re.findall(r'class="md-select__item">\s*<a [^>]*hreflang="(\w+)"', full) == LANGS


def test_site_pages_offer_the_bundles_with_their_sizes(readers_site: Path):
    site = readers_site / "site"
    sizes = {name: (site / "downloads" / name).stat().st_size for name in BUNDLES}
    for lang in LANGS:
        for page in ("index.html", "downloads.html"):
            html = (site / lang / page).read_text(encoding="utf-8")
            assert "@@size:" not in html
            for name, size in sizes.items():
                assert f'href="../downloads/{name}"' in html, (lang, page, name)
                assert _filesize(size, lang) in html, (lang, page, name)
        index = (site / lang / "search/search_index.js").read_text(encoding="utf-8")
        assert "@@size" not in index and "readers-all.zip" not in index
    # Inside a bundle the pages do not offer the zips, which are not in it.
    inside = (readers_site / "unzipped/readers-all.zip/en/index.html").read_text(encoding="utf-8")
    assert ".zip" not in inside


def test_bundles_are_the_same_bytes_when_made_again(
    readers_site: Path, tmp_path: Path, monkeypatch
):
    copy = tmp_path / "site"
    shutil.copytree(readers_site / "site", copy)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764633600")
    titles = {"en": "Readers pack", "fr": "Pack des lecteurs", "ar": "حزمة القرّاء"}
    pack, _ = load_pack(FIXTURES / "readers")
    assert pack is not None
    write_bundles(pack.layers, "readers", LANGS, titles, copy, source=pack.config.source_language)
    for name in BUNDLES:
        assert (copy / "downloads" / name).read_bytes() == (
            readers_site / "site/downloads" / name
        ).read_bytes(), name
    with zipfile.ZipFile(readers_site / "site/downloads/readers-ar.zip") as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2025, 12, 2, 0, 0, 0)}


@pytest.mark.parametrize("lang", LANGS)
def test_language_folders_carry_only_what_pages_load(readers_site: Path, lang: str):
    site = readers_site / "site" / lang
    assert list(site.rglob("*.map")) == []
    for script in (site / "assets").rglob("*.js"):
        assert "sourceMappingURL" not in script.read_text(encoding="utf-8"), script
    lunr = sorted(p.name for p in (site / "assets/javascripts/lunr").rglob("*.js"))
    expected = [] if lang == "en" else [f"lunr.{lang}.min.js", "lunr.stemmer.support.min.js"]
    assert lunr == expected
    assert sorted(p.name for p in (site / "search").iterdir()) == ["search_index.js"]
    text = (site / "search/search_index.js").read_text(encoding="utf-8")
    assert "\\u0" not in text
    index = json.loads(text.removeprefix("var __index = "))
    assert index["config"]["lang"] == [lang]
    if lang == "ar":
        assert "الميسّر" in text
    assert "sitemap.xml" not in (site / "index.html").read_text(encoding="utf-8")
    assert '<link rel="alternate"' not in (site / "index.html").read_text(encoding="utf-8")


def test_404_page_links_relative_to_its_folder(readers_site: Path):
    html = (readers_site / "site/ar/404.html").read_text(encoding="utf-8")
    assert not re.findall(r'(?:href|src)="/', html)
    assert '"base": "."' in html
    assert dead_links(readers_site / "site/ar") == []


def test_checklist_boxes_are_labelled_by_their_text(readers_site: Path):
    html = (readers_site / "site/en/exercises/quick-round.html").read_text(encoding="utf-8")
    boxes = re.findall(r'<label class="task-list-control">(.*?)</label>', html, re.DOTALL)
    assert boxes
    for box in boxes:
        assert re.search(r'<span class="pg-task">\S[^<]*', box), box


def test_a_one_language_build_links_no_other_language(tmp_path: Path):
    out = tmp_path / "site"
    build(FIXTURES / "readers", out, ["fr"], work_dir=tmp_path / "build", printables=False)
    assert sorted(p.name for p in out.iterdir()) == [
        ".packgen-site",
        "downloads",
        "fr",
        "index.html",
    ]
    assert sorted(p.name for p in (out / "downloads").iterdir()) == [
        "readers-fr.zip",
        "readers-mini-log.xlsx",
        "readers-mini-log.xml",
    ]
    assert dead_links(out) == []
    html = (out / "fr/words.html").read_text(encoding="utf-8")
    assert 'hreflang="en"' not in html and 'hreflang="ar"' not in html


def test_a_pack_whose_colours_fail_contrast_is_warned(write_pack: WritePack):
    root = write_pack(
        {"mkdocs.yml": "theme:\n  palette:\n    primary: teal\n    accent: deep orange\n"}
    )
    _, problems = check(root)
    messages = [p.message for p in problems.warnings if p.location.path.endswith("mkdocs.yml")]
    assert any("'teal'" in m and "3.77:1" in m for m in messages), messages
    assert any("'deep orange'" in m and "search highlights" in m for m in messages), messages


def test_custom_colours_from_the_packs_stylesheet_are_checked(write_pack: WritePack):
    root = write_pack(
        {
            "content/colours.css": ":root > * { --md-primary-fg-color: #7fb3d5; }\n",
            "mkdocs.yml": "extra_css: [colours.css]\ntheme:\n  palette:\n"
            "    primary: custom\n    accent: custom\n",
        }
    )
    _, problems = check(root)
    messages = [p.message for p in problems.warnings if p.location.path.endswith("mkdocs.yml")]
    assert any("'custom'" in m and "links" in m for m in messages), messages
    (root / "content/colours.css").write_text(":root > * { --md-primary-fg-color: #1b4f72; }\n")
    _, problems = check(root)
    assert [p for p in problems.warnings if p.location.path.endswith("mkdocs.yml")] == []


def test_the_default_palette_is_not_warned(write_pack: WritePack):
    _, problems = check(write_pack())
    assert [p for p in problems.warnings if p.location.path.endswith("mkdocs.yml")] == []


def test_dead_link_finder_finds_a_dead_link(tmp_path: Path):
    (tmp_path / "a.html").write_text('<a href="b.html">b</a> <a href="a.html">a</a>')
    assert dead_links(tmp_path) == ["a.html -> b.html"]


def test_files_beside_the_zips_go_into_the_bundles_that_link_them(readers_site: Path, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(readers_site / "site", copy)
    (copy / "downloads/mini-log-fr.xlsx").write_bytes(b"form")
    page = copy / "fr/exercises/mini-log.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace(
            "</article>", '<a href="../../downloads/mini-log-fr.xlsx">XLSForm</a></article>'
        ),
        encoding="utf-8",
    )
    pack, _ = load_pack(FIXTURES / "readers")
    assert pack is not None
    write_bundles(
        pack.layers,
        "readers",
        LANGS,
        {c: c for c in LANGS},
        copy,
        source=pack.config.source_language,
    )
    for name, expected in [("readers-fr.zip", True), ("readers-en.zip", False)]:
        with zipfile.ZipFile(copy / "downloads" / name) as archive:
            assert ("downloads/mini-log-fr.xlsx" in archive.namelist()) is expected, name
    with zipfile.ZipFile(copy / "downloads/readers-all.zip") as archive:
        assert archive.read("downloads/mini-log-fr.xlsx") == b"form"
        assert not any(n.endswith(".zip") for n in archive.namelist())
