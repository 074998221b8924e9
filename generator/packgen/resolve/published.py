"""What a resolved pack publishes: the pages and definitions its menu lists."""

from __future__ import annotations

from packgen.pack import Pack


def published(pack: Pack) -> tuple[set[str], set[str]]:
    """The names of the pages and the ids of the definitions that readers will see."""
    return set(pack.menu.pages), set(pack.menu.definitions)
