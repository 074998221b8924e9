"""Partial overrides: a tailored pack changes part of a base's definition without copying it.

A file in `exercises/` with `overrides: <id>` holds only the changes:

    overrides: after-action-review
    duration: 50
    steps:
      what-happened: {minutes: 15}       # change a step, named by its id
      thank-everyone: null               # remove one
      local-briefing:                    # add one (after another, or at the end)
        after: what-happened
        title: Local briefing
        minutes: 5
        instructions: ...
    roles:
      facilitator: {name: Team lead}
    checklist:
      before: {remove: [Book a quiet room]}
    tailoring:
      insecure: Meet in the compound.

Mappings merge key by key; steps and roles merge by id; a list of texts takes
`remove:` and `add:`; anything else replaces. The merged definition is checked
as a whole (durations included) and every problem points at the file and line
that caused it: the override's, or the base's.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from packgen.errors import Location, Problems
from packgen.loader import KeyPath, YamlDocument
from packgen.model import KINDS, Assessment
from packgen.pack import PATCH_KEY, Pack, Source
from packgen.resolve.merge import deep_merge
from packgen.validate import did_you_mean, validate_document

BY_ID = {"steps": ("step", "title"), "roles": ("role", "name")}
"""Lists whose items an override names by id, and the field an absent id is derived from."""
_SLUG = re.compile(r"[^a-z0-9]+")


def derived_id(item: dict[str, Any], name_field: str) -> str:
    given = item.get("id")
    if isinstance(given, str) and given:
        return given
    return _SLUG.sub("-", str(item.get(name_field, "")).lower()).strip("-")


def fingerprint(doc: YamlDocument) -> str:
    """A short hash of a base's file, recorded in `reviewed:` once an override is checked."""
    try:
        return hashlib.sha256(doc.path.read_bytes()).hexdigest()[:12]
    except OSError:
        return "unreadable"


@dataclass
class PatchedDocument(YamlDocument):
    """A base's definition with an override merged in; each value located where it came from."""

    base: YamlDocument | None = None
    patch: YamlDocument | None = None
    ids: dict[KeyPath, str] = field(default_factory=dict)
    """For each merged list item named by id, e.g. ("steps", 2): "what-happened"."""

    def location(self, key_path: KeyPath, *, at_key: bool = False) -> Location:
        assert self.base is not None and self.patch is not None
        path = tuple(key_path)
        if path and isinstance(self.patch.data, dict) and path[0] in self.patch.data:
            named = path[:2] in self.ids
            patch_path = (path[0], self.ids[path[:2]], *path[2:]) if named else path[:1]
            if named and (path[0], self.ids[path[:2]]) not in self.patch.values:
                return self.base.location(path, at_key=at_key)  # an unchanged step
            return self.patch.location(patch_path, at_key=at_key)
        return self.base.location(path, at_key=at_key)


