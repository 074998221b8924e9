"""One allow-list of HTML for everything a pack publishes, site and print alike.

Pages, YAML text fields and translations may hold HTML, and Markdown passes
it through. What a pack writes must not run in a reader's browser, so:

- `clean_html` runs the allow-list (nh3, the Ammonia sanitiser) over HTML:
  packgen's MkDocs hook applies it to every page and the print stage to
  every piece of Markdown it converts. It is the guarantee.
- `clean_markdown` applies the same allow-list to the HTML tags, attribute
  lists (`{: onclick=... }`) and link targets written in Markdown, where
  the source is still known, so each removal is a warning naming the file
  and line, and the build folder never holds the removed payload either.

Scripts, event handlers, `javascript:` and `data:` addresses (images in
PNG, JPEG, GIF or WebP excepted), iframes, objects, embeds, forms, styles
that load anything and images from the internet are removed; the HTML
authors use (tables, details, abbr, kbd, sup, images inside the pack) stays.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape as html_unescape
from html.parser import HTMLParser
from typing import TYPE_CHECKING

import nh3

from packgen.errors import Location, Problems
from packgen.loader import YamlDocument, display_path
from packgen.model.walk import map_text
from packgen.paths import page_target

if TYPE_CHECKING:
    from packgen.pack import Pack

TAGS = {
    "a", "abbr", "b", "bdi", "bdo", "blockquote", "br", "caption", "cite", "code", "col",
    "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em", "figcaption", "figure",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "input", "ins", "kbd", "label", "li",
    "mark", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strong",
    "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u",
    "ul", "var", "wbr", "section", "article", "aside", "header", "footer", "nav",
}  # fmt: skip
"""Elements a page may contain."""
DROPPED_WITH_CONTENT = {
    "script", "style", "iframe", "object", "embed", "applet", "template", "noscript",
    "textarea", "select", "svg", "math", "frame", "frameset", "noembed", "xmp",
}  # fmt: skip
"""Elements removed with everything inside them."""
GENERIC_ATTRIBUTES = {"class", "id", "title", "lang", "dir", "role", "style"}
ATTRIBUTES = {
    "a": {"href", "name", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "input": {"type", "checked", "disabled", "name", "value"},
    "label": {"for"},
    "td": {"colspan", "rowspan", "align"},
    "th": {"colspan", "rowspan", "align", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start", "type", "reversed"},
    "li": {"value"},
    "details": {"open"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "abbr": set(),
}
ATTRIBUTE_PREFIXES = {"data-", "aria-"}
STYLE_PROPERTIES = {
    "text-align", "vertical-align", "width", "min-width", "max-width", "height", "color",
    "background-color", "font-weight", "font-style", "text-decoration", "white-space",
}  # fmt: skip
"""CSS properties kept in a `style`: none of them can load anything."""
URL_ATTRIBUTES = {"href", "src", "cite"}
_SCHEMES = {"http", "https", "mailto", "tel", "data"}
_SAFE_IMAGE_DATA = re.compile(r"^data:image/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$", re.I)
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*)\s*:")
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_STYLE_LOADS = re.compile(r"url\s*\(|@import|expression\s*\(|image-set\s*\(|-moz-binding", re.I)
_INPUT_TYPES = {"checkbox", "radio"}


def url_problem(tag: str, attr: str, value: str) -> str | None:
    """Why a URL in an attribute is refused; None when it may stay."""
    if attr not in URL_ATTRIBUTES:
        return None
    plain = _CONTROL.sub("", value)
    match = _SCHEME.match(plain)
    if not match:
        return None
    scheme = match[1].lower()
    if tag == "img" and attr == "src":
        if scheme == "data" and _SAFE_IMAGE_DATA.match(plain):
            return None
        if scheme in ("http", "https"):
            return f"an image from the internet ({value[:60]})"
        return f"a {scheme}: image address"
    if scheme not in _SCHEMES - {"data"}:
        return f"a {scheme}: address"
    return None


def attribute_problem(tag: str, attr: str, value: str | None) -> str | None:
    """Why an attribute is removed from an element; None when it stays."""
    name = attr.lower()
    if name.startswith("on"):
        return f"the event handler {name}="
    allowed = (
        name in GENERIC_ATTRIBUTES
        or name in ATTRIBUTES.get(tag, set())
        or any(name.startswith(p) for p in ATTRIBUTE_PREFIXES)
    )
    if not allowed:
        return f"the attribute {name}= of <{tag}>"
    if name == "style" and value and _STYLE_LOADS.search(value):
        return "a style that loads a resource"
    if tag == "input" and name == "type" and (value or "").lower() not in _INPUT_TYPES:
        return f"an input of type {value!r}"
    problem = url_problem(tag, name, value or "")
    return problem


def _attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if attribute_problem(tag, attr, value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes={
        "*": GENERIC_ATTRIBUTES,
        **{tag: attrs for tag, attrs in ATTRIBUTES.items() if attrs},
    },
    generic_attribute_prefixes=ATTRIBUTE_PREFIXES,
    url_schemes=_SCHEMES,
    attribute_filter=_attribute_filter,
    filter_style_properties=STYLE_PROPERTIES,
    link_rel=None,
    strip_comments=True,
)
_PRINT_IMAGES: set[str] = set()


def _print_attribute_filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and value in _PRINT_IMAGES:
        return value
    return _attribute_filter(tag, attr, value)


_PRINT_CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes={
        "*": GENERIC_ATTRIBUTES,
        **{tag: attrs for tag, attrs in ATTRIBUTES.items() if attrs},
    },
    generic_attribute_prefixes=ATTRIBUTE_PREFIXES,
    url_schemes=_SCHEMES | {"file"},
    attribute_filter=_print_attribute_filter,
    filter_style_properties=STYLE_PROPERTIES,
    link_rel=None,
    strip_comments=True,
)
_TEXT_ONLY = nh3.Cleaner(tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)


def clean_html(html: str) -> str:
    """The HTML with everything outside the allow-list removed."""
    return _CLEANER.clean(html)


def clean_print_html(html: str, images: set[str]) -> str:
    """clean_html for print, where images may also be the pack's own files at these file: URIs."""
    _PRINT_IMAGES.clear()
    _PRINT_IMAGES.update(images)
    try:
        return _PRINT_CLEANER.clean(html)
    finally:
        _PRINT_IMAGES.clear()


