"""A one-language zip opens the whole pack where the site opens a guide or checklist: its pages
say which pages of the whole pack to print, in the reader's language, and no size of a file
the zip does not hold."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from packgen.bundle import Moved, _links_moved, _pages_words
from packgen.i18n.catalog import Translator
from packgen.paths import DEFAULTS_DIR
from packgen.printables.destinations import Destinations, Place, destinations
from packgen.render.templates import _filesize, make_environment

LANGS = ["en", "fr", "ar"]
_ROW = re.compile(
    r'<td><a href="([^"]*)">([^<]*)</a></td>\s*<td><span class="([^"]*)">([^<]*)</span>'
)
_INTO_BOOK = re.compile(
    r'<a href="[^"]*downloads/readers\.pdf#nameddest=([^"]+)">[^<]*</a>'
    r'(?: <span class="pg-book-pages">([^<]*)</span>)?'
)
PAGES = {
    # The words of each language's catalog for one page and for several, as patterns.
    "en": (r"page (\d+) of the whole pack", r"pages (\d+)–(\d+) of the whole pack"),
    "fr": (r"page (\d+) du kit complet", r"pages (\d+) à (\d+) du kit complet"),
    "ar": (r"الصفحة (\d+) من الحزمة كاملة", r"الصفحات من (\d+) إلى (\d+) من الحزمة كاملة"),
}


def rows(page: Path) -> list[tuple[str, str, str, str]]:
    """Each download's link, title, the classes of its size cell and that cell's words."""
    return _ROW.findall(page.read_text(encoding="utf-8"))


def pages_in(words: str, lang: str) -> tuple[int, int]:
    one, several = PAGES[lang]
    if match := re.fullmatch(one, words):
        return int(match.group(1)), int(match.group(1))
    match = re.fullmatch(several, words)
    assert match, (lang, words)
    return int(match.group(1)), int(match.group(2))


def plain(text: str) -> str:
    """PDF text and page text compared letter for letter: ligatures and spaces undone."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def footers(text: str) -> set[tuple[int, int]]:
    """The page numbers a page's text shows as "page / pages"; pypdf gives a right-to-left
    line in the order it is drawn, the total first."""
    found = {(int(a), int(b)) for a, b in re.findall(r"(?<!\d)(\d+) / (\d+)(?!\d)", text)}
    return found | {(b, a) for a, b in found}


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_zip_gives_the_pages_of_the_whole_pack_for_what_it_leaves_out(
    readers_site: Path, lang: str
):
    from pypdf import PdfReader

    site = readers_site / "site" / lang
    root = readers_site / "unzipped" / f"readers-{lang}.zip" / lang
    book = PdfReader(root / "downloads/readers.pdf")
    sizes = {
        href: _filesize((site / href).stat().st_size, lang)
        for href, *_ in rows(site / "downloads.html")
    }
    moved = 0
    for href, title, classes, words in rows(root / "downloads.html"):
        path, _, fragment = href.partition("#")
        if not fragment:
            # A PDF the zip holds keeps its link and its own size.
            assert (root / path).is_file() and words == sizes[href], href
            continue
        moved += 1
        assert path == "downloads/readers.pdf" and classes == "pg-size pg-book-pages"
        assert words not in sizes.values()
        first, last = pages_in(words, lang)
        anchor = fragment.removeprefix("nameddest=")
        start = book.get_destination_page_number(book.named_destinations[anchor])
        # The footer numbers pages from the cover as 1: the page a link opens is its first.
        assert first == start + 1, (anchor, words)
        assert plain(title) in plain(book.pages[start].extract_text()), (anchor, title)
        assert (first, len(book.pages)) in footers(book.pages[start].extract_text())
        assert first <= last <= len(book.pages)
    assert moved == len([h for h in sizes if "/guides/" in h or "/checklists/" in h]) >= 3


def test_a_guide_ends_where_its_checklist_begins(readers_site: Path):
    from pypdf import PdfReader

    root = readers_site / "unzipped/readers-en.zip/en"
    book = PdfReader(root / "downloads/readers.pdf")
    found = {
        href.split("=")[-1]: pages_in(words, "en")
        for href, _, classes, words in rows(root / "downloads.html")
        if "pg-book-pages" in classes
    }
    names = book.named_destinations
    guide = found["exercise-quick-round"]
    checklist_start = book.get_destination_page_number(names["checklist-quick-round"]) + 1
    # The checklist follows its guide in the book: the guide is printed up to the page the
    # checklist starts on (or the one before it, when the checklist opens a page).
    assert guide[1] in (checklist_start - 1, checklist_start)
    assert found["checklist-quick-round"][0] == checklist_start


