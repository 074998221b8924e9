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
    from weasyprint.text import line_break

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
        words = text.rstrip(" ")
        if (
            max_width is not None
            and max_width != inf
            and words
            and words != text
            and style["white_space"] in _COLLAPSIBLE
        ):
            trial = original(
                words, style, context, max_width, justification_spacing, is_line_start, minimum
            )
            if trial[2] is None:  # no second line: the words fit, only the space overflows
                return original(
                    text, style, context, inf, justification_spacing, is_line_start, minimum
                )
        return original(
            text, style, context, max_width, justification_spacing, is_line_start, minimum
        )

    setattr(split_first_line, _MARK, True)
    if line_break.split_first_line is not original:
        log.debug("WeasyPrint's line splitter was already replaced; wrapping the one inline uses")
    inline.split_first_line = split_first_line
