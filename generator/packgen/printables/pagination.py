"""A correction to WeasyPrint's pagination, made before any PDF is drawn.

A page reference (`target-counter(attr(href), page)`: the contents' page
numbers, "(p. 12)" after a link) is laid out again whenever the page
counters recorded where it stands, or at its target, have changed since it
was last laid out. WeasyPrint records the total number of pages among them,
which is only known once every page is laid out, as 0 in the first pass.
The second pass then finds every reference "changed" from 0 pages to 145,
and a third lays out every page holding one once more, although no number
on it has changed: in the whole pack, a third of its pages drawn again for
nothing.

So before each pass the total recorded for a reference, or for a target,
is brought up to date, unless the reference shows that total (`counter(pages)`
or `target-counter(x, pages)`): those are laid out again as before. Every
other change of a page counter still lays its references out again, so the
pages and their numbers come out the same, without the needless pass.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

log = logging.getLogger(__name__)

_TOTAL = "pages"
"""The counter holding the number of pages of the document."""
_MARK = "_packgen_total_known"


def _shows_total(lookup: Any) -> bool:
    return _TOTAL in lookup.missing_counters or any(
        _TOTAL in wanted for wanted in lookup.missing_target_counters.values()
    )


def bring_total_up_to_date(collector: Any, page_maker: list[Any], total: list[int]) -> int:
    """Record total as the number of pages for every reference and target that does not show it.

    A reference whose record changed is laid out again from the targets' counters now
    known, and its page is made again in this pass, as WeasyPrint would have done on
    finding the change. Returns how many references changed.
    """
    showing: set[str] = set()
    changed = 0
    for lookup in collector.counter_lookup_items.values():
        if _shows_total(lookup):
            showing.update(
                anchor
                for anchor, wanted in lookup.missing_target_counters.items()
                if _TOTAL in wanted
            )
            continue
        if not _update(lookup.cached_page_counter_values, total):
            continue
        changed += 1
        lookup.parse_again(lookup.cached_page_counter_values)
        index = lookup.page_maker_index
        if index is not None and 0 <= index < len(page_maker):
            page_maker[index][-1]["content_changed"] = True
    for anchor, target in collector.target_lookup_items.items():
        if anchor not in showing:
            _update(target.cached_page_counter_values, total)
    return changed


def _update(values: dict[str, Any], total: list[int]) -> bool:
    if _TOTAL in values and values[_TOTAL] != total:
        values[_TOTAL] = list(total)
        return True
    return False


def install() -> None:
    """Wrap WeasyPrint's pass over the pages; idempotent."""
    from weasyprint import layout

    original = layout.make_all_pages
    if getattr(original, _MARK, False):
        return

    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Iterator[Any]:
        if pages and context.page_maker:
            # The total WeasyPrint has just written into every page's counters.
            total = context.page_maker[0][3][1].get(_TOTAL)
            if total is not None:
                bring_total_up_to_date(context.target_collector, context.page_maker, total)
        yield from original(context, root_box, html, pages)

    setattr(make_all_pages, _MARK, True)
    layout.make_all_pages = make_all_pages
    log.debug("WeasyPrint lays a page reference out again only when its numbers changed")
