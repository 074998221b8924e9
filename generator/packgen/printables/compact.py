"""Page drawings written in fewer bytes, with the same marks on paper.

WeasyPrint writes every coordinate with six decimals (a millionth of a CSS
pixel) and closes the glyph string after each glyph to move the next one by
nothing (`<0029>0<0044>0`). Both cost bytes that compression cannot win back:
a third of a PDF's size is numbers nobody can see. Coordinates are rounded
to a hundredth of a pixel (0.003 mm; more where the page is drawn magnified),
colours to a thousandth, and glyphs that follow each other without a move
share one string. Font sizes keep a thousandth of a point, so that a line's
glyphs add up to the width it was laid out in; transformations are kept as
they are.
"""

from __future__ import annotations

import math
import re
from typing import Any

COMPACT_REVISION = 1
"""Changes whenever the rewriting does, so that PDFs drawn before are drawn again."""

_NUMBER = re.compile(rb"^-?\d*\.\d+$")
_IN_TEXT = re.compile(rb"-?\d*\.\d+")
_NO_MOVE = b">0<"
_PATHS = frozenset({b"m", b"l", b"c", b"v", b"y", b"re", b"w", b"Ts", b"Td", b"TD", b"d0", b"d1"})
_COLOURS = frozenset({b"rg", b"RG", b"g", b"G", b"k", b"K", b"sc", b"SC", b"scn", b"SCN"})
_MAX_EXTRA = 4
"""Digits of magnification beyond which numbers are left as they are."""


def compact_pages(pdf: Any) -> None:
    """Rewrite the content stream of every page of a pydyf PDF, before it is written."""
    import pydyf

    streams = {obj.reference: obj for obj in pdf.objects[1:] if isinstance(obj, pydyf.Stream)}
    for obj in pdf.objects[1:]:
        if isinstance(obj, pydyf.Dictionary) and obj.get("Type") == "/Page":
            stream = streams.get(obj.get("Contents"))
            if stream is not None:
                stream.stream = compact_lines(stream.stream)


def compact_lines(lines: list[Any]) -> list[Any]:
    """The content stream's lines (one operator each, as pydyf holds them) made shorter."""
    extra = _magnification_digits(lines)
    if extra > _MAX_EXTRA:
        return lines
    places = 2 + extra
    out: list[Any] = []
    for line in lines:
        if not isinstance(line, bytes):
            out.append(line)
            continue
        head, _, operator = line.rpartition(b" ")
        if operator == b"TJ" and head.startswith(b"["):
            head = _IN_TEXT.sub(lambda m: _rounded(m.group(0), places), head)
            head = head.replace(_NO_MOVE, b"")
            if head.endswith(b">0]"):
                head = head[:-2] + b"]"
            out.append(head + b" TJ")
        elif operator in _PATHS:
            out.append(_tokens_rounded(head, places) + b" " + operator)
        elif operator in _COLOURS or operator == b"Tf":
            out.append(_tokens_rounded(head, 3) + b" " + operator)
        elif operator == b"Tm":
            matrix = head.split(b" ")
            if len(matrix) == 6:
                matrix[4:] = [_rounded(value, places) for value in matrix[4:]]
                out.append(b" ".join(matrix) + b" Tm")
            else:
                out.append(line)
        else:
            out.append(line)
    return out


def _magnification_digits(lines: list[Any]) -> int:
    """How many digits the page's transformations could magnify a rounding error by, at most."""
    scale = 1.0
    for line in lines:
        if isinstance(line, bytes) and line.endswith(b" cm"):
            try:
                entries = [abs(float(value)) for value in line.split()[:4]]
            except ValueError:
                return _MAX_EXTRA + 1
            scale *= max(1.0, *entries)
    return math.ceil(math.log10(scale)) if scale > 1 else 0


def _tokens_rounded(operands: bytes, places: int) -> bytes:
    return b" ".join(
        _rounded(token, places) if _NUMBER.match(token) else token for token in operands.split(b" ")
    )


def _rounded(number: bytes, places: int) -> bytes:
    if b"." not in number:
        return number
    text = f"{float(number):.{places}f}".rstrip("0").rstrip(".")
    return b"0" if text in ("", "-0") else text.encode("ascii")