@pytest.mark.parametrize("lang", LANGS)
def test_a_language_zips_exercise_page_says_the_pages_after_each_moved_link(
    readers_site: Path, lang: str
):
    page = readers_site / "unzipped" / f"readers-{lang}.zip" / lang / "exercises/quick-round.html"
    found = _INTO_BOOK.findall(page.read_text(encoding="utf-8"))
    assert sorted(anchor for anchor, _ in found) == [
        "checklist-quick-round",
        "exercise-quick-round",
    ]
    for _, aside in found:
        assert aside.startswith("(") and aside.endswith(")"), aside
        pages_in(aside[1:-1], lang)


@pytest.mark.parametrize("bundle", ["site", "unzipped/readers-all.zip"])
def test_the_site_and_the_zip_of_every_language_keep_each_pdf_with_its_size(
    readers_site: Path, bundle: str
):
    for lang in LANGS:
        root = readers_site / bundle / lang
        found = rows(root / "downloads.html")
        assert len(found) >= 5
        for href, _, classes, words in found:
            assert "#" not in href and classes == "pg-size"
            assert words == _filesize((root / href).stat().st_size, lang), (lang, href)
        for page in root.rglob("*.html"):
            assert "pg-book-pages" not in page.read_text(encoding="utf-8"), page


MOVED = {
    "en/downloads/guides/a.pdf": Moved(
        "en/downloads/p.pdf#nameddest=exercise-a", "<span>P</span>", "<span>(P)</span>"
    )
}


def test_a_moved_link_takes_the_size_that_follows_it_and_no_other():
    page = (
        '<a href="downloads/guides/a.pdf">A</a> <span class="pg-size">9 kB</span>'
        ' <a href="downloads/b.pdf">B</a> <span class="pg-size">8 kB</span>'
    )
    assert _links_moved("en/downloads.html", page, MOVED) == (
        '<a href="downloads/p.pdf#nameddest=exercise-a">A</a>'
        " <span>P</span>"
        ' <a href="downloads/b.pdf">B</a> <span class="pg-size">8 kB</span>'
    )


def test_a_moved_link_with_no_size_is_followed_by_its_pages():
    page = '<a href="../downloads/guides/a.pdf">Guide</a> · <a href="../x.html">X</a>'
    assert _links_moved("en/exercises/a.html", page, MOVED) == (
        '<a href="../downloads/p.pdf#nameddest=exercise-a">Guide</a>'
        ' <span>(P)</span> · <a href="../x.html">X</a>'
    )


def test_the_words_for_pages_are_text_whatever_a_pack_template_writes(tmp_path: Path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/book-pages.j2").write_text("<b onclick=x>{{ first }}</b>")
    env = make_environment([tmp_path, DEFAULTS_DIR], Translator("en"))
    size, after = _pages_words(env, (3, 4))
    assert ">&lt;b onclick=x&gt;3&lt;/b&gt;</span>" in size and "onclick=x>" not in size
    assert ">&lt;b onclick=x&gt;3&lt;/b&gt;</span>" in after


def test_the_words_for_pages_say_one_page_several_or_none_known():
    env = make_environment([DEFAULTS_DIR], Translator("en", is_source=True))
    assert _pages_words(env, (3, 3)) == (
        '<span class="pg-size pg-book-pages">page 3 of the whole pack</span>',
        '<span class="pg-book-pages">(page 3 of the whole pack)</span>',
    )
    assert ">pages 3–5 of the whole pack<" in _pages_words(env, (3, 5))[0]
    assert ">in the whole pack<" in _pages_words(env, None)[0]


TOP = 800.0


def book(**places: Place) -> Destinations:
    return Destinations(dict(places), pages=9)


def test_a_part_ends_before_a_page_the_next_part_opens():
    found = book(a=Place(1, TOP), b=Place(2, 500.0), c=Place(4, TOP))
    assert found.pages_from("a") == (2, 3)  # b starts part-way down page 3
    assert found.pages_from("b") == (3, 4)  # c opens page 5
    assert found.pages_from("c") == (5, 9)  # nothing after c: to the end


def test_a_part_that_shares_its_page_with_the_next_ends_there():
    found = book(a=Place(1, TOP), b=Place(1, 300.0), z=Place(0, None))
    assert found.pages_from("a") == (2, 2)
    assert found.pages_from("z") == (1, 1)  # no height: the top of its page
    assert Destinations({"a": Place(None)}, pages=0).pages_from("a") is None


def test_a_part_runs_over_what_no_link_opens_inside_it():
    # An assessment's stages and rows have ids, but only the contents links the parts.
    places = {"a": Place(1, TOP), "a-stage": Place(2, 600.0), "b": Place(4, TOP)}
    found = Destinations(places, pages=9, linked=frozenset({"a", "b"}))
    assert found.pages_from("a") == (2, 4)


def test_destinations_of_anything_but_weasyprints_pdfs_are_none():
    assert destinations(b"not a pdf").places == {}
    assert "x" not in destinations(b"%PDF-1.7\n")
