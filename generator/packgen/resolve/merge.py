"""How a layer's settings combine with those of the layers under it."""

from __future__ import annotations

from typing import Any


def deep_merge(base: Any, own: Any) -> Any:
    """own over base: mappings merge key by key, at every depth; anything else replaces.

    A list is replaced as a whole, not extended: a pack that lists its languages
    or a palette means exactly that list.
    """
    if isinstance(base, dict) and isinstance(own, dict):
        merged = dict(base)
        for key, value in own.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return own
