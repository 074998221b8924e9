"""A correction to WeasyPrint's line breaking, made before any PDF is drawn.

WeasyPrint measures a run of text with the space that ends it. When a run
is followed by an inline element (`words <em>more</em>`) and its words fill
the line exactly, that trailing space is all that overflows; WeasyPrint then
takes the run for one that cannot be split, and puts only its first word on
the line. In a justified or right-to-left paragraph this shows as a first
line of one word followed by a full line (it broke an Arabic paragraph of
the flagship pack after its first word). A space at the end of a line takes
no room in CSS, so when the run's words fit without it, it is laid out as
fitting.
"""

from __future__ import annotations

import logging
from math import inf
from typing import Any

log = logging.getLogger(__name__)

_COLLAPSIBLE = {"normal", "pre-line"}
"""white-space values whose spaces at the end of a line hang rather than take room."""
_MARK = "_packgen_trailing_space"


def install() -> None:
    """Wrap WeasyPrint's first-line splitter where its inline layout calls it; idempotent."""
    from weasyprint.layout import inline

    original = inline.split_first_line
    if getattr(original, _MARK, False):
        return

    def split_first_line(
        text: str,
        style: Any,
        context: Any,
        max_width: float | None,
        justification_spacing: float,
        is_line_start: bool = True,
        minimum: bool = False,
    ) -> Any:
        found = original(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        words = text.rstrip(" ")
        if (
            found[2] is None  # it all fits: nothing to correct
            or max_width is None
            or max_width == inf
            or not words
            or words == text
            or style["white_space"] not in _COLLAPSIBLE
        ):
            return found
        trial = original(
            words, style, context, max_width, justification_spacing, is_line_start, minimum
        )
        if trial[2] is None:  # the words fit on the line: only the space overflows
            return original(
                text, style, context, inf, justification_spacing, is_line_start, minimum
            )
        return found

    setattr(split_first_line, _MARK, True)
    inline.split_first_line = split_first_line
    log.debug("WeasyPrint lays out a line's words without the space that ends them")
