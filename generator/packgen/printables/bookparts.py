"""The whole-pack book drawn in parts, each kept for the next build, and bound into one PDF.

Drawing the book whole takes longest of all PDFs, and an edit to one exercise
changes one part of it. So each part is kept as a PDF of its own, keyed by
its HTML (with the stylesheets, fonts and images, as every PDF is) and by the
numbers it shows from the rest of the book: the page it starts at, the
book's number of pages, and the page of every anchor of another part it
refers to. The plan of the book (each part's number of pages and where its
anchors are) comes from the parts' last drawing.

- Nothing kept (a first build, or most parts changed): the book is laid out
  whole once, as before; the plan is read from that layout, and each part's
  PDF is written from its pages.
- Some parts changed: each is laid out alone (parts.py) with the numbers of
  the plan. Where that changes its number of pages, the numbers of the parts
  after it change, and those whose numbers changed are drawn again, until
  the plan holds.

The parts are then bound (binding.py). Where the book cannot be cut cleanly
(a part that does not start a page, a stylesheet with counters of its own
that run across parts), it is drawn whole, as one part.
"""

from __future__ import annotations

import json
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from typing import Any

from packgen.errors import WarningCollector
from packgen.fingerprint import text_digest
from packgen.printables.binding import bind
from packgen.printables.parts import BookHtml, ids, references
from packgen.printables.pdf import PdfJob, PdfResult, Weasy, drawing, write_atomic

log = logging.getLogger(__name__)

REVISION = 1
"""Changes whenever the way parts are drawn does, so that parts drawn before are drawn again."""
MAX_ROUNDS = 4
"""Rounds of drawing parts again for a changed plan before the book is laid out whole."""
WHOLE_SHARE = 0.5
"""Share of the book's HTML that changed beyond which laying it out whole is quicker."""
_RUNNING = re.compile(r"string-set|counter-(?:reset|increment|set)\s*:\s*(?!page\b|none\b)")
"""Counters and running strings of a stylesheet's own would run on across parts."""


PARTS_ENV = "PACKGEN_BOOK_PARTS"


def in_parts() -> bool:
    """Whether whole-pack books are drawn in parts (PACKGEN_BOOK_PARTS=0 draws them whole)."""
    return os.environ.get(PARTS_ENV, "1").strip() not in ("0", "no", "off", "false")


@dataclass
class PartEntry:
    """One part as last drawn: the key it was drawn for, and its pages and anchors."""

    base: str
    key: str
    pages: int
    anchors: dict[str, int]
    """Each anchor's page, counted from the part's first page (0)."""
    warnings: list[str] = field(default_factory=list)
    first: str = ""
    """The part's first anchor, to name it by."""

    def file(self, folder: Path) -> Path:
        return folder / f"{self.key[:32]}.pdf"

    def to_json(self) -> dict[str, object]:
        return {
            "base": self.base,
            "key": self.key,
            "pages": self.pages,
            "anchors": self.anchors,
            "warnings": self.warnings,
            "first": self.first,
        }

    @classmethod
    def from_json(cls, data: object) -> PartEntry | None:
        if not isinstance(data, dict):
            return None
        try:
            anchors = {str(k): int(v) for k, v in data["anchors"].items()}
            return cls(
                str(data["base"]),
                str(data["key"]),
                int(data["pages"]),
                anchors,
                [str(w) for w in data.get("warnings", [])],
                str(data.get("first", "")),
            )
        except (KeyError, TypeError, ValueError, AttributeError):
            return None


@dataclass(frozen=True)
class BookJob:
    """The whole pack of one language, with what its parts were last drawn as."""

    pdf: PdfJob
    book: BookHtml
    bases: tuple[str, ...]
    """The key of each part's own HTML, stylesheets, fonts and images."""
    kept: tuple[PartEntry, ...]
    """The parts of the last build, in its order, whose PDFs are still there."""
    folder: Path
    """Where the parts' PDFs are kept."""

    @property
    def lang(self) -> str:
        return self.pdf.lang

    @property
    def name(self) -> str:
        return self.pdf.name

    @property
    def html(self) -> str:
        return self.pdf.html

    def run(self) -> PdfResult:
        return draw_book(self)


