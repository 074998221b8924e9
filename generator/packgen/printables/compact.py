"""Page drawings written in fewer bytes, with the same marks on paper.

WeasyPrint writes every coordinate with six decimals (a millionth of a CSS
pixel), places every line of text by a full matrix, writes glyph codes in hex
and closes the glyph string after each glyph to move the next one by nothing
(`<0029>0<0044>0`). Compression wins little of that back: a quarter of a
PDF's size is digits nobody can see. So, before the file is written:

- coordinates are rounded to a hundredth of a pixel (0.003 mm; finer where the
  page is drawn magnified), colours to a thousandth; font sizes keep a
  thousandth of a point, so that a line's glyphs add up to the width it was
  laid out in, and transformations are kept as they are;
- a line of text placed after another in the same text object is placed by
  its move from it (`Td`), which repeats from line to line (the line height);
- glyphs that follow each other without a move share one string, written as
  bytes rather than hex.
"""

from __future__ import annotations

import math
import re
from typing import Any

COMPACT_REVISION = 2
"""Changes whenever the rewriting does, so that PDFs drawn before are drawn again."""

_NUMBER = re.compile(rb"^-?\d*\.\d+$")
_INTEGER = re.compile(rb"^-?\d+$")
_IN_TEXT = re.compile(rb"-?\d*\.\d+")
_NO_MOVE = b">0<"
_HEX_STRING = re.compile(rb"<([0-9a-fA-F]*)>")
_ESCAPES = ((b"\\", b"\\\\"), (b"(", b"\\("), (b")", b"\\)"), (b"\r", b"\\r"))
"""The backslash first, so that the escapes' own backslashes are not escaped again."""
_PATHS = frozenset({b"m", b"l", b"c", b"v", b"y", b"re", b"w", b"Ts", b"Td", b"TD", b"d0", b"d1"})
_COLOURS = frozenset({b"rg", b"RG", b"g", b"G", b"k", b"K", b"sc", b"SC", b"scn", b"SCN"})
_TEXT_MOVES = frozenset({b"Td", b"TD", b"T*", b"'", b'"'})
_UPRIGHT = frozenset({(b"1", b"0", b"0", b"1"), (b"1", b"0", b"0", b"-1")})
"""Text matrices a move (Td) can go between: unscaled, unrotated, perhaps flipped."""
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
    unit = 10**places
    # The last text matrix set in this text object: its linear part and, in units of the
    # rounding, its origin. A next one with the same linear part is a move from it (Td),
    # which is short and the same from line to line: the line height.
    last: tuple[tuple[bytes, ...], int, int] | None = None
    out: list[Any] = []
    for line in lines:
        if not isinstance(line, bytes):
            out.append(line)
            last = None
            continue
        head, _, operator = line.rpartition(b" ")
        if operator == b"TJ" and head.startswith(b"["):
            head = _IN_TEXT.sub(lambda m: _rounded(m.group(0), places), head)
            head = head.replace(_NO_MOVE, b"")
            if head.endswith(b">0]"):
                head = head[:-2] + b"]"
            out.append(_HEX_STRING.sub(_literal, head) + b" TJ")
        elif operator in _PATHS:
            out.append(_tokens_rounded(head, places) + b" " + operator)
            if operator in _TEXT_MOVES:
                last = None
        elif operator in _COLOURS or operator == b"Tf":
            out.append(_tokens_rounded(head, 3) + b" " + operator)
        elif operator == b"Tm" and len(matrix := head.split(b" ")) == 6 and _is_number(matrix):
            linear = tuple(matrix[:4])
            x, y = (round(float(value) * unit) for value in matrix[4:])
            if last is not None and last[0] == linear and linear in _UPRIGHT:
                flip = 1 if linear[3] == b"1" else -1
                move = (_fixed(x - last[1], places), _fixed((y - last[2]) * flip, places))
                out.append(b" ".join(move) + b" Td")
            else:
                out.append(b" ".join((*linear, _fixed(x, places), _fixed(y, places))) + b" Tm")
            last = (linear, x, y)
        else:
            out.append(line)
            if operator in _TEXT_MOVES or operator in (b"BT", b"ET", b"Tm"):
                last = None
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


def _literal(match: re.Match[bytes]) -> bytes:
    """A hex string of glyph codes as a literal string: half the bytes, escaped where needed.

    A carriage return would be read as a line feed, and parentheses and backslashes
    as syntax, so those are escaped; every other byte stands for itself.
    """
    data = bytes.fromhex(match.group(1).decode("ascii"))
    for byte, escaped in _ESCAPES:
        data = data.replace(byte, escaped)
    return b"(" + data + b")"


def _is_number(tokens: list[bytes]) -> bool:
    return all(_INTEGER.match(token) or _NUMBER.match(token) for token in tokens)


def _fixed(hundredths: int, places: int) -> bytes:
    """A whole number of units of the rounding, written as a number."""
    sign = "-" if hundredths < 0 else ""
    whole, fraction = divmod(abs(hundredths), 10**places)
    digits = f"{fraction:0{places}d}".rstrip("0")
    return f"{sign}{whole}{'.' + digits if digits else ''}".encode("ascii")


def _rounded(number: bytes, places: int) -> bytes:
    if b"." not in number:
        return number
    text = f"{float(number):.{places}f}".rstrip("0").rstrip(".")
    return b"0" if text in ("", "-0") else text.encode("ascii")
