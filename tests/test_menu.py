"""The site's menu: open sections while it is small, each page's own section once it is large."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
import yaml

from packgen.build import build
from packgen.config import OPEN_MENU_PAGES
from packgen.render.pages import NavEntry
from packgen.resolve import load_pack
from packgen.site_settings import SECTIONS, menu_features, menu_pages

from .conftest import PACK_YML, make_pack
from .test_readers import dead_links

EXERCISE = """\
id: {id}
kind: challenge-clinic
title: Exercise {n}
summary: A short exercise.
purpose: Practise asking questions.
when_to_use: [Any time.]
group_size: {{min: 2, max: 5}}
duration: 10
steps:
  - title: Ask
    minutes: 10
    instructions: Ask open questions.
"""
DEEPER = list(range(45, 55))
SECTIONS_OF_LARGE = {
    # "Basics" opens on a page with its own title (navigation.indexes shows it as the
    # section's link); "Practice" holds a section of its own, pruned in its turn.
    "Basics": ["page:basics.md", *range(0, 25)],
    "Practice": [*range(25, 45), {"Deeper": DEEPER}],
    "More": ["page:more.md", *range(55, 70)],
}


def _entry(item: object) -> dict[str, object]:
    if isinstance(item, dict):
        [(title, items)] = item.items()
        return {"section": title, "contents": [_entry(i) for i in items]}
    if isinstance(item, str):
        return {"page": item.removeprefix("page:")}
    return {"exercise": f"exercise-{item:02d}"}


def _pages(item: object) -> list[str]:
    """The built pages of a menu item, in menu order."""
    if isinstance(item, dict):
        return [p for i in next(iter(item.values())) for p in _pages(i)]
    if isinstance(item, str):
        return [item.removeprefix("page:").replace(".md", ".html")]
    return [f"exercises/exercise-{item:02d}.html"]


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A one-language pack of 70 tiny exercises in three sections, built without PDFs."""
    contents = [
        {"page": "index.md"},
        *(
            {"section": t, "contents": [_entry(i) for i in items]}
            for t, items in SECTIONS_OF_LARGE.items()
        ),
        {"generated": "catalogue"},
    ]
    config = {"id": "large", "title": "Large pack", "languages": ["en"], "contents": contents}
    files = {
        "pack.yml": yaml.safe_dump(config, sort_keys=False),
        "content/basics.md": "# Basics\n\nWhere to start.\n",
        "content/more.md": "# Further on\n\nWhat comes next.\n",
    }
    files.update(
        {
            f"exercises/exercise-{n:02d}.yml": EXERCISE.format(id=f"exercise-{n:02d}", n=n)
            for n in range(70)
        }
    )
    root = make_pack(tmp_path_factory.mktemp("large") / "pack", files)
    (root / "exercises/first-steps.yml").unlink()
    build(root, root.parent / "site", ["en"], strict=True, printables=False)
    return root.parent