@dataclass
class BookResult(PdfResult):
    parts: list[PartEntry] = field(default_factory=list)
    """The parts the book is now bound from; empty where it was drawn whole, uncut."""
    drawn: list[int] = field(default_factory=list)
    """Which parts (by their place in the book) were drawn in this build."""


@dataclass
class _Plan:
    starts: list[int]
    total: int
    places: dict[str, int]
    """The book's page (from 0) of each anchor, the first where two share a name."""


def _plan(entries: list[PartEntry]) -> _Plan:
    starts: list[int] = []
    total = 0
    places: dict[str, int] = {}
    for entry in entries:
        starts.append(total)
        for name, page in entry.anchors.items():
            places.setdefault(name, total + page)
        total += entry.pages
    return _Plan(starts, total, places)


class _Parts:
    """The book's parts: their HTML, what each refers to elsewhere, and the key of each."""

    def __init__(self, job: BookJob) -> None:
        self.job = job
        self.book = job.book
        self.own = [[unescape(name) for name in ids(part)] for part in self.book.parts]
        mine = [set(names) for names in self.own]
        self.refers = [
            sorted({unescape(name) for name in references(part)} - mine[index])
            for index, part in enumerate(self.book.parts)
        ]

    def first(self, index: int) -> str:
        if index == 0:
            return "front"
        return self.own[index][0] if self.own[index] else str(index)

    def key(self, index: int, plan: _Plan) -> str:
        numbers = [(name, plan.places.get(name)) for name in self.refers[index]]
        return text_digest(
            f"parts={REVISION}",
            self.job.bases[index],
            f"start={plan.starts[index]} total={plan.total}",
            json.dumps(numbers),
        )


def cuttable(stylesheets: tuple[tuple[str, str], ...], html: str) -> bool:
    """Whether the book's pages come out the same drawn in parts: no counter or running string
    of the stylesheets' own carries on from one part into the next."""
    return not any(_RUNNING.search(css) for css, _ in stylesheets) and not _RUNNING.search(
        html.partition("<body")[0]
    )


def draw_book(job: BookJob) -> BookResult:
    """Draw what changed of the book and bind it into job.pdf.target."""
    result = BookResult(job.lang, job.name)

    def draw(weasy: Weasy) -> int:
        parts = _Parts(job)
        kept = {entry.key: entry for entry in job.kept}
        previous = list(job.kept)
        entries: list[PartEntry] = []
        # The plan until parts are drawn: a part as it was, or as the part in its place was.
        for index, base in enumerate(job.bases):
            same = next((e for e in previous if e.base == base), None)
            if same is None and len(previous) == len(job.bases):
                same = previous[index]
            entries.append(same or PartEntry(base, "", 1, {}))
        changed = sum(
            len(part)
            for part, base in zip(job.book.parts, job.bases, strict=True)
            if not any(e.base == base for e in previous)
        )
        if changed <= WHOLE_SHARE * len(job.html):
            drawn = _draw_changed(weasy, job, parts, entries, kept)
            if drawn is not None:
                return _bound(job, result, entries, drawn)
        return _draw_whole(weasy, job, parts, result)

    finished = drawing(job.pdf, draw)
    result.size, result.seconds, result.error = finished.size, finished.seconds, finished.error
    # What the stylesheets said, and what each part said when it was drawn (now or before).
    said = [*finished.warnings, *(w for e in result.parts for w in e.warnings)]
    result.warnings = list(dict.fromkeys(m for m in said if m.strip()))
    return result


