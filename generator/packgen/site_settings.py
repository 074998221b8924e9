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
- A large menu is not shown whole on every page. With `navigation.sections`
  the theme opens every top-level section on every page, which
  `navigation.prune` cannot cut: each page would carry the whole menu, and
  the site would grow with the square of its pages. Without it, each page
  shows the top-level entries (a closed section links to its first page)
  and opens only its own section. `site.expand_sections` in pack.yml
  decides, whichever layer's mkdocs.yml listed the features.
"""

from __future__ import annotations

import logging
from typing import Any

from packgen.config import OPEN_MENU_PAGES, ExpandSections
from packgen.i18n.languages import language
from packgen.render.pages import NavEntry

log = logging.getLogger(__name__)

SCRIPTS = ["assets/javascripts/search-fold.js", "assets/javascripts/packgen.js"]
DEFAULT_PALETTE = {"scheme": "default", "primary": "custom", "accent": "custom"}
SECTIONS = "navigation.sections"
"""The theme's feature that opens every top-level section of the menu on every page."""


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


def menu_pages(nav: list[NavEntry]) -> int:
    """How many pages the menu lists, at every depth."""
    return sum(len(entry.paths()) for entry in nav)


def menu_features(features: list[str], nav: list[NavEntry], expand: ExpandSections) -> list[str]:
    """The theme's features with navigation.sections as expand and the menu's size want it.

    `auto` only ever takes it out (a list without it was made so on purpose);
    `always` puts it in.
    """
    rest = [f for f in features if f != SECTIONS]
    if expand == "always":
        return [SECTIONS, *rest]
    if expand == "never" or SECTIONS not in features:
        return rest
    pages = menu_pages(nav)
    if pages <= OPEN_MENU_PAGES:
        return list(features)
    log.debug(
        "the menu lists %d pages (more than %d): each page opens only its own section",
        pages,
        OPEN_MENU_PAGES,
    )
    return rest
