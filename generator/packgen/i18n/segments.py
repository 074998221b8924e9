"""Splitting Markdown into the units a translator translates one at a time.

Like Sphinx's gettext builder, a unit is a paragraph, a heading, a list item,
a table cell, a definition or an admonition title, never a whole page: a
changed sentence then marks only its own unit as out of date. Each unit
remembers where it stands, so a translation replaces exactly that span and
every bit of markup around it (list markers, indentation, table pipes,
attribute lists) is kept as the author wrote it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

Region = list[tuple[int, int]]
"""The lines of one container: (line number, column where the container's content starts)."""

_FENCE = re.compile(r"(`{3,}|~{3,})")
_HEADING = re.compile(r"(#{1,6})[ \t]+(.*?)[ \t]*$")
_HEADING_TAIL = re.compile(r"(?:[ \t]+#+|[ \t]*\{[^}]*\})[ \t]*$")
_LIST_ITEM = re.compile(r"([-*+]|\d{1,9}[.)])([ \t]+|$)")
_TASK = re.compile(r"\[[ xX]\][ \t]+")
_DEFINITION = re.compile(r":[ \t]{1,4}(?=\S)")
_FOOTNOTE = re.compile(r"\[\^[^\]]+\]:[ \t]*")
_ADMONITION = re.compile(
    r"(?:!!!|\?\?\?\+?)[ \t]+[\w-]+(?:[ \t]+[^\"]*)?(?:[ \t]*\"(.*)\")?[ \t]*$"
)
_RULE = re.compile(r"(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_ATTR_LIST = re.compile(r"\{:?[^}]*\}$")
_HTML_LINE = re.compile(r"</?[A-Za-z][^>]*>$|<!--.*-->$")
_TABLE_RULE = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


@dataclass(frozen=True)
class Segment:
    """One unit to translate and the span of the text it came from (0-based lines)."""

    text: str
    line: int
    start: int
    end_line: int
    end: int
    kind: str


def _has_words(text: str) -> bool:
    return any(c.isalpha() for c in text)


class _Splitter:
    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.found: list[Segment] = []

    def content(self, item: tuple[int, int]) -> str:
        line, col = item
        return self.lines[line][col:]

    def add(self, kind: str, items: Region) -> None:
        """Record the lines of items as one unit, from the first's text to the last's end."""
        line, col = items[0]
        text = self.lines[line][col:]
        start = col + len(text) - len(text.lstrip())
        last = items[-1][0]
        words = " ".join(p for p in (self.content(item).strip() for item in items) if p)
        if _has_words(words):
            self.found.append(
                Segment(words, line, start, last, len(self.lines[last].rstrip()), kind)
            )

    def span(self, kind: str, line: int, start: int, end: int) -> None:
        raw = self.lines[line][start:end]
        text = raw.strip()
        if _has_words(text):
            at = start + len(raw) - len(raw.lstrip())
            self.found.append(Segment(text, line, at, line, at + len(text), kind))

    def split(self, region: Region) -> None:
        i = 0
        while i < len(region):
            text = self.content(region[i])
            stripped = text.lstrip()
            lead = len(text) - len(stripped)
            if not stripped:
                i += 1
            elif lead >= 4:
                i = self.skip_indented_code(region, i)
            elif _FENCE.match(stripped):
                i = self.skip_fence(region, i)
            else:
                i = self.block(region, i, lead, stripped)

    def block(self, region: Region, i: int, lead: int, stripped: str) -> int:
        line, col = region[i]
        start = col + lead
        heading = _HEADING.match(stripped)
        if heading:
            title = _HEADING_TAIL.sub("", heading.group(2))
            offset = start + stripped.index(heading.group(2)) if heading.group(2) else start
            self.span("heading", line, offset, offset + len(title))
            return i + 1
        if _RULE.match(stripped) or _ATTR_LIST.match(stripped) or _HTML_LINE.match(stripped):
            return i + 1
        admonition = _ADMONITION.match(stripped)
        if admonition:
            if admonition.group(1):
                title_at = start + stripped.rindex('"', 0, len(stripped.rstrip()) - 1) + 1
                self.span("admonition title", line, title_at, title_at + len(admonition.group(1)))
            return self.nested(region, i, start + 4, first_col=None)
        if stripped.startswith(">"):
            return self.quote(region, i)
        if self.is_table(region, i):
            return self.table(region, i)
        marker = self.item_marker(stripped)
        if marker is not None:
            kind, width, text_at = marker
            return self.nested(region, i, start + width, first_col=start + text_at, kind=kind)
        return self.paragraph(region, i)

    @staticmethod
    def item_marker(stripped: str) -> tuple[str, int, int] | None:
        """The kind of list-like item starting here, its marker's width and where its text starts.

        A task box (`[ ]`) is part of the item's text for indentation, as in
        CommonMark, but not part of what is translated.
        """
        for kind, pattern in (
            ("footnote", _FOOTNOTE),
            ("definition", _DEFINITION),
            ("list item", _LIST_ITEM),
        ):
            match = pattern.match(stripped)
            if match and not (kind == "list item" and _RULE.match(stripped)):
                width = text_at = match.end()
                if kind == "list item":
                    task = _TASK.match(stripped, width)
                    text_at = task.end() if task else width
                return kind, width, text_at
        return None

    def starts_block(self, stripped: str) -> bool:
        return bool(
            _HEADING.match(stripped)
            or _FENCE.match(stripped)
            or stripped.startswith(">")
            or _ADMONITION.match(stripped)
            or _ATTR_LIST.match(stripped)
            or _HTML_LINE.match(stripped)
            or _RULE.match(stripped)
            or self.item_marker(stripped)
        )

    def paragraph(self, region: Region, i: int) -> int:
        j = i + 1
        while j < len(region):
            stripped = self.content(region[j]).strip()
            if not stripped or self.starts_block(stripped):
                break
            j += 1
        self.add("paragraph", region[i:j])
        return j

    def nested(
        self, region: Region, i: int, col: int, first_col: int | None, kind: str = ""
    ) -> int:
        """A container whose body is indented past its marker: list item, admonition, ..."""
        line = region[i][0]
        body: Region = [(line, first_col)] if first_col is not None else []
        indent = col - region[i][1]
        j = i + 1
        lazy = first_col is not None and bool(self.content(region[i])[indent:].strip())
        while j < len(region):
            n, c = region[j]
            text = self.lines[n][c:]
            stripped = text.lstrip()
            if not stripped:
                body.append((n, min(len(self.lines[n]), c + indent)))
                lazy = False
            elif len(text) - len(stripped) >= indent:
                body.append((n, c + indent))
                lazy = True
            elif lazy and not self.starts_block(stripped):
                body.append((n, c + len(text) - len(stripped)))
            else:
                break
            j += 1
        while body and not self.content(body[-1]).strip():
            body.pop()
        if body:
            before = len(self.found)
            self.split(body)
            if kind:
                self.found[before:] = [
                    Segment(s.text, s.line, s.start, s.end_line, s.end, kind)
                    if s.kind == "paragraph" and s.line == line
                    else s
                    for s in self.found[before:]
                ]
        return j

    def quote(self, region: Region, i: int) -> int:
        body: Region = []
        j = i
        while j < len(region):
            n, c = region[j]
            text = self.lines[n][c:]
            stripped = text.lstrip()
            if not stripped.startswith(">"):
                break
            at = c + len(text) - len(stripped) + 1
            if self.lines[n][at : at + 1] == " ":
                at += 1
            body.append((n, at))
            j += 1
        self.split(body)
        return j

    def is_table(self, region: Region, i: int) -> bool:
        if i + 1 >= len(region) or "|" not in self.content(region[i]):
            return False
        rule = self.content(region[i + 1]).strip()
        return "|" in rule and "-" in rule and bool(_TABLE_RULE.match(rule))

    def table(self, region: Region, i: int) -> int:
        j = i
        while j < len(region):
            n, c = region[j]
            text = self.lines[n]
            if "|" not in text[c:] or not text[c:].strip():
                break
            if j != i + 1:
                self.cells(n, c, text)
            j += 1
        return j

    def cells(self, line: int, col: int, text: str) -> None:
        bounds = [col - 1, *_pipes(text, col), len(text)]
        for left, right in itertools.pairwise(bounds):
            self.span("table cell", line, left + 1, right)

    def skip_fence(self, region: Region, i: int) -> int:
        opening = _FENCE.match(self.content(region[i]).lstrip())
        assert opening is not None
        fence = opening.group(1)
        j = i + 1
        while j < len(region):
            stripped = self.content(region[j]).strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(fence[0]):
                return j + 1
            j += 1
        return j

    def skip_indented_code(self, region: Region, i: int) -> int:
        j = i + 1
        while j < len(region):
            text = self.content(region[j])
            if text.strip() and len(text) - len(text.lstrip()) < 4:
                break
            j += 1
        return j


def _pipes(text: str, start: int) -> list[int]:
    """Positions of the pipes that separate cells: not escaped, not inside inline code."""
    found: list[int] = []
    in_code = False
    for at in range(start, len(text)):
        char = text[at]
        if char == "`":
            in_code = not in_code
        elif char == "|" and not in_code and (at == 0 or text[at - 1] != "\\"):
            found.append(at)
    return found


def segments(text: str) -> list[Segment]:
    """Every translatable unit of a Markdown text, in reading order."""
    lines = text.split("\n")
    splitter = _Splitter(lines)
    splitter.split([(n, 0) for n in range(len(lines))])
    return sorted(splitter.found, key=lambda s: (s.line, s.start))


_SPLIT: dict[str, tuple[Segment, ...]] = {}
"""The units of each text translated in this process, most recent last.

A build translates the same source texts once for each language (and again
for the digital forms); splitting them is the same work each time.
"""
_SPLIT_KEPT = 200_000


def _units(text: str) -> tuple[Segment, ...]:
    found = _SPLIT.get(text)
    if found is None:
        if len(_SPLIT) >= _SPLIT_KEPT:
            _SPLIT.pop(next(iter(_SPLIT)))
        found = _SPLIT[text] = tuple(segments(text))
    return found


def translate(text: str, gettext: Callable[[str], str]) -> str:
    """The text with each unit replaced by its translation; markup around units is kept."""
    lines = text.split("\n")
    for seg in reversed(_units(text)):
        new = " ".join(gettext(seg.text).split("\n"))
        if new == seg.text:
            continue  # untranslated: the author's line breaks stay as they were
        lines[seg.line] = lines[seg.line][: seg.start] + new + lines[seg.end_line][seg.end :]
        del lines[seg.line + 1 : seg.end_line + 1]
    return "\n".join(lines)
