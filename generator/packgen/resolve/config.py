"""The pack config as the layers make it: each pack.yml over the ones it extends."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from packgen.config import PackConfig
from packgen.errors import Location, Problems
from packgen.loader import KeyPath, YamlDocument
from packgen.resolve.merge import deep_merge
from packgen.validate import validate_document

NOT_INHERITED = ("extends",)
"""Keys that belong to one pack.yml only; a base's own base is its business."""
INHERIT_WHEN_EMPTY = ("contents",)
"""Keys whose empty value means "the base's", as the schema documents."""


@dataclass
class LayeredDocument(YamlDocument):
    """The merged pack.yml data, locating each value in the file that gave it."""

    layers: list[YamlDocument] = field(default_factory=list)
    """The pack's own document first, then each base's."""

    def owner(self, key_path: KeyPath) -> YamlDocument:
        """The document whose value stands at key_path once the layers are merged."""
        owner = self.layers[0] if self.layers else self
        for depth in range(1, len(key_path) + 1):
            prefix = tuple(key_path[:depth])
            holder = next((doc for doc in self.layers if prefix in doc.values), None)
            if holder is None:
                break
            owner = holder
            if not isinstance(_value_at(holder.data, prefix), dict):
                # A list or a plain value replaces the base's whole: it is all the owner's.
                break
        return owner

    def location(self, key_path: KeyPath, *, at_key: bool = False) -> Location:
        owner = self.owner(key_path)
        if owner is self:
            return super().location(key_path, at_key=at_key)
        return owner.location(key_path, at_key=at_key)


def _value_at(data: Any, path: KeyPath) -> Any:
    for part in path:
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return None
    return data


def merged_data(docs: list[YamlDocument]) -> dict[str, Any]:
    """The settings of docs (nearest first) merged, the nearest pack winning."""
    merged: dict[str, Any] = {}
    for index in range(len(docs) - 1, -1, -1):
        data = docs[index].data if isinstance(docs[index].data, dict) else {}
        own = {
            key: value
            for key, value in data.items()
            if not (key in INHERIT_WHEN_EMPTY and value in ([], None) and merged.get(key))
            and (index == 0 or key not in NOT_INHERITED)
        }
        merged = deep_merge(merged, own)
    return merged


def resolve_config(
    docs: list[YamlDocument], problems: Problems
) -> tuple[PackConfig, YamlDocument] | None:
    """The pack's config with everything it does not set taken from its bases."""
    own = docs[0]
    if not isinstance(own.data, dict):
        validate_document(own, PackConfig, problems)  # which reports the shape expected
        return None
    layered = LayeredDocument(
        path=own.path, data=merged_data(docs), values=own.values, keys=own.keys, layers=docs
    )
    config = validate_document(layered, PackConfig, problems)
    return (config, layered) if config else None
