"""The whole-pack book drawn in parts: an edit draws its part again, and the bound book is the
book drawn whole."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from packgen.build import BuildReport, build
from packgen.printables.bookparts import PARTS_ENV
from packgen.printables.destinations import destinations

FIXTURE = Path(__file__).parent / "fixtures" / "mini"
REPO = Path(__file__).resolve().parents[1]
BOOK = "en/downloads/mini.pdf"

# Every exercise a part of its own: an edit to one changes a small part of the book.
FLAT = """\
id: mini
title: Mini pack
summary: A small pack used by the tests.
languages: [en, fr, ar]
extends: {base}
contents:
  - page: index.md
  - exercise: quick-round
  - exercise: story-circle
  - exercise: mini-log
  - generated: catalogue
"""


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(FIXTURE, root)
    (root / "pack.yml").write_text(FLAT.format(base=REPO), encoding="utf-8")
    return root


def _build(root: Path, work: Path, languages: list[str] | None = None) -> BuildReport:
    return build(
        root, work.parent / f"{work.name}-site", work_dir=work, languages=languages or ["en"]
    )


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _files(work: Path) -> dict[str, int]:
    return {
        p.relative_to(work).as_posix(): p.stat().st_mtime_ns
        for p in sorted(work.rglob("*"))
        if p.is_file()
    }


def test_an_edit_to_one_exercise_draws_its_part_of_the_book_alone(pack, tmp_path):
    work = tmp_path / "work"
    cold = _build(pack, work)
    assert "en/mini.pdf#front" in cold.book_parts_drawn
    assert "en/mini.pdf#exercise-quick-round" in cold.book_parts_drawn
    before = _digest(work / BOOK)
    exercise = pack / "exercises/quick-round.yml"
    original = exercise.read_text(encoding="utf-8")
    _edit(exercise, "Nobody gives advice.", "Nobody gives advice. Edited.")
    edited = _build(pack, work)
    assert edited.book_parts_drawn == ["en/mini.pdf#exercise-quick-round"]
    assert edited.pdfs_drawn == ["en/guides/quick-round.pdf", "en/mini.pdf"]
    assert "Edited." in "".join(p.extract_text() for p in PdfReader(work / BOOK).pages)
    # The part drawn alone is the part as the book drawn whole gave it: back to the same bytes.
    exercise.write_text(original, encoding="utf-8")
    reverted = _build(pack, work)
    assert reverted.book_parts_drawn == ["en/mini.pdf#exercise-quick-round"]
    assert _digest(work / BOOK) == before


@pytest.mark.parametrize("whole_share", [0.5, 1.0], ids=["laid-out-whole", "part-by-part"])
def test_a_part_that_grows_draws_again_the_parts_whose_page_numbers_moved(
    pack, tmp_path, monkeypatch, whole_share
):
    # 1.0: however much changed, the parts are drawn one by one, each alone.
    monkeypatch.setattr("packgen.printables.bookparts.WHOLE_SHARE", whole_share)
    work = tmp_path / "work"
    cold = _build(pack, work)
    pages = len(PdfReader(work / BOOK).pages)
    many = "\n\n".join(f"      Paragraph {n} of a longer step, to fill a page." for n in range(60))
    _edit(
        pack / "exercises/story-circle.yml",
        "instructions: Each person tells a two-minute story.",
        "instructions: |\n      Each person tells a two-minute story.\n\n" + many,
    )
    grown = _build(pack, work)
    assert len(PdfReader(work / BOOK).pages) > pages
    # Every page shows the book's number of pages, which changed: every part is drawn again.
    assert set(grown.book_parts_drawn) == set(cold.book_parts_drawn)
    _same_book(work / BOOK, _whole(pack, tmp_path))


def _whole(pack: Path, tmp_path: Path, languages: list[str] | None = None) -> Path:
    """The book of the pack drawn whole, uncut."""
    mp = pytest.MonkeyPatch()
    mp.setenv(PARTS_ENV, "0")
    try:
        work = tmp_path / "whole"
        report = _build(pack, work, languages)
    finally:
        mp.undo()
    assert report.book_parts_drawn == []
    return work / "en/downloads/mini.pdf"


def _outline(reader: PdfReader) -> list[tuple[int, str, int, float]]:
    found: list[tuple[int, str, int, float]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                found.append((depth, item.title, page, float(item.top or 0)))

    walk(reader.outline, 0)
    return found


def _links(reader: PdfReader) -> list[tuple[int, str, list[float]]]:
    found = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            target = str(annotation.get("/Dest") or annotation["/A"]["/URI"])
            found.append((number, target, [round(float(x), 2) for x in annotation["/Rect"]]))
    return found


def _pixels(pdf: Path) -> list[bytes]:
    """Each page as pdftoppm draws it at 50 dpi."""
    folder = pdf.parent / f"{pdf.stem}-pixels"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    subprocess.run(["pdftoppm", "-r", "50", str(pdf), str(folder / "page")], check=True)
    return [page.read_bytes() for page in sorted(folder.iterdir())]


def _same_book(bound: Path, whole: Path) -> None:
    a, b = PdfReader(bound), PdfReader(whole)
    assert len(a.pages) == len(b.pages)
    assert [p.extract_text() for p in a.pages] == [p.extract_text() for p in b.pages]
    assert _pixels(bound) == _pixels(whole)
    assert _outline(a) == _outline(b) and _outline(a)
    assert _links(a) == _links(b)
    da, db = destinations(bound.read_bytes()), destinations(whole.read_bytes())
    assert da.places == db.places and da.places
    assert da.pages == db.pages and da.linked == db.linked
    assert a.metadata == b.metadata


def test_the_bound_book_is_the_book_drawn_whole(pack, tmp_path):
    work = tmp_path / "work"
    report = _build(pack, work, ["en", "ar"])
    assert "ar/mini.pdf#front" in report.book_parts_drawn
    whole = _whole(pack, tmp_path, ["en", "ar"])
    _same_book(work / BOOK, whole)
    # Arabic too (its text is not compared: a part's font subset reads a mirrored parenthesis
    # as the character it first stood for in that part, the whole book's as in the book).
    bound_ar, whole_ar = work / "ar/downloads/mini.pdf", whole.parents[2] / "ar/downloads/mini.pdf"
    assert _outline(PdfReader(bound_ar)) == _outline(PdfReader(whole_ar))
    assert destinations(bound_ar.read_bytes()).places == destinations(whole_ar.read_bytes()).places
    assert _pixels(bound_ar) == _pixels(whole_ar)
    # The subsets of each font are merged into one, which every part uses.
    for pdf in (work / BOOK, bound_ar):
        assert _font_files(PdfReader(pdf)) == _font_files(
            PdfReader(whole.parents[2] / pdf.relative_to(work))
        )


def _font_files(reader: PdfReader) -> dict[str, int]:
    """How many font files each font has embedded."""
    files: dict[str, set[int]] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            name = str(font["/BaseFont"]).partition("+")[2]
            files.setdefault(name, set()).add(descriptor.raw_get("/FontFile2").idnum)
    return {name: len(found) for name, found in files.items()}


def test_an_unchanged_rebuild_draws_nothing_and_rewrites_no_file(pack, tmp_path):
    work = tmp_path / "work"
    _build(pack, work)
    files = _files(work)
    again = _build(pack, work)
    assert again.book_parts_drawn == [] and again.pdfs_drawn == []
    assert _files(work) == files


def test_two_cold_builds_give_the_same_book(pack, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    _build(pack, first)
    _build(pack, second)
    assert _digest(first / BOOK) == _digest(second / BOOK)
    assert sorted(p.name for p in (first / "en/book-parts").iterdir()) == sorted(
        p.name for p in (second / "en/book-parts").iterdir()
    )


def test_a_book_whose_stylesheet_counts_across_parts_is_drawn_whole(pack, tmp_path):
    from .conftest import own_template

    css = own_template(pack, "print/print.css")
    css.write_text(
        css.read_text(encoding="utf-8") + "\nh1 { counter-increment: chapter; }\n", "utf-8"
    )
    report = _build(pack, tmp_path / "work")
    assert report.book_parts_drawn == []
    assert "en/mini.pdf" in report.pdfs_drawn


def test_a_book_is_cut_only_where_the_template_marks_each_part():
    from packgen.printables.parts import END, FRONT, PART, split_book

    parts = f"{FRONT}<nav>c</nav>{PART}<article id='a'>A</article>{PART}<p id='b'>B</p>{END}"
    html = f"<body>{parts}</body>"
    book = split_book(html, 3)
    assert book is not None and book.whole() == html
    assert [book.alone(i) for i in range(3)] == [
        f"<body>{FRONT}<nav>c</nav></body>",
        f"<body>{PART}<article id='a'>A</article></body>",
        f"<body>{PART}<p id='b'>B</p>{END}</body>",
    ]
    # A marker more than the book has parts (in a chapter's text, say) cuts nothing.
    forged = html.replace(">A<", f">A{PART}A<")
    assert split_book(forged, 3) is None
    assert split_book("<body>no markers</body>", 1) is None
