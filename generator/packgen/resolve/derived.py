"""What the later stages need from a resolved pack, worked out once: the menu and the clock.

Localise, render and the outputs read `Pack.menu` and `Pack.clock` and never
walk the contents or add up minutes themselves, so every page, PDF, form and
catalog agrees on what is in the pack and when each step starts.
"""

from __future__ import annotations

from collections.abc import Iterator

from packgen.config import ContentItem
from packgen.model import Exercise
from packgen.pack import Menu, Pack

HOME = "index.md"


def listed(items: list[ContentItem]) -> Iterator[ContentItem]:
    """Every entry of the contents, sections' entries included, in menu order."""
    for item in items:
        yield item
        if item.contents:
            yield from listed(item.contents)


def default_contents(pack: Pack) -> list[ContentItem]:
    """The menu of a pack that has none (and no base with one): every page, home first,
    then every exercise, tool and log, so that a new pack shows all it holds."""
    pages = sorted(pack.pages, key=lambda name: (name != HOME, name))
    return [
        *(ContentItem(page=name) for name in pages),
        *(ContentItem(exercise=key) for key in sorted(pack.sources)),
    ]


def make_menu(pack: Pack) -> Menu:
    pages: dict[str, None] = {}
    definitions: dict[str, None] = {}
    generated: dict[str, None] = {}
    for item in listed(pack.config.contents):
        if item.page and item.page in pack.pages:
            pages.setdefault(item.page)
        elif item.exercise and item.exercise in pack.sources:
            definitions.setdefault(item.exercise)
        elif item.generated:
            generated.setdefault(item.generated)
    return Menu(list(pages), list(definitions), list(generated))


def clock_times(pack: Pack) -> dict[str, list[int]]:
    start = pack.config.print.start
    first = start.hour * 60 + start.minute
    times: dict[str, list[int]] = {}
    for key, source in pack.sources.items():
        definition = source.definition
        if isinstance(definition, Exercise):
            minutes = [first]
            for step in definition.steps:
                minutes.append(minutes[-1] + step.minutes)
            times[key] = minutes
    return times


def derive(pack: Pack) -> None:
    """Give the pack its menu (a default one when no layer has one) and its clock times."""
    if not pack.config.contents:
        pack.config = pack.config.model_copy(update={"contents": default_contents(pack)})
    pack.menu = make_menu(pack)
    pack.clock = clock_times(pack)
