"""What a resolved pack publishes: the pages and definitions its menu lists."""

from __future__ import annotations

from packgen.pack import Pack


def published(pack: Pack) -> tuple[set[str], set[str]]:
    """The names of the pages and the ids of the definitions that readers will see."""
    if not pack.config.contents:
        return set(pack.pages), set(pack.sources)
    pages: set[str] = set()
    definitions: set[str] = set()
    stack = list(pack.config.contents)
    while stack:
        item = stack.pop()
        if item.page and item.page in pack.pages:
            pages.add(item.page)
        elif item.exercise and item.exercise in pack.sources:
            definitions.add(item.exercise)
        stack.extend(item.contents or [])
    return pages, definitions
