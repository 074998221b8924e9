"""The named destinations of a PDF packgen drew: the anchors a link can open it at, and where.

WeasyPrint names a destination after every element id of the HTML, in one
name tree in the document catalog, each pointing at a page and a height on
it; the pages are listed in one page tree. Both sit compressed in an object
stream (or, in an uncompressed file, in the open). Only that much of PDF is
read here: enough for the files WeasyPrint writes, and nothing for any other.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

_OBJECT_STREAM = re.compile(
    rb"/Type\s*/ObjStm\b[^>]*?/Length\s+(\d+)|/Length\s+(\d+)[^>]*?/Type\s*/ObjStm\b"
)
_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_DESTS = re.compile(rb"/Dests\s*<<\s*/Names\s*\[")
_LITERAL = rb"\(((?:[^()\\]|\\.)*)\)"
_NAME_AND_TARGET = re.compile(rb"\s*" + _LITERAL + rb"\s*(\d+\s+\d+\s+R|\[[^\]]*\])", re.DOTALL)
_NUMBER = rb"(-?(?:\d+\.?\d*|\.\d+)|null)"
_PAGE_AND_TOP = re.compile(rb"\[\s*(\d+)\s+\d+\s+R\s*/XYZ\s+" + _NUMBER + rb"\s+" + _NUMBER)
_PAGE_ONLY = re.compile(rb"\[\s*(\d+)\s+\d+\s+R\b")
_PAGE_TREE = re.compile(rb"<<(?:(?!<<|>>).)*?/Type\s*/Pages\b(?:(?!<<|>>).)*>>", re.DOTALL)
_LINKED = re.compile(rb"/Dest\s*" + _LITERAL)
"""A link's destination by name (a name tree's key is never written after /Dest)."""
_KIDS = re.compile(rb"/Kids\s*\[([^\]]*)\]")
_REFERENCE = re.compile(rb"(\d+)\s+\d+\s+R")
_TOP_OF_PAGE = 0.5
"""Points: a destination this close to the highest any destination sits is at a page's top."""


@dataclass(frozen=True)
class Place:
    """Where a named destination opens its PDF."""

    page: int | None
    """Index of its page, 0 for the first; None where the page could not be read."""
    top: float | None = None
    """Height of its top above the page's bottom, in points; None for the page's top."""


@dataclass(frozen=True)
class Destinations:
    """The named destinations of a PDF and its number of pages (0 where none was read)."""

    places: dict[str, Place]
    pages: int
    linked: frozenset[str] = frozenset()
    """The names that links inside the PDF open: the whole pack's contents page links each
    of its parts, and nothing inside one (an assessment's stages, its rows)."""

    def __contains__(self, name: object) -> bool:
        return name in self.places

    def pages_from(self, name: str) -> tuple[int, int] | None:
        """The pages, numbered from 1 as the footers number them, that the part of the
        document opened at name fills: up to where the next part (a destination some link
        opens; any, in a PDF with no links) starts, or to the end. None where the pages
        could not be read."""
        start = self.places[name]
        if start.page is None or self.pages == 0:
            return None
        top = self._top()
        parts = [p for n, p in self.places.items() if n in self.linked or not self.linked]
        after = sorted(
            (place.page, -_height(place, top))
            for place in parts
            if place.page is not None and _after(place, start, top)
        )
        if not after:
            return start.page + 1, self.pages
        page, height = after[0]
        # What starts at the top of a page leaves the page before it as the last one.
        last = page - 1 if -height >= top - _TOP_OF_PAGE else page
        return start.page + 1, max(start.page, last) + 1

    def _top(self) -> float:
        heights = [p.top for p in self.places.values() if p.top is not None]
        return max(heights, default=0.0)


def _height(place: Place, top: float) -> float:
    return top if place.top is None else place.top


def _after(place: Place, start: Place, top: float) -> bool:
    assert place.page is not None and start.page is not None
    if place.page != start.page:
        return place.page > start.page
    return _height(place, top) < _height(start, top) - _TOP_OF_PAGE


def destinations(pdf: bytes) -> Destinations:
    """The named destinations of pdf (WeasyPrint's output); none if none are found."""
    places: dict[str, Place] = {}
    texts = (pdf, *_object_streams(pdf))
    pages = _page_order(texts)
    for text in texts:
        for tree in _DESTS.finditer(text):
            position = tree.end()
            # The tree's pairs one after another, up to the array's end.
            while match := _NAME_AND_TARGET.match(text, position):
                position = match.end()
                name = _name(match.group(1))
                if name is not None:
                    places[name] = _place(match.group(2), pages)
    linked = {_name(link.group(1)) for text in texts for link in _LINKED.finditer(text)}
    return Destinations(places, len(pages), frozenset(n for n in linked if n is not None))


def _name(literal: bytes) -> str | None:
    """A name as a PDF string writes it, its escapes undone; None for one not in ASCII."""
    try:
        return re.sub(rb"\\(.)", rb"\1", literal, flags=re.DOTALL).decode("ascii")
    except UnicodeDecodeError:
        return None


def _place(target: bytes, pages: dict[int, int]) -> Place:
    """Where a destination's target array points; a reference to an array is not followed."""
    if match := _PAGE_AND_TOP.match(target):
        top = None if match.group(3) == b"null" else float(match.group(3))
        return Place(pages.get(int(match.group(1))), top)
    if match := _PAGE_ONLY.match(target):
        return Place(pages.get(int(match.group(1))))
    return Place(None)


def _page_order(texts: tuple[bytes, ...]) -> dict[int, int]:
    """Each page's object number and its index, from a page tree of one level (WeasyPrint's);
    empty for any other."""
    trees = [tree.group(0) for text in texts for tree in _PAGE_TREE.finditer(text)]
    if len(trees) != 1 or not (kids := _KIDS.search(trees[0])):
        return {}
    order = [int(number) for number in _REFERENCE.findall(kids.group(1))]
    return {number: index for index, number in enumerate(order)}


def _object_streams(pdf: bytes) -> list[bytes]:
    found = []
    for header in _OBJECT_STREAM.finditer(pdf):
        start = _STREAM_START.search(pdf, header.end())
        if start is None:
            continue
        length = int(header.group(1) or header.group(2))
        try:
            found.append(zlib.decompress(pdf[start.end() : start.end() + length]))
        except zlib.error:
            continue
    return found
