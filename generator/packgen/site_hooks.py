"""packgen's own MkDocs hook: the last word on what each page's HTML may contain.

packgen writes this file's path into every MkDocs config it generates (and
no other hook). MkDocs calls it for each page after the Markdown became
HTML, which is where everything a pack wrote ends up, whatever route it
took: the page's body, its title, the menu and the table of contents are
cleaned by the one allow-list of packgen.sanitize. The theme's templates,
including a pack's `overrides/`, render in Jinja's sandbox.
"""

from __future__ import annotations

import logging
from typing import Any

import jinja2

from packgen.render.sandbox import SandboxedEnvironment
from packgen.sanitize import clean_html, clean_page, clean_text, html_findings
from packgen.template_cache import THEME_TEMPLATES

log = logging.getLogger("mkdocs.hooks.packgen")

AUTHORS_PAGES = "packgen_authors_pages"
"""Key in the config's `extra` listing the pages of the menu's sections for authors."""
SECTION_OPENERS = "packgen_section_openers"
"""Key in the config's `extra` listing pages that open a section under the section's title."""

_OPENER_CLASSES: dict[type, type] = {}


def _as_section_index(page: Any) -> None:
    # The theme (navigation.indexes) shows an index page as its section's own link, so
    # "Tacit knowledge" is not listed again inside "Tacit knowledge". MkDocs only counts
    # pages named index.md, and the page keeps its file name and address.
    base = type(page)
    if base not in _OPENER_CLASSES:
        _OPENER_CLASSES[base] = type(f"SectionIndex{base.__name__}", (base,), {"is_index": True})
    page.__class__ = _OPENER_CLASSES[base]


def _clean_toc(items: Any) -> None:
    for item in items or []:
        item.title = clean_text(item.title)
        _clean_toc(item.children)


def on_page_content(html: str, page: Any, config: Any, files: Any) -> str:
    for what in html_findings(html):
        log.warning("%s: removed %s from the page's HTML", page.file.src_uri, what)
    if page.title:
        page.title = clean_text(str(page.title))
    _clean_toc(page.toc)
    return clean_html(html)


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    def walk(items: Any) -> None:
        for item in items:
            is_label = getattr(item, "is_section", False) or getattr(item, "is_link", False)
            if is_label and item.title:
                item.title = clean_text(str(item.title))
            children = getattr(item, "children", None)
            if children:
                walk(children)

    walk(nav.items)
    openers = set(config.extra.get(SECTION_OPENERS) or [])
    for page in nav.pages:
        if page.file.src_uri in openers:
            _as_section_index(page)
    return nav


def on_post_page(output: str, page: Any, config: Any) -> str:
    cleaned, found = clean_page(output)
    for what in found:
        log.warning("%s: removed %s from the built page", page.file.src_uri, what)
    return cleaned


def on_post_template(output_content: str, template_name: str, config: Any) -> str:
    if not template_name.endswith(".html"):
        return output_content
    cleaned, found = clean_page(output_content)
    for what in found:
        log.warning("%s: removed %s from the built page", template_name, what)
    return cleaned


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """The theme's environment again, sandboxed: a pack's overrides/ are templates too."""
    sandboxed = SandboxedEnvironment(
        loader=env.loader,
        auto_reload=False,
        extensions=list(env.extensions),
        autoescape=env.autoescape,
        bytecode_cache=THEME_TEMPLATES,
    )
    sandboxed.filters.update(env.filters)
    sandboxed.tests.update(env.tests)
    sandboxed.globals.update(env.globals)
    sandboxed.policies.update(env.policies)
    return sandboxed


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    """No Next or Previous link across the line between readers' and authors' pages."""
    authors = set(config.extra.get(AUTHORS_PAGES) or [])
    if not authors:
        return context
    mine = page.file.src_uri in authors
    for side in ("next_page", "previous_page"):
        other = getattr(page, side, None)
        other_file = getattr(other, "file", None)
        if other_file is not None and (other_file.src_uri in authors) != mine:
            setattr(page, side, None)
    return context
