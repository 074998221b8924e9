"""Page references in PDFs: right numbers, without laying pages out more often than needed."""

from __future__ import annotations

import pytest

pytest.importorskip("weasyprint")

CHAPTERS = 5
STYLE = """
@page { size: A6; margin: 10mm; }
html { font: 10pt sans-serif; }
.chapter { break-before: page; }
.toc a::after { content: " p" target-counter(attr(href), page); }
.ref::after { content: " (p" target-counter(attr(href), page) ")"; }
"""


def _book(extra: str = "") -> str:
    toc = "".join(f'<p class="toc"><a href="#c{n}">C{n}</a></p>' for n in range(1, CHAPTERS + 1))
    # Chapters of different lengths, so that each number tells a different page.
    chapters = "".join(
        f'<section class="chapter" id="c{n}"><h1>Chapter {n}</h1>'
        + (f'<p>See <a class="ref" href="#c{CHAPTERS}">the last</a>.</p>' if n == 1 else "")
        + "<p>Words to fill the page with.</p>" * (18 * n)
        + "</section>"
        for n in range(1, CHAPTERS + 1)
    )
    return f"<html lang='en'><body>{extra}{toc}{chapters}</body></html>"


def _render(html: str, style: str = STYLE):
    import weasyprint

    from packgen.printables import pagination

    pagination.install()
    return weasyprint.HTML(string=html).render(stylesheets=[weasyprint.CSS(string=style)])


def _text(box) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return box.text
    return " ".join(_text(child) for child in getattr(box, "children", []))


def _page_of(document, anchor: str) -> int:
    return next(i for i, page in enumerate(document.pages, start=1) if anchor in page.anchors)


def _made_pages(monkeypatch) -> list[int]:
    from weasyprint.layout import page

    made: list[int] = []
    original = page.remake_page

    def remake_page(index, *args):
        made.append(index)
        return original(index, *args)

    monkeypatch.setattr(page, "remake_page", remake_page)
    return made


def test_page_references_give_their_targets_pages():
    document = _render(_book())
    pages = [_page_of(document, f"c{n}") for n in range(1, CHAPTERS + 1)]
    assert len(set(pages)) == CHAPTERS  # the fixture tells the chapters apart
    contents = " ".join(_text(document.pages[0]._page_box).split())
    for n, page in enumerate(pages, start=1):
        assert f"C{n} p{page}" in contents
    first = " ".join(_text(document.pages[pages[0] - 1]._page_box).split())
    assert f"the last (p{pages[-1]})" in first


def test_a_page_is_laid_out_again_only_while_its_references_change(monkeypatch):
    made = _made_pages(monkeypatch)
    document = _render(_book())
    # Every page once; then the contents and the page referring ahead once more, their
    # numbers known; nothing moved, so no further pass.
    first = _page_of(document, "c1") - 1
    assert sorted(made) == sorted([*range(len(document.pages)), 0, first])


def test_a_count_of_the_pages_in_the_text_still_gets_it():
    # (WeasyPrint 70 cannot draw target-counter(x, pages) at all, with or without this.)
    extra = '<p>Pages: <span class="total"></span>.</p>'
    document = _render(_book(extra), STYLE + ".total::after { content: counter(pages); }")
    first = " ".join(_text(document.pages[0]._page_box).split())
    assert f"Pages: {len(document.pages)} ." in first
