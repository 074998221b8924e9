"""The MkDocs settings of a layered pack: each mkdocs.yml over the ones under it.

A pack that changes one colour keeps every extension and feature of its base:
the theme and `extra` merge key by key, extensions merge by name (a pack may
change one extension's options), and stylesheets add up.
"""

from __future__ import annotations

from typing import Any

from packgen.mkdocs_settings import MkDocsSettings
from packgen.resolve.merge import deep_merge


def _extension_table(extensions: list[Any]) -> dict[str, dict[str, Any]]:
    table: dict[str, dict[str, Any]] = {}
    for entry in extensions:
        if isinstance(entry, dict):
            name, options = next(iter(entry.items()))
            table[name] = deep_merge(table.get(name, {}), dict(options or {}))
        else:
            table.setdefault(entry, {})
    return table


def merge_settings(layers: list[MkDocsSettings]) -> MkDocsSettings:
    """One set of settings from each layer's (nearest first); the nearest wins each key."""
    if not layers:
        return MkDocsSettings()
    merged = MkDocsSettings(path=layers[0].path)
    extensions: dict[str, dict[str, Any]] = {}
    for settings in reversed(layers):
        merged.theme = deep_merge(merged.theme, settings.theme)
        merged.extra = deep_merge(merged.extra, settings.extra)
        merged.top.update(settings.top)
        merged.extra_css += [css for css in settings.extra_css if css not in merged.extra_css]
        for name, options in _extension_table(settings.extensions).items():
            extensions[name] = deep_merge(extensions.get(name, {}), options)
    merged.extensions = [
        {name: options} if options else name for name, options in extensions.items()
    ]
    return merged