class _Menu(HTMLParser):
    """The pages the primary menu links, and the toggles of the sections it shows open."""

    def __init__(self) -> None:
        super().__init__()
        self.navs: list[bool] = []  # each <nav> open inside the primary menu: is it a TOC?
        self.links: list[str] = []
        self.open_toggles: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        classes = (found.get("class") or "").split()
        if tag == "nav" and (self.navs or "md-nav--primary" in classes):
            # The page's own table of contents sits inside the menu, for small screens.
            self.navs.append("md-nav--secondary" in classes or any(self.navs))
        elif self.navs and not self.navs[-1]:
            href = found.get("href")
            if tag == "a" and href and not href.startswith("#"):
                self.links.append(href)
            if tag == "input" and "md-nav__toggle" in classes and "checked" in found:
                self.open_toggles.append(found.get("id") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" and self.navs:
            self.navs.pop()


def menu_links(site: Path, page: str) -> tuple[list[str], list[str]]:
    """The pages (relative to the site) a page's menu links, in order, and its open toggles."""
    menu = _Menu()
    menu.feed((site / page).read_text(encoding="utf-8"))
    base = (site / page).parent
    targets = [
        (base / unquote(href.split("#")[0])).resolve().relative_to(site.resolve()).as_posix()
        for href in menu.links
    ]
    return targets, menu.open_toggles


def menu_of(site: Path, page: str) -> tuple[set[str], list[str]]:
    targets, open_toggles = menu_links(site, page)
    return set(targets), open_toggles


def test_a_large_menu_leaves_its_sections_closed(large: Path):
    settings = yaml.safe_load((large / "pack/build/en/mkdocs.yml").read_text(encoding="utf-8"))
    assert SECTIONS not in settings["theme"]["features"]
    assert "navigation.prune" in settings["theme"]["features"]


def test_each_page_of_a_large_menu_lists_the_top_level_and_its_own_section(large: Path):
    site = large / "site/en"
    sections = {title: _pages({title: items}) for title, items in SECTIONS_OF_LARGE.items()}
    top = {"index.html", "catalogue.html"} | {pages[0] for pages in sections.values()}
    for pages in sections.values():
        deeper = [p for p in pages if p in _pages({"Deeper": DEEPER})]
        for page in pages:
            targets, open_toggles = menu_of(site, page)
            own = set(pages) - set(deeper) | ({deeper[0]} if deeper else set())
            if page in deeper:
                own |= set(deeper)
            assert targets == top | own, (page, sorted(targets ^ (top | own)))
            # The page's section is open (and so is "Deeper" on its own pages).
            assert len(open_toggles) == (2 if page in deeper else 1), (page, open_toggles)
    home, _ = menu_of(site, "index.html")
    assert home == top


def test_every_page_of_a_large_menu_is_reached_through_the_menu(large: Path):
    site = large / "site/en"
    seen, todo = {"index.html"}, ["index.html"]
    while todo:
        targets, _ = menu_of(site, todo.pop())
        todo += sorted(targets - seen)
        seen |= targets
    expected = {p for items in SECTIONS_OF_LARGE.values() for i in items for p in _pages(i)}
    assert expected | {"index.html", "catalogue.html"} == seen
    assert dead_links(site) == []


def test_a_section_opening_on_its_own_page_is_linked_by_that_page(large: Path):
    # navigation.indexes: "Basics" is the page basics.html, not a label above it.
    targets, _ = menu_of(large / "site/en", "exercises/exercise-60.html")
    assert "basics.html" in targets
    html = (large / "site/en/exercises/exercise-03.html").read_text(encoding="utf-8")
    assert re.search(r'md-nav__container">\s*<a href="\.\./basics\.html"', html)
    basics, _ = menu_links(large / "site/en", "basics.html")
    assert "exercises/exercise-00.html" in basics
    assert basics.count("basics.html") == 1  # the section's own link, not listed again


def test_a_small_pack_keeps_every_section_open(write_pack, tmp_path: Path):
    root = write_pack()
    build(root, tmp_path / "site", ["en"], printables=False)
    settings = yaml.safe_load((root / "build/en/mkdocs.yml").read_text(encoding="utf-8"))
    assert SECTIONS in settings["theme"]["features"]


def _menu(pages: int) -> list[NavEntry]:
    return [
        NavEntry(None, "index.md"),
        NavEntry("All", children=[NavEntry(None, f"{n}.md") for n in range(pages - 1)]),
    ]


DEFAULTS = [SECTIONS, "navigation.top", "navigation.prune"]


@pytest.mark.parametrize(
    ("pages", "expand", "features", "expected"),
    [
        (OPEN_MENU_PAGES, "auto", DEFAULTS, DEFAULTS),
        (OPEN_MENU_PAGES + 1, "auto", DEFAULTS, ["navigation.top", "navigation.prune"]),
        (5, "auto", ["navigation.top"], ["navigation.top"]),
        (OPEN_MENU_PAGES + 1, "always", DEFAULTS, DEFAULTS),
        (5, "always", ["navigation.top"], [SECTIONS, "navigation.top"]),
        (5, "never", DEFAULTS, ["navigation.top", "navigation.prune"]),
    ],
)
def test_expand_sections_decides_the_sections_feature(pages, expand, features, expected):
    nav = _menu(pages)
    assert menu_pages(nav) == pages
    assert menu_features(features, nav, expand) == expected


def test_expand_sections_is_read_from_pack_yml_and_checked(write_pack):
    pack, _ = load_pack(write_pack({"pack.yml": PACK_YML + "site:\n  expand_sections: never\n"}))
    assert pack is not None and pack.config.site.expand_sections == "never"
    bad = PACK_YML + "site:\n  expand_sections: open\n"
    _, problems = load_pack(write_pack({"pack.yml": bad}, name="bad"))
    [error] = problems.errors
    assert error.location.line == len(PACK_YML.splitlines()) + 2
    assert "expected one of auto, always, never; found 'open'" in error.message
