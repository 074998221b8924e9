"""The named destinations of a PDF packgen drew: the anchors a link can open it at.

WeasyPrint names a destination after every element id of the HTML, in one
name tree in the document catalog, which sits compressed in an object stream
(or, in an uncompressed file, in the open). Only that much of PDF is read
here: enough for the files WeasyPrint writes, and an empty set for any other.
"""

from __future__ import annotations

import re
import zlib

_OBJECT_STREAM = re.compile(
    rb"/Type\s*/ObjStm\b[^>]*?/Length\s+(\d+)|/Length\s+(\d+)[^>]*?/Type\s*/ObjStm\b"
)
_STREAM_START = re.compile(rb">>\s*stream\r?\n")
_DESTS = re.compile(rb"/Dests\s*<<\s*/Names\s*\[")
_LITERAL = rb"\(((?:[^()\\]|\\.)*)\)"
_NAME_AND_TARGET = re.compile(rb"\s*" + _LITERAL + rb"\s*(?:\d+\s+\d+\s+R|\[[^\]]*\])", re.DOTALL)


def named_destinations(pdf: bytes) -> set[str]:
    """The names of the destinations in pdf (WeasyPrint's output); empty if none are found."""
    names: set[str] = set()
    for text in (pdf, *_object_streams(pdf)):
        for tree in _DESTS.finditer(text):
            position = tree.end()
            # The tree's pairs one after another, up to the array's end.
            while match := _NAME_AND_TARGET.match(text, position):
                position = match.end()
                raw = re.sub(rb"\\(.)", rb"\1", match.group(1), flags=re.DOTALL)
                try:
                    names.add(raw.decode("ascii"))
                except UnicodeDecodeError:
                    continue
    return names


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
