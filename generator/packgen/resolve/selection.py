"""Choose what is in: a pack's `include:` and `exclude:` applied, and the menu made to follow.

Selection runs after the references are checked, so that every location still
points at what the author wrote; what it leaves out is then gone for every
later stage: no page, no PDF, no menu entry, no related link.
"""

from __future__ import annotations

import logging

from packgen.config import ContentItem, Selection
from packgen.errors import Problems
from packgen.pack import Pack
from packgen.validate import did_you_mean

log = logging.getLogger(__name__)


def _check_selection(pack: Pack, selection: Selection, key: str, problems: Problems) -> None:
    """A selector naming nothing is likely a typing mistake: say so where it is written."""
    ids = sorted(pack.sources)
    kinds = sorted({str(source.definition.kind) for source in pack.sources.values()})
    tags = sorted({tag for source in pack.sources.values() for tag in source.definition.tags})
    named: list[tuple[str, list[str]]] = [("ids", ids), ("kinds", kinds), ("tags", tags)]
    for field, known in named:
        for index, name in enumerate(getattr(selection, field)):
            if name not in known:
                problems.warning(
                    pack.config_doc.location((key, field, index)),
                    f"{key}: no exercise, tool or log has {field[:-1]} {name!r}"
                    f"{did_you_mean(name, known)}",
                )


def _prune(items: list[ContentItem], kept: set[str], dropped: set[str]) -> list[ContentItem]:
    pruned: list[ContentItem] = []
    for item in items:
        if item.exercise and item.exercise in dropped:
            continue
        if item.contents is not None:
            inner = _prune(item.contents, kept, dropped)
            if not inner:
                continue  # a section whose every entry was left out goes too
            item = item.model_copy(update={"contents": inner})
        pruned.append(item)
    return pruned


def apply_selection(pack: Pack, problems: Problems) -> None:
    """Leave out what include/exclude leave out, with the menu entries and links to them."""
    config = pack.config
    if config.include is None and config.exclude is None:
        return
    for key, selection in (("include", config.include), ("exclude", config.exclude)):
        if selection is not None:
            _check_selection(pack, selection, key, problems)
    dropped: set[str] = set()
    for key, source in pack.sources.items():
        definition = source.definition
        facts = (key, definition.kind, definition.tags)
        included = config.include is None or config.include.matches(*facts)
        excluded = config.exclude is not None and config.exclude.matches(*facts)
        if not included or excluded:
            dropped.add(key)
    kept = set(pack.sources) - dropped
    pack.left_out = dropped
    pack.sources = {key: source for key, source in pack.sources.items() if key in kept}
    for key, source in pack.sources.items():
        related = source.definition.related
        if any(ref in dropped for ref in related):
            left_out = [ref for ref in related if ref in dropped]
            log.info("%s: related entries left out of this pack dropped: %s", key, left_out)
            source.definition = source.definition.model_copy(
                update={"related": [ref for ref in related if ref not in dropped]}
            )
    pack.config = config.model_copy(update={"contents": _prune(config.contents, kept, dropped)})
    log.debug("selection leaves out %d of %d definitions", len(dropped), len(dropped) + len(kept))
