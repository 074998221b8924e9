"""Sections for authors: last in the menu, out of the whole-pack PDF, no paging into them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from packgen.build import build
from packgen.errors import PackInvalid
from packgen.resolve import load_pack

from .conftest import make_pack

AUDIENCE_PACK = """\
id: shelf
title: Shelf pack
languages: [en, ar]
contents:
  - page: index.md
  - section: Basics
    contents:
      - page: basics.md
      - exercise: first-steps
  - page: last-for-readers.md
  - section: Workshop
    audience: authors
    contents:
      - page: editing.md
      - generated: schema-reference
  - section: Languages
    audience: authors
    contents:
      - page: languages.md
      - generated: translation-status
"""

PAGES = {
    "content/basics.md": "# Basics\n\nThe basics, for readers.\n",
    "content/last-for-readers.md": "# Last for readers\n\nThe last page readers see.\n",
    "content/editing.md": "# Editing the shelf\n\nHow to change the pack.\n",
    "content/languages.md": "# Adding a language\n\nHow to translate.\n",
}


@pytest.fixture(scope="module")
def shelf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_pack(
        tmp_path_factory.mktemp("shelf") / "pack", {"pack.yml": AUDIENCE_PACK, **PAGES}
    )
    build(root, root.parent / "site", work_dir=root.parent / "work")
    return root.parent / "site"


def footer_links(page: Path) -> dict[str, str]:
    """The footer's Previous and Next links of a built page: {'prev': href, 'next': href}."""
    html = page.read_text(encoding="utf-8")
    footer = html[html.index('<nav class="md-footer__inner') :]
    footer = footer[: footer.index("</nav>")]
    return {
        side: href
        for href, side in re.findall(
            r'<a href="([^"]+)" class="md-footer__link md-footer__link--(prev|next)"', footer
        )
    }


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_next_and_previous_stop_at_the_authors_sections(shelf, lang):
    site = shelf / lang
    assert footer_links(site / "basics.html") == {
        "prev": "index.html",
        "next": "exercises/first-steps.html",
    }
    # The last readers' page leads nowhere further; the first authors' page back nowhere.
    assert footer_links(site / "last-for-readers.html") == {"prev": "exercises/first-steps.html"}
    assert footer_links(site / "editing.html") == {"next": "reference/schema.html"}
    # Between authors' sections, paging goes on as usual.
    assert footer_links(site / "reference/schema.html") == {
        "prev": "../editing.html",
        "next": "../languages.html",
    }
    # The menu still lists every section, authors' last.
    home = (site / "index.html").read_text(encoding="utf-8")
    assert home.index("Basics") < home.index("Workshop") < home.index("Languages")


def test_a_page_under_its_sections_name_is_the_sections_link_not_listed_twice(shelf):
    home = (shelf / "en/index.html").read_text(encoding="utf-8")
    menu = home[home.index("md-nav--primary") :]
    labels = re.findall(r'<span class="md-ellipsis">\s*([^<]+?)\s*</span>', menu)
    assert labels.count("Basics") == 1
    assert re.search(r'<a href="basics.html" class="md-nav__link[^"]*">\s*<span', menu)
    # Other sections stay plain labels over their pages.
    assert labels.count("Workshop") == 1 and "Editing the shelf" in labels


def test_the_whole_pack_pdf_leaves_out_the_authors_sections(shelf):
    reader = PdfReader(shelf / "en/downloads/shelf.pdf")
    titles: list[str] = []

    def walk(items: list) -> None:
        for item in items:
            walk(item) if isinstance(item, list) else titles.append(item.title)

    walk(reader.outline)
    assert {"Basics", "First steps", "Last for readers"} <= set(titles)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Last for readers" in text
    # The section's first page has the section's name: it opens the section, titled once.
    assert titles.count("Basics") == 1 and "The basics, for readers." in text
    for authors in ("Workshop", "Editing the shelf", "Languages", "Adding a language"):
        assert authors not in titles and authors not in text, authors


def test_an_authors_section_before_readers_entries_is_a_located_error(tmp_path):
    moved = (
        AUDIENCE_PACK.replace("  - page: last-for-readers.md\n", "")
        + "  - page: last-for-readers.md\n"
    )
    root = make_pack(tmp_path / "pack", {"pack.yml": moved, **PAGES})
    _, problems = load_pack(root)
    [error] = problems.errors
    assert error.location.path.endswith("pack.yml")
    assert "'Languages' is for authors" in error.message
    assert "last-for-readers.md" in error.message
    with pytest.raises(PackInvalid):
        build(root, tmp_path / "site")


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ("  - page: basics.md\n    audience: authors\n", "only a section"),
        (
            "  - section: Outer\n    contents:\n      - section: Inner\n"
            "        audience: authors\n        contents:\n          - page: basics.md\n",
            "mark the top-level section",
        ),
        (
            "  - section: Odd\n    audience: everyone\n    contents:\n      - page: basics.md\n",
            "authors",
        ),
    ],
)
def test_audience_is_validated(tmp_path, entry, expected):
    pack_yml = "id: shelf\ntitle: Shelf\nlanguages: [en]\ncontents:\n" + entry
    root = make_pack(tmp_path / "pack", {"pack.yml": pack_yml, **PAGES})
    _, problems = load_pack(root)
    assert problems.errors and expected in problems.errors[0].message, problems.errors