class _Merger:
    def __init__(self, base: YamlDocument, patch: YamlDocument, problems: Problems) -> None:
        self.base = base
        self.patch = patch
        self.problems = problems
        self.ok = True
        self.ids: dict[KeyPath, str] = {}

    def error(self, path: KeyPath, message: str) -> None:
        self.problems.error(self.patch.location(path, at_key=True), message)
        self.ok = False

    def merge(self, base: Any, change: Any, path: KeyPath) -> Any:
        if len(path) == 1 and path[0] in BY_ID and isinstance(change, dict):
            return self.by_id(base if isinstance(base, list) else [], change, path)
        if isinstance(base, list) and isinstance(change, dict) and set(change) <= {"remove", "add"}:
            return self.texts(base, change, path)
        if isinstance(base, dict) and isinstance(change, dict):
            merged = dict(base)
            for key, value in change.items():
                merged[key] = self.merge(base.get(key), value, (*path, key))
            return merged
        return change

    def texts(self, base: list[Any], change: dict[str, Any], path: KeyPath) -> list[Any]:
        items = list(base)
        removed = change.get("remove") or []
        for index, text in enumerate(removed if isinstance(removed, list) else [removed]):
            if text in items:
                items.remove(text)
            else:
                shown = ", ".join(repr(str(item))[:40] for item in base) or "none"
                self.error(
                    (*path, "remove", index),
                    f"{'.'.join(map(str, path))}: no item {text!r} in {self.base.shown} to "
                    f"remove; its items are: {shown}",
                )
        added = change.get("add") or []
        items.extend(added if isinstance(added, list) else [added])
        return items

    def by_id(self, base: list[Any], change: dict[str, Any], path: KeyPath) -> list[Any]:
        what, name_field = BY_ID[str(path[0])]
        items = [dict(item) if isinstance(item, dict) else item for item in base]
        ids = [derived_id(item, name_field) if isinstance(item, dict) else "" for item in items]
        for key, value in change.items():
            where = (*path, key)
            if key in ids:
                index = ids.index(key)
                if value is None:
                    del items[index], ids[index]
                elif isinstance(value, dict):
                    value = {k: v for k, v in value.items() if k != "after"}
                    items[index] = deep_merge(items[index], value)
                else:
                    self.error(
                        where,
                        f"{what} {key!r}: expected a mapping of its fields to "
                        "change, or nothing (null) to remove it",
                    )
                continue
            if not isinstance(value, dict) or name_field not in value:
                self.error(
                    where,
                    f"{path[0]}: no {what} {key!r} in {self.base.shown}"
                    f"{did_you_mean(str(key), ids)}; its {path[0]} are: {', '.join(ids)} "
                    f"(to add a {what}, give its {name_field} and the rest of its fields)",
                )
                continue
            after = value.get("after")
            new = {"id": key, **{k: v for k, v in value.items() if k != "after"}}
            if after is None:
                items.append(new)
                ids.append(str(key))
            elif after in ids:
                items.insert(ids.index(after) + 1, new)
                ids.insert(ids.index(after) + 1, str(key))
            else:
                self.error(
                    (*where, "after"),
                    f"after: no {what} {after!r} in {self.base.shown}"
                    f"{did_you_mean(str(after), ids)}",
                )
        for index, key in enumerate(ids):
            self.ids[(*path, index)] = key
        return items


def _apply(pack: Pack, patch: YamlDocument, problems: Problems) -> Source | None:
    target = patch.data.get(PATCH_KEY)
    if not isinstance(target, str) or target not in pack.sources:
        problems.error(
            patch.location((PATCH_KEY,)),
            f"overrides: no exercise, tool or log with id {target!r} in the base packs"
            f"{did_you_mean(str(target), sorted(pack.sources))}",
        )
        return None
    base = pack.sources[target]
    merger = _Merger(base.doc, patch, problems)
    merged = dict(base.doc.data)
    for key, value in patch.data.items():
        if key == PATCH_KEY:
            continue
        if key in ("id", "kind"):
            merger.error((key,), f"{key}: an override keeps the base's {key}; leave it out")
            continue
        merged[key] = merger.merge(merged.get(key), value, (key,))
    if not merger.ok:
        return None
    doc = PatchedDocument(path=patch.path, data=merged, base=base.doc, patch=patch, ids=merger.ids)
    definition = validate_document(doc, KINDS[str(merged["kind"])], problems)
    if isinstance(definition, Assessment) and (found := definition.problems()):
        for where, message in found:
            problems.error(doc.location(where), message)
        return None
    if definition is None:
        return None
    return Source(definition, doc, base.layer)


def _warn_if_changed(
    pack: Pack, key: str, base: YamlDocument, at: Location, problems: Problems
) -> None:
    now = fingerprint(base)
    if pack.config.reviewed.get(key) == now:
        return
    seen = (
        "has changed since this override was last reviewed"
        if key in pack.config.reviewed
        else "has not been reviewed against this override yet"
    )
    problems.warning(
        at,
        f"{key!r} overrides {base.shown}, which {seen}: check that the override still fits, "
        f"then record it in pack.yml as `reviewed: {{{key}: {now}}}`",
    )


def apply_overrides(pack: Pack, problems: Problems) -> None:
    """Merge each partial override into the definition it names; warn where a base moved on."""
    for patch, layer in pack.patches:
        target = patch.data.get(PATCH_KEY)
        base = pack.sources.get(target) if isinstance(target, str) else None
        source = _apply(pack, patch, problems)
        if source is None:
            if isinstance(target, str):
                pack.broken.add(target)
            continue
        source.layer = layer
        pack.sources[source.definition.id] = source
        if base is not None and layer == pack.root:
            _warn_if_changed(
                pack, source.definition.id, base.doc, patch.location((PATCH_KEY,)), problems
            )
    for key, base_doc in sorted(pack.replaced.items()):
        source = pack.sources.get(key)
        if source is not None and source.layer == pack.root:
            _warn_if_changed(pack, key, base_doc, source.doc.location(("id",)), problems)
