"""What packgen adds to each language's MkDocs config for readers.

- The language switcher offers only the languages this build makes, so no link
  leads nowhere. They are passed in `extra.packgen_languages`, with
  `extra.alternate` left as a plain flag: the theme then shows the switcher
  (packgen's own partial) but writes no `<link rel="alternate">` tags, which
  make it fetch every language's sitemap.xml, a request that fails from disk.
- packgen.js makes scrolling tables reachable from the keyboard and marks
  the words a search result was found for, with search-fold.js's folding.
- A pack that picks no palette gets packgen's: colours that pass WCAG AA
  contrast (defined as `custom` in packgen.css, which a pack can override).
"""

from __future__ import annotations

from typing import Any

from packgen.i18n.languages import language

SCRIPTS = ["assets/javascripts/search-fold.js", "assets/javascripts/packgen.js"]
DEFAULT_PALETTE = {"scheme": "default", "primary": "custom", "accent": "custom"}


def add_reader_settings(config: dict[str, Any], base: dict[str, Any], codes: list[str]) -> None:
    """Complete one language's config in place; base is the pack's mkdocs.yml as read."""
    extra = config.setdefault("extra", {})
    extra["alternate"] = len(codes) > 1
    extra["packgen_languages"] = [
        {"name": language(code).name, "lang": code, "link": f"../{code}/index.html"}
        for code in codes
    ]
    config["extra_javascript"] = [*(base.get("extra_javascript") or []), *SCRIPTS]
    theme = config.setdefault("theme", {})
    if not (base.get("theme") or {}).get("palette"):
        theme["palette"] = dict(DEFAULT_PALETTE)