def _bound(job: BookJob, result: BookResult, entries: list[PartEntry], drawn: list[int]) -> int:
    result.parts, result.drawn = entries, drawn
    started = time.perf_counter()
    size = bind(
        [entry.file(job.folder) for entry in entries],
        job.pdf.target,
        bytes.fromhex(job.pdf.identifier),
    )
    log.debug("%s/%s: bound in %.1f s", job.lang, job.name, time.perf_counter() - started)
    return size


def _draw_changed(
    weasy: Weasy,
    job: BookJob,
    parts: _Parts,
    entries: list[PartEntry],
    kept: dict[str, PartEntry],
) -> list[int] | None:
    """Draw the parts whose key changed, each alone, until the plan holds; None where a part
    could not be drawn alone as in the book."""
    drawn: list[int] = []
    for _round in range(MAX_ROUNDS):
        plan = _plan(entries)
        due = []
        for index in range(len(entries)):
            key = parts.key(index, plan)
            if key in kept and kept[key].base == job.bases[index]:
                entries[index] = kept[key]
            elif entries[index].key != key or not entries[index].file(job.folder).is_file():
                due.append((index, key))
        if not due:
            return drawn
        if sum(len(job.book.parts[index]) for index, _key in due) > WHOLE_SHARE * len(job.html):
            # The number of pages changed, say, and with it every page's footer.
            return None
        for index, key in due:
            entry = _draw_alone(weasy, job, parts, index, key, plan)
            if entry is None:
                return None
            entries[index] = kept[key] = entry
            if index not in drawn:
                drawn.append(index)
    return None


def _draw_alone(
    weasy: Weasy, job: BookJob, parts: _Parts, index: int, key: str, plan: _Plan
) -> PartEntry | None:
    before: list[list[str]] = [[] for _ in range(plan.starts[index])]
    pages = _entry_pages(plan, index)
    after: list[list[str]] = [[] for _ in range(max(0, plan.total - plan.starts[index] - pages))]
    for name in parts.refers[index]:
        page = plan.places.get(name)
        if page is None:
            continue
        if page < len(before):
            before[page].append(name)
        elif page - len(before) - pages >= 0 and page - len(before) - pages < len(after):
            after[page - len(before) - pages].append(name)
    html = job.book.padded(index, before, after)
    with _links_elsewhere(plan.places), _collecting() as said:
        document = weasy.layout(html)
        count = len(document.pages) - len(before) - len(after)
        own = document.pages[len(before) : len(before) + count]
        if count < 1 or not _bookmarks_fit(own) or document.metadata.attachments:
            return None
        if index > 0 and not _opens(own[0], parts.own[index]):
            return None
        entry = PartEntry(job.bases[index], key, count, _anchors(own), first=parts.first(index))
        write_atomic(entry.file(job.folder), weasy.write(document.copy(own), key[:32]))
    entry.warnings = list(dict.fromkeys(said))
    return entry


def _entry_pages(plan: _Plan, index: int) -> int:
    ends = [*plan.starts[1:], plan.total]
    return ends[index] - plan.starts[index]


def _draw_whole(weasy: Weasy, job: BookJob, parts: _Parts, result: BookResult) -> int:
    """Lay the book out whole; write it in parts where it cuts cleanly, else as one PDF."""
    started = time.perf_counter()
    with _collecting() as said:
        document = weasy.layout(job.html)
    pages = document.pages
    laid_out = time.perf_counter()
    starts = _starts(pages, parts.own)
    # Files a template attaches belong to the document, not to a part: it is written whole.
    if starts is None or document.metadata.attachments:
        data = weasy.write(document, job.pdf.identifier)
        write_atomic(job.pdf.target, data)
        return len(data)
    ends = [*starts[1:], len(pages)]
    entries = [
        PartEntry(job.bases[i], "", end - start, _anchors(pages[start:end]), first=parts.first(i))
        for i, (start, end) in enumerate(zip(starts, ends, strict=True))
    ]
    plan = _plan(entries)
    with _links_elsewhere(plan.places), _collecting() as said_too:
        for index, (start, end) in enumerate(zip(starts, ends, strict=True)):
            entry = entries[index]
            entry.key = parts.key(index, plan)
            write_atomic(
                entry.file(job.folder),
                weasy.write(document.copy(pages[start:end]), entry.key[:32]),
            )
    written = time.perf_counter()
    log.debug(
        "%s/%s: laid out in %.1f s, %d parts written in %.1f s",
        job.lang,
        job.name,
        laid_out - started,
        len(entries),
        written - laid_out,
    )
    # What was said while the book was laid out whole belongs to some part: each keeps it,
    # so that it is said again until the parts are drawn again.
    for entry in entries:
        entry.warnings = list(dict.fromkeys([*said, *said_too]))
    return _bound(job, result, entries, list(range(len(entries))))