def clean_text(text: str) -> str:
    """A title or label as plain text: every tag removed, the rest escaped for HTML."""
    return _TEXT_ONLY.clean(text)


_PAGE_TAG = re.compile(
    r"<([A-Za-z][\w:-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]*))?)*)(\s*/?)>"
)
_PAGE_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.I | re.S)
_SCRIPT_SRC = re.compile(r"\bsrc\s*=\s*[\"']?([^\"'\s>]+)", re.I)
_THEME_SCRIPT = re.compile(r"^(/|(\.\./)+|\./)?assets/javascripts/[\w./-]+$")
_HANDLER_NAME = re.compile(r"""(?:^|[\s"'>/=])on""")
_SCRIPT_WORD = re.compile("[\x00-\x20\x7f]*".join("script:"))


def _may_change(attributes: str) -> bool:
    """Whether clean_page could change a tag with these attributes (False: it keeps it as is).

    A name starting with `on`, an entity (which could spell anything), a style or `script:`
    with any gaps come first; most tags of a built page have none and are not taken apart.
    """
    if "&" in attributes:
        return True
    lower = attributes.lower()
    if "style" in lower:
        return True
    if ":" in lower and _SCRIPT_WORD.search(lower):
        return True
    return "on" in lower and _HANDLER_NAME.search(lower) is not None


