"""Markdown of pages and definitions as HTML for print.

The same Markdown extensions as the site (from the pack's mkdocs.yml) render
it, with three changes that only matter on paper: a link to a page that is in
the same PDF jumps to it (and, where the PDF is a book, says on which page it
is), any other relative link keeps its words but loses its target (it would
lead nowhere, or into the machine that built the PDF), and an image points at
its file in the pack's content folder. A link's words are marked as a
reference (print.css sets them in quotes), so that on paper "Read What is
action learning?, then" reads "Read “What is action learning?” (p. 4), then".

A PDF has no `dir="auto"`: a paragraph still in the source language inside a
right-to-left document gets an explicit direction, so its punctuation stays
where its readers expect it.
"""

from __future__ import annotations

import logging
import posixpath
import re
import unicodedata
import xml.etree.ElementTree as etree
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from packgen.sanitize import clean_print_html

log = logging.getLogger(__name__)

# MkDocs always adds these; toc is left out because headings in print need no permalinks.
DEFAULT_EXTENSIONS = ["tables", "fenced_code"]
SKIPPED_EXTENSIONS = {"toc", "markdown.extensions.toc"}
_KEPT_SCHEMES = {"http", "https", "mailto", "tel"}
_BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "dt", "dd", "summary"}
_WRAPPED = re.compile(r"^<p>(.*)</p>$", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
_MARKUP = re.compile(r"[\\`*_\[\]<>&!~|{}^=:#]")
"""Characters that may make a line of text Markdown rather than plain words."""


def first_strong(text: str) -> str | None:
    """'ltr' or 'rtl' after the first letter that has a direction, as browsers decide dir=auto."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind == "L":
            return "ltr"
        if kind in ("R", "AL"):
            return "rtl"
    return None


def extensions_of(mkdocs: dict[str, Any]) -> tuple[list[str], dict[str, dict[str, Any]], list[str]]:
    """Extension names and settings from an mkdocs.yml, and why any of them cannot be used."""
    names = list(DEFAULT_EXTENSIONS)
    configs: dict[str, dict[str, Any]] = {}
    problems: list[str] = []
    for entry in mkdocs.get("markdown_extensions") or []:
        if isinstance(entry, dict) and len(entry) == 1:
            name, settings = next(iter(entry.items()))
        else:
            name, settings = entry, None
        name = str(name)
        if name in SKIPPED_EXTENSIONS or name in names:
            continue
        settings = dict(settings) if isinstance(settings, dict) else {}
        try:
            markdown.Markdown(extensions=[name], extension_configs={name: settings})
        except Exception as exc:  # any extension may fail in its own way; print goes on without it
            problems.append(f"markdown_extensions: {name} is left out of the PDFs: {exc}")
            continue
        names.append(name)
        configs[name] = settings
    return names, configs, problems


@dataclass
class Scope:
    """One PDF's Markdown: what its links may point at, and the image files it shows."""

    anchors: Mapping[str, str]
    """A page's path under docs/ -> the id of its chapter in this PDF."""
    assets: set[Path] = field(default_factory=set)
    missing: list[tuple[str, str]] = field(default_factory=list)
    """(page, image address) of images that could not be found."""
    memo: dict[tuple[str, str, bool], Markup] = field(default_factory=dict)
    page_refs: bool = False
    """Whether a reference says on which page its target is: in a book, not in a guide."""


class _PrintTree(Treeprocessor):
    def __init__(self, md: markdown.Markdown, owner: PrintMarkdown) -> None:
        super().__init__(md)
        self.owner = owner

    def run(self, root: etree.Element) -> None:
        owner = self.owner
        owner.parents = {child: parent for parent in root.iter() for child in parent}
        for element in list(root.iter()):
            if element.tag == "a":
                self._link(element)
            elif element.tag == "img":
                self._image(element)
            elif element.tag in _BLOCKS and not owner.inline and not element.get("dir"):
                found = first_strong("".join(element.itertext()))
                if found and found != owner.direction:
                    element.set("dir", found)

    def _link(self, element: etree.Element) -> None:
        owner = self.owner
        href = element.get("href", "")
        parts = urlsplit(href)
        if parts.scheme in _KEPT_SCHEMES:
            return
        target = None
        if not parts.scheme and not parts.netloc and parts.path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(owner.source), parts.path))
            target = owner.scope.anchors.get(path)
        if not target:
            element.tag = "span"
            element.attrib.pop("href", None)
            element.attrib.pop("title", None)
            element.set("class", "pg-ref")
            return
        element.set("href", f"#{target}")
        element.set("class", "pg-ref")
        parent = owner.parents.get(element)
        if owner.scope.page_refs and parent is not None:
            # The page template writes the page, in the words of the reader's language, once
            # the book is paginated (target-counter); a no-break space keeps it with the words.
            number = etree.Element("a", {"class": "pg-page-number", "href": f"#{target}"})
            number.tail = element.tail
            element.tail = "\u00a0"
            parent.insert(list(parent).index(element) + 1, number)

    def _image(self, element: etree.Element) -> None:
        owner = self.owner
        src = element.get("src", "")
        parts = urlsplit(src)
        if parts.scheme == "data":
            return
        found = None
        if not parts.scheme and not parts.netloc and parts.path:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(owner.source), parts.path))
            found = owner.find_asset(path)
        if found is None:
            owner.scope.missing.append((owner.source, src))
            element.tag = "span"
            element.text = element.get("alt", "")
            element.attrib.clear()
            return
        owner.scope.assets.add(found)
        element.set("src", found.as_uri())


class _PrintExtension(Extension):
    def __init__(self, owner: PrintMarkdown) -> None:
        super().__init__()
        self.owner = owner

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # After the inline patterns have made the links and images (priority 20).
        md.treeprocessors.register(_PrintTree(md, self.owner), "packgen-print", 5)


class PrintMarkdown:
    """Converts the Markdown of one language's PDFs; one instance is reused for speed."""

    def __init__(
        self,
        extensions: list[str],
        configs: dict[str, dict[str, Any]],
        find_asset: Callable[[str], Path | None],
        direction: str,
    ) -> None:
        self.find_asset = find_asset
        self.direction = direction
        self.source = ""
        self.inline = False
        self.scope = Scope({})
        self.parents: dict[etree.Element, etree.Element] = {}
        self._shared: dict[tuple[str, str, bool], Markup] = {}
        self._md = markdown.Markdown(
            extensions=[*extensions, _PrintExtension(self)], extension_configs=configs
        )

    def convert(self, text: str, source: str, scope: Scope, *, inline: bool = False) -> Markup:
        """Text as HTML; source is its page's path under docs/, for relative links and images."""
        key = (text, source, inline)
        # Text without links or images reads the same in every PDF of the language.
        memo = scope.memo if "[" in text or "<" in text else self._shared
        if key in memo:
            return memo[key]
        if inline and not _MARKUP.search(text):
            html = str(escape(" ".join(text.split())))  # plain words: no need for Markdown
        else:
            self.source, self.scope, self.inline = source, scope, inline
            # The same allow-list as the site; images may be the pack's files it found.
            html = clean_print_html(
                self._md.reset().convert(text), {a.as_uri() for a in scope.assets}
            )
        if inline:
            wrapped = _WRAPPED.match(html)
            if wrapped and "<p>" not in wrapped[1]:
                html = wrapped[1]
            found = first_strong(_TAG.sub("", html))
            if found and found != self.direction:
                html = f'<span dir="{found}">{html}</span>'
        result = Markup(html)
        memo[key] = result
        return result