@contextmanager
def _collecting() -> Iterator[list[str]]:
    """What WeasyPrint says in the block, as well as to the job's own collector."""
    handler = WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


def _starts(pages: list[Any], own: list[list[str]]) -> list[int] | None:
    """The page each part starts on, where each starts a page and opens with a bookmark of
    the first level (or has none); None where the book does not cut so."""
    where: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            where.setdefault(name, number)
    starts = [0]
    for names in own[1:]:
        if not names or names[0] not in where:
            return None
        page = where[names[0]]
        if page <= starts[-1] or not _opens(pages[page], names):
            return None
        starts.append(page)
    ends = [*starts[1:], len(pages)]
    for start, end in zip(starts, ends, strict=True):
        if not _bookmarks_fit(pages[start:end]):
            return None
    return starts


def _opens(page: Any, names: list[str]) -> bool:
    """Whether the part whose ids are names opens page: the first box in the page's body
    holds the part's first anchor."""
    if not names:
        return False
    body = next(
        (box for box in page._page_box.descendants() if getattr(box, "element_tag", "") == "body"),
        None,
    )
    if body is None:
        return False
    for child in body.children:
        if getattr(child, "element", None) is None:
            continue
        return any(
            getattr(box, "element", None) is not None and box.element.get("id") == names[0]
            for box in child.descendants()
        )
    return False


def _bookmarks_fit(pages: list[Any]) -> bool:
    """Whether a part's bookmarks hang from the top of the outline, as in the book: its
    first one is of the first level."""
    for page in pages:
        if page.bookmarks:
            return bool(page.bookmarks[0][0] == 1)
    return True


def _anchors(pages: list[Any]) -> dict[str, int]:
    found: dict[str, int] = {}
    for number, page in enumerate(pages):
        for name in page.anchors:
            found.setdefault(name, number)
    return found


_ELSEWHERE: set[str] = set()


@contextmanager
def _links_elsewhere(places: dict[str, int]) -> Iterator[None]:
    """Keep the links to anchors of other parts in a part's PDF: they open them once bound."""
    import weasyprint.pdf

    _install(weasyprint.pdf)
    _ELSEWHERE.clear()
    _ELSEWHERE.update(places)
    try:
        yield
    finally:
        _ELSEWHERE.clear()


def _install(module: Any) -> None:
    if getattr(module.resolve_links, "_packgen", False):
        return
    from weasyprint.logger import LOGGER

    def resolve_links(pages: list[Any]) -> Iterator[tuple[list[Any], list[Any]]]:
        seen: set[str] = set()
        placed: list[list[Any]] = []
        for page in pages:
            here = []
            for name, (x, y, _width, _height) in page.anchors.items():
                if name not in seen:
                    seen.add(name)
                    here.append((name, x, y))
            placed.append(here)
        for page, here in zip(pages, placed, strict=True):
            links = []
            for link in page.links:
                kind, name = link[0], link[1]
                if kind == "internal" and name not in seen and name not in _ELSEWHERE:
                    LOGGER.error("No anchor #%s for internal URI reference", name)
                    continue
                links.append(link)
            yield links, here

    resolve_links._packgen = True  # type: ignore[attr-defined]
    module.resolve_links = resolve_links