def clean_tag(name: str, attributes: str, end: str, found: list[str]) -> str | None:
    """The start tag without its handlers, script addresses and loading styles; None if unchanged.

    Each removal is added to found.
    """
    kept, changed = [], False
    for attr in _ATTR.finditer(attributes):
        attribute = attr[1].lower()
        value = html_unescape(_unquote(attr[2])) if attr[2] is not None else ""
        if attribute.startswith("on"):
            found.append(f"the event handler {attribute}=")
            changed = True
        elif _CONTROL.sub("", value).lower().startswith(("javascript:", "vbscript:")):
            found.append(f"a script address in {attribute}=")
            changed = True
        elif attribute == "style" and _STYLE_LOADS.search(value):
            found.append("a style that loads a resource")
            changed = True
        else:
            kept.append(attr[0])
    if not changed:
        return None
    return f"<{name}{''.join(' ' + k for k in kept)}{end}>"


def clean_page(html: str) -> tuple[str, list[str]]:
    """A whole built page without event handlers, script addresses or scripts not the theme's.

    The theme's own scripts (its files under assets/javascripts/ and its
    inline ones) stay; a page's content was already cleaned by clean_html.
    This is the last net for what a theme setting or override could add.
    """
    found: list[str] = []

    def tag(match: re.Match[str]) -> str:
        if not _may_change(match[2]):
            return match[0]
        return clean_tag(match[1], match[2], match[3], found) or match[0]

    def script(match: re.Match[str]) -> str:
        src = _SCRIPT_SRC.search(match[1])
        if src and not _THEME_SCRIPT.match(src[1]):
            found.append(f"the script {src[1]!r}")
            return ""
        return match[0]

    html = _PAGE_SCRIPT.sub(script, html)
    html = _PAGE_TAG.sub(tag, html)
    return html, list(dict.fromkeys(found))


class _Finder(HTMLParser):
    """Lists what the allow-list would remove from a piece of HTML, to say so."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self.found.append(f"a <{tag}> element")
        elif tag not in TAGS:
            self.found.append(f"a <{tag}> tag")
        else:
            for attr, value in attrs:
                problem = attribute_problem(tag, attr, value)
                if problem:
                    self.found.append(problem)


def html_findings(html: str) -> list[str]:
    """What clean_html removes from html, as phrases like 'a <script> element'."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return list(dict.fromkeys(finder.found))


# Markdown: the same allow-list where the source line is still known.

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.S)
_TAG = re.compile(
    r"<(/?)([A-Za-z][A-Za-z0-9-]*)((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'<>`][^\s>]*))?)*)\s*(/?)>",
    re.S,
)
_ATTR = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'<>`][^\s>]*))?", re.S)
_ATTR_LIST = re.compile(r"\{:?([^{}\n]*=[^{}\n]*)\}")
_ATTR_LIST_ITEM = re.compile(r"([#.][\w-]+)|([^\s=]+)\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s]+)|(\S+)")
_LINK = re.compile(r"(!?)\[[^\]\n]*\]\(\s*<?([^)\s>]*)")
_REFERENCE_DEF = re.compile(r"^[ ]{0,3}\[[^\]]+\]:[ \t]*<?(\S+?)>?(?=\s|$)", re.M)
_BLOCK_INDICATOR = re.compile(r"[|>][+-]?\d*\s*(#.*)?$")
_BAD_AUTOLINK = re.compile(r"<\s*(?:javascript|vbscript|data)\s*:[^>]*>", re.I)


def code_regions(text: str) -> list[tuple[int, int]]:
    """Where fenced code blocks and code spans are: their HTML is shown, not run."""
    regions: list[tuple[int, int]] = []
    offset = 0
    fence: str | None = None
    start = 0
    for line in text.splitlines(keepends=True):
        match = _FENCE.match(line)
        if fence is None and match:
            fence, start = match[1][0] * len(match[1]), offset
        elif fence is not None and match and match[1].startswith(fence):
            regions.append((start, offset + len(line)))
            fence = None
        offset += len(line)
    if fence is not None:
        regions.append((start, len(text)))
    outside = _mask(text, regions)
    regions += [m.span() for m in _CODE_SPAN.finditer(outside)]
    return regions


