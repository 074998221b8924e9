"""The whole-pack book cut into parts, each of which can be laid out alone as in the book.

pack.html.j2 marks where the parts of the book begin: the cover and contents,
then each entry of the menu's top level, which starts a page of its own. A
part laid out alone comes out as the same pages of the book only if its
pages carry the book's numbers: its page numbers count on from the parts
before it, `counter(pages)` is the book's total, and a page reference into
another part gives the page it points at. So the part's HTML is laid out
between empty pages standing in for the rest of the book: as many before it
as the book has pages before it, as many after it as come after it, each
holding (as an empty element with its id) the anchors of the other parts
on that page that the part refers to. Its own pages are then taken from
the middle. The empty pages keep left and right pages where they are too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

FRONT = "<!--packgen:front-->"
PART = "<!--packgen:part-->"
END = "<!--packgen:end-->"

_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_HREF = re.compile(r"""\shref\s*=\s*(?:"#([^"]*)"|'#([^']*)')""")
_PAD = (
    '<div style="display: block; margin: 0; padding: 0; border: 0; height: 0; '
    'break-before: page; break-after: page; page-break-before: always">{}</div>'
)
_ANCHOR = '<span id="{}" style="display: block; height: 0"></span>'


@dataclass(frozen=True)
class BookHtml:
    """The HTML of the book: what comes before its parts, the parts, and what follows."""

    head: str
    parts: tuple[str, ...]
    """The cover and contents first, then each part."""
    tail: str

    def whole(self) -> str:
        return self.head + "".join(self.parts) + self.tail

    def alone(self, index: int) -> str:
        """Part index as a document of its own, for checking its anchors."""
        return self.head + self.parts[index] + self.tail

    def padded(self, index: int, before: list[list[str]], after: list[list[str]]) -> str:
        """Part index between empty pages: before[i] and after[i] are the anchors the i-th
        empty page before and after it holds."""
        return (
            self.head
            + "".join(_pad(anchors) for anchors in before)
            + self.parts[index]
            + "".join(_pad(anchors) for anchors in after)
            + self.tail
        )


def _pad(anchors: list[str]) -> str:
    return _PAD.format("".join(_ANCHOR.format(escape(name, quote=True)) for name in anchors))


def split_book(html: str, count: int) -> BookHtml | None:
    """The book's parts where the template marks them; None where it does not mark count
    parts (a pack's own template, say), and the book is drawn whole."""
    if html.count(FRONT) != 1 or html.count(END) != 1:
        return None
    head, _, rest = html.partition(FRONT)
    body, _, after = rest.partition(END)
    pieces = body.split(PART)
    # A marker too many would cut a chapter in two: written by the pack, say, not the template.
    if len(pieces) != count or len(pieces) < 2 or any(FRONT in p or END in p for p in pieces):
        return None
    parts = (FRONT + pieces[0], *(PART + piece for piece in pieces[1:]))
    parts = (*parts[:-1], parts[-1] + END)
    return BookHtml(head, parts, after)


def ids(html: str) -> list[str]:
    """The element ids of a part's HTML, in order."""
    return [m[1] if m[1] is not None else m[2] for m in _ID.finditer(html)]


def references(html: str) -> set[str]:
    """The anchors a part's links (and with them its page references) point at."""
    return {m[1] if m[1] is not None else m[2] for m in _HREF.finditer(html)}
