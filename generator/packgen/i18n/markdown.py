"""Splitting Markdown into the pieces a translator translates one at a time."""

from __future__ import annotations

import re
from collections.abc import Callable

_FENCE = re.compile(r"^\s*(```|~~~)")


def blocks(text: str) -> list[str]:
    """Paragraph-level blocks (blank-line separated), keeping fenced code whole."""
    result: list[str] = []
    current: list[str] = []
    fence: str | None = None
    for line in text.splitlines():
        match = _FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
        elif fence is not None and match and match.group(1) == fence:
            fence = None
        if fence is None and not line.strip() and not match:
            if current:
                result.append("\n".join(current))
                current = []
            continue
        current.append(line)
    if current:
        result.append("\n".join(current))
    return result


def is_translatable_block(block: str) -> bool:
    """Code blocks and lines of pure markup carry no words to translate."""
    stripped = block.strip()
    return bool(stripped) and not _FENCE.match(stripped) and any(c.isalpha() for c in stripped)


def translate_markdown(text: str, gettext: Callable[[str], str]) -> str:
    parts = [gettext(b) if is_translatable_block(b) else b for b in blocks(text)]
    return "\n\n".join(parts) + "\n"