def _mask(text: str, regions: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in regions:
        for i in range(start, end):
            if chars[i] != "\n":
                chars[i] = " "
    return "".join(chars)


def _unquote(value: str | None) -> str:
    if value and value[0] in "\"'" and value[-1] == value[0] and len(value) >= 2:
        return value[1:-1]
    return value or ""


def _listed_attribute_problem(name: str, value: str) -> str | None:
    """Why an attribute in an attribute list is removed; it may land on any element.

    An attribute the element does not take is left to the HTML cleaning, which
    knows the element; what can run or load anything is removed here.
    """
    lower = name.lower()
    if lower.startswith("on"):
        return f"the event handler {lower}="
    if lower == "style" and _STYLE_LOADS.search(value):
        return "a style that loads a resource"
    if lower in URL_ATTRIBUTES:
        return url_problem("img" if lower == "src" else "a", lower, value)
    return None


class _MarkdownCleaner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.found: list[tuple[int, str]] = []
        self.edits: list[tuple[int, int, str]] = []

    def line_of(self, offset: int) -> int:
        return self.text.count("\n", 0, offset) + 1

    def note(self, offset: int, what: str) -> None:
        self.found.append((self.line_of(offset), what))

    def run(self) -> str:
        masked = _mask(self.text, code_regions(self.text))
        self.tags(masked)
        self.attribute_lists(masked)
        self.links(masked)
        for match in _BAD_AUTOLINK.finditer(masked):
            self.note(match.start(), "a script address")
            self.edits.append((match.start(), match.end(), ""))
        result, last = [], 0
        for start, end, replacement in sorted(self.edits):
            if start < last:
                continue  # inside a part already removed
            result += [self.text[last:start], replacement]
            last = end
        result.append(self.text[last:])
        return "".join(result)

    def tags(self, masked: str) -> None:
        skip_until = 0
        for match in _TAG.finditer(masked):
            if match.start() < skip_until:
                continue
            closing, name = match[1], match[2].lower()
            if name in DROPPED_WITH_CONTENT:
                end = match.end()
                if not closing and not match[4]:
                    close = re.compile(rf"</\s*{name}\s*>", re.I).search(masked, match.end())
                    end = close.end() if close else len(masked)
                self.note(match.start(), f"a <{name}> element")
                self.edits.append((match.start(), end, ""))
                skip_until = end
            elif name not in TAGS:
                if not closing:
                    self.note(match.start(), f"a <{name}> tag")
                self.edits.append((match.start(), match.end(), ""))
            elif not closing:
                self.attributes(match, name)

    def attributes(self, match: re.Match[str], name: str) -> None:
        kept: list[str] = []
        removed = False
        # The attributes as written (match is on the text with code blanked out).
        for attr in _ATTR.finditer(self.text, match.start(3), match.end(3)):
            value = _unquote(attr[2]) if attr[2] is not None else None
            # md_in_html reads markdown="1" and removes it before any HTML is written.
            problem = None if attr[1] == "markdown" else attribute_problem(name, attr[1], value)
            if problem:
                self.note(match.start(), problem)
                removed = True
            else:
                kept.append(attr[0])
        if removed:
            inner = "".join(f" {item}" for item in kept)
            self.edits.append((match.start(), match.end(), f"<{match[2]}{inner}{match[4]}>"))

    def attribute_lists(self, masked: str) -> None:
        for match in _ATTR_LIST.finditer(masked):
            kept: list[str] = []
            removed = False
            for item in _ATTR_LIST_ITEM.finditer(match[1]):
                problem = _listed_attribute_problem(item[2], _unquote(item[3])) if item[2] else None
                if problem:
                    self.note(match.start(), f"{problem} in an attribute list")
                    removed = True
                else:
                    kept.append(item[0])
            if removed:
                replacement = "{: " + " ".join(kept) + " }" if kept else ""
                self.edits.append((match.start(), match.end(), replacement))

    def links(self, masked: str) -> None:
        for match in _LINK.finditer(masked):
            self.link(match.start(2), match.end(2), match[2], image=bool(match[1]))
        for match in _REFERENCE_DEF.finditer(masked):
            self.link(match.start(1), match.end(1), match[1], image=False)

    def link(self, start: int, end: int, target: str, *, image: bool) -> None:
        problem = url_problem("img" if image else "a", "src" if image else "href", target)
        if problem:
            self.note(start, problem)
            self.edits.append((start, end, "#"))


def clean_markdown(text: str) -> tuple[str, list[tuple[int, str]]]:
    """The text with unsafe HTML, attributes and addresses removed, and each removal's line."""
    if "<" not in text and "{" not in text and ":" not in text:
        return text, []
    cleaner = _MarkdownCleaner(text)
    cleaned = cleaner.run()
    return cleaned, cleaner.found


def markdown_findings(text: str) -> list[str]:
    """What clean_markdown would remove from text."""
    return list(dict.fromkeys(what for _, what in clean_markdown(text)[1]))


def target_findings(text: str, page: str) -> list[tuple[int, str]]:
    """Links and images of text (on the page at page, under docs/) that point out of the pack."""
    masked = _mask(text, code_regions(text))
    found: list[tuple[int, str]] = []
    targets = [(m.start(2), m[2]) for m in _LINK.finditer(masked)]
    targets += [(m.start(1), m[1]) for m in _REFERENCE_DEF.finditer(masked)]
    for tag in _TAG.finditer(masked):
        for attr in _ATTR.finditer(tag[3]):
            if attr[1].lower() in URL_ATTRIBUTES and attr[2]:
                targets.append((tag.start(), _unquote(attr[2])))
    for offset, target in targets:
        problem = page_target(page, target)
        if problem:
            found.append((text.count("\n", 0, offset) + 1, problem))
    return found


def _report(
    problems: Problems, location: Location, found: list[tuple[int, str]], first: int
) -> None:
    for line, what in found:
        where = Location(location.path, first + line - 1) if first else location
        problems.warning(where, f"removed {what}: pages may not run scripts or load resources")


_MARKS = ("<", "{", "](", "]:", "&")
"""What a text needs before it can hold HTML, an attribute list, a link or a reference."""


def clean_pack(pack: Pack, problems: Problems, definitions_dir: str = "exercises") -> None:
    """Clean every page and text field of a loaded pack, warning at each removal's source line."""
    for page in pack.pages.values():
        shown = display_path(page.path)
        for line, why in target_findings(page.text, page.name):
            problems.error(Location(shown, line), why)
        page.text, found = clean_markdown(page.text)
        _report(problems, Location(shown), found, 1)

    def cleaner(doc: YamlDocument, page: str) -> Callable[[str, tuple[str | int, ...]], str]:
        lines: list[str] = []

        def clean(value: str, path: tuple[str | int, ...]) -> str:
            # Most fields are plain prose: with no tag, attribute list, link or reference
            # definition there is nothing to clean, and a pack has tens of thousands of them.
            if not any(mark in value for mark in _MARKS):
                return value
            where = doc.location(path)
            for _, why in target_findings(value, page):
                problems.error(where, why)
            cleaned, found = clean_markdown(value)
            if found:
                if not lines:
                    lines.extend(doc.path.read_text(encoding="utf-8").splitlines() or [""])
                # The mark of a block scalar (| or >) is its indicator; its text starts below.
                marked = lines[where.line - 1] if 0 < where.line <= len(lines) else ""
                first = where.line + 1 if _BLOCK_INDICATOR.search(marked) else where.line
                _report(problems, where, found, first)
            return cleaned

        return clean

    for key, source in pack.sources.items():
        source.definition = map_text(
            source.definition, cleaner(source.doc, f"{definitions_dir}/{key}.md")
        )
    pack.config = map_text(pack.config, cleaner(pack.config_doc, "index.md"))
