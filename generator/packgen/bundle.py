"""Offline bundles: the site as zip files, one per language and one with every language.

`<pack-id>-<lang>.zip` holds the chooser (offering that one language) as
`index.html` at its top and the language's folder with its PDFs, each text
once: the facilitator guides and checklists are read as the chapters of the
whole-pack PDF they repeat (see `_chapters_in_book`); `<pack-id>-all.zip`
holds the whole site. Both are written into the site's
`downloads/` folder, so they are never inside themselves: their pages keep
no link to them, and a one-language bundle keeps no link to the languages it
leaves out, so nothing inside leads nowhere. Entries are sorted and dated
from SOURCE_DATE_EPOCH (1980-01-01 without it): same site, same bytes.

The pages that offer the zips are written before the zips exist, with an
`@@size:NAME@@` placeholder that `fill_sizes` replaces once they do.
"""

from __future__ import annotations

import html
import logging
import posixpath
import re
import zipfile
from collections.abc import Callable, Container
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

import jinja2

from packgen.build_state import Bundle
from packgen.errors import Problems
from packgen.i18n.catalog import UI_DOMAIN, Translator, load_translator
from packgen.i18n.languages import language
from packgen.output import source_date_epoch
from packgen.printables.destinations import destinations
from packgen.printables.documents import chapter_anchors
from packgen.render.templates import _filesize, make_environment, render_template

log = logging.getLogger(__name__)

DOWNLOADS = "downloads"
ALL = "all"
FALLBACK_DATE = (1980, 1, 1, 0, 0, 0)
COMPRESSION = 6
"""zlib's level: 9 takes twice as long for half a percent (8 KB of the flagship's 1.45 MB)."""
PAGES_TEMPLATE = "book-pages.j2"
"""Words for the pages of the whole pack that a link opens in place of a PDF left out."""
SIZE_TOKEN = re.compile(r"@@size:([A-Za-z0-9._-]+)@@")
_BUNDLE_LINKS = re.compile(r'<div class="pg-bundles"[^>]*>.*?</div>\s*', re.DOTALL)
_SWITCHER_ITEM = re.compile(
    r'<li class="md-select__item">\s*<a [^>]*\bhreflang="([^"]+)"[^>]*>.*?</a>\s*</li>\s*',
    re.DOTALL,
)
_LINK = re.compile(r'<a\b([^>]*?)\bhref="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)
_SIZE = r'<span class="pg-size"[^>]*>[^<]*</span>'
"""A file's size as the downloads page marks it; it is the size of what the link before it opens."""
_LINK_OR_SIZE = re.compile(f"{_LINK.pattern}|(?P<size>{_SIZE})", re.DOTALL)
_EXTERNAL = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")


def bundle_names(pack_id: str, codes: list[str]) -> list[Bundle]:
    """The bundles a build of these languages writes, in the order pages list them."""
    bundles = [Bundle(f"{pack_id}-{code}.zip", code) for code in codes]
    if len(codes) > 1:
        bundles.append(Bundle(f"{pack_id}-{ALL}.zip", None))
    return bundles


def page_links(pack_id: str, codes: list[str]) -> list[dict[str, str]]:
    """What the templates need to offer the bundles: file name and language name."""
    return [
        {"name": b.name, "label": language(b.lang).name if b.lang else ""}
        for b in bundle_names(pack_id, codes)
    ]


def write_bundles(
    layers: list[Path],
    pack_id: str,
    codes: list[str],
    titles: dict[str, str],
    site: Path,
    *,
    source: str,
) -> list[Bundle]:
    """Zip the finished site folder (the staging copy) into site/downloads/; returns the bundles.

    Each file is read, changed if it is a page, and written into the zip one at a time:
    the bundle of every language holds the whole site, which would not fit in memory at
    a thousand exercises in five languages.
    """
    target = site / DOWNLOADS
    target.mkdir(exist_ok=True)
    extras = sorted(p for p in target.iterdir() if p.is_file() and p.suffix != ".zip")
    bundles = bundle_names(pack_id, codes)
    for bundle in bundles:
        inside = [bundle.lang] if bundle.lang else codes
        files: dict[str, Path | bytes] = {}
        for code in inside:
            for path in sorted((site / code).rglob("*")):
                if path.is_file():
                    files[path.relative_to(site).as_posix()] = path
        moved: dict[str, Moved] = {}
        if bundle.lang:
            files["index.html"] = _chooser(layers, [bundle.lang], titles).encode("utf-8")
            moved = _chapters_in_book(files, bundle.lang, pack_id, layers, source)
        else:
            files["index.html"] = site / "index.html"

        linked = _linked_extras(files, extras, inside) if bundle.lang else extras
        for extra in linked:
            # Files other stages put beside the zips go into a bundle whose pages link them.
            files[f"{DOWNLOADS}/{extra.name}"] = extra
        present = set(files)

        def finished(
            name: str,
            data: bytes,
            inside: list[str] = inside,
            moved: dict[str, Moved] = moved,
            present: set[str] = present,
        ) -> bytes:
            return bundle_page(name, data, inside, moved, present)

        path = target / bundle.name
        _write_zip(path, files, finished)
        bundle.size = path.stat().st_size
        log.debug("bundle %s: %d files, %d bytes", bundle.name, len(files), bundle.size)
    return bundles


def bundle_page(
    name: str, data: bytes, inside: list[str], moved: dict[str, Moved], present: Container[str]
) -> bytes:
    """A page as a bundle of the languages inside holds it, its links made to lead within."""
    text = _rewrite_page(data, inside).decode("utf-8")
    text = _links_moved(name, text, moved)
    return _dead_links_unlinked(name, text, present).encode("utf-8")


def zip_date() -> tuple[int, int, int, int, int, int]:
    """The date of every entry: SOURCE_DATE_EPOCH's, never before 1980."""
    moment = source_date_epoch()
    if moment is None:
        return FALLBACK_DATE
    year, month, day, hour, minute, second = moment.timetuple()[:6]
    return max((year, month, day, hour, minute, second), FALLBACK_DATE)


def read_source(source: Path | bytes) -> bytes:
    return source.read_bytes() if isinstance(source, Path) else source


def _linked_extras(
    files: dict[str, Path | bytes], extras: list[Path], inside: list[str]
) -> list[Path]:
    """The extras (forms beside the zips) that a page of this bundle links to."""
    wanted = {extra: f"{DOWNLOADS}/{extra.name}".encode() for extra in extras}
    found: list[Path] = []
    for name, source in files.items():
        if not wanted or not name.endswith(".html"):
            continue
        text = _rewrite_page(read_source(source), inside)
        for extra, needle in list(wanted.items()):
            if needle in text:
                found.append(extra)
                del wanted[extra]
    return sorted(found)


def fill_sizes(site: Path, codes: list[str], bundles: list[Bundle]) -> None:
    """Write each bundle's size, in the reader's language, where pages hold its placeholder."""
    sizes = {b.name: b.size for b in bundles}
    for code in codes:
        for page in sorted((site / code).rglob("*.html")):
            text = page.read_text(encoding="utf-8")
            if "@@size:" not in text:
                continue

            def size(match: re.Match[str], code: str = code) -> str:
                return _filesize(sizes.get(match.group(1), 0), code)

            page.write_text(SIZE_TOKEN.sub(size, text), encoding="utf-8")


def _chooser(layers: list[Path], codes: list[str], titles: dict[str, str]) -> str:
    env = make_environment(layers, Translator(codes[0]))
    return env.get_template("chooser.html.j2").render(
        source=language(codes[0]),
        languages=[language(code) for code in codes],
        titles=titles,
    )


def _rewrite_page(data: bytes, inside: list[str]) -> bytes:
    """Take out the links to the zips and the switcher's languages this bundle leaves out."""
    text = data.decode("utf-8")
    text = _BUNDLE_LINKS.sub("", text)
    text = _SWITCHER_ITEM.sub(lambda m: m.group(0) if m.group(1) in inside else "", text)
    return text.encode("utf-8")


@dataclass(frozen=True)
class Moved:
    """Where a link to a PDF a one-language bundle leaves out opens instead, and what it says."""

    to: str
    """Path in the bundle with its fragment: the whole-pack PDF at the chapter."""
    size: str
    """HTML in place of the file's size: the pages of the whole pack to print."""
    after: str
    """HTML to follow a link that gives no size: the same pages, set apart."""


def _chapters_in_book(
    files: dict[str, Path | bytes], code: str, pack_id: str, layers: list[Path], source: str
) -> dict[str, Moved]:
    """Take out the PDFs that repeat a chapter of the whole-pack PDF; returns where each went.

    A facilitator guide or checklist is a chapter of the whole pack, with the same text;
    a copy of its own, with its own copy of the fonts, would make a one-language zip half
    as big again. Each is taken out only when the whole-pack PDF has its chapter, by name;
    a link to it then opens the whole-pack PDF there, and says which pages to print. The
    bundle of every language, like the site, keeps them all.
    """
    folder = f"{code}/{DOWNLOADS}"
    book = f"{folder}/{pack_id}.pdf"
    if book not in files:
        return {}
    anchors = destinations(read_source(files[book]))
    env = make_environment(layers, _interface(layers, code, source))
    moved: dict[str, Moved] = {}
    for name in sorted(files):
        if not name.startswith(folder + "/") or not name.endswith(".pdf"):
            continue
        found = [a for a in chapter_anchors(name[len(folder) + 1 :]) if a in anchors]
        if found:
            size, after = _pages_words(env, anchors.pages_from(found[0]))
            moved[name] = Moved(f"{book}#nameddest={found[0]}", size, after)
            del files[name]
    if moved:
        log.debug("bundle for %s: %d PDFs opened as chapters of %s", code, len(moved), book)
    return moved


def _pages_words(env: jinja2.Environment, pages: tuple[int, int] | None) -> tuple[str, str]:
    """The pages of the whole pack in the reader's words, in place of a size and after a link."""
    first, last = pages or (None, None)
    size, after = (
        # Catalogs are the pack's: their words reach the page as text, never as HTML.
        html.escape(
            render_template(env, PAGES_TEMPLATE, "pages", first=first, last=last, aside=aside)
        ).strip()
        for aside in (False, True)
    )
    return (
        f'<span class="pg-size pg-book-pages">{size}</span>',
        f'<span class="pg-book-pages">{after}</span>',
    )


def _interface(layers: list[Path], code: str, source: str) -> Translator:
    """The interface catalogs of code, as the pages were translated with (the source language
    looks nothing up: its words are the templates'). Problems with them were reported when
    the pages were."""
    return load_translator(layers, code, UI_DOMAIN, source, Problems())


def _links_moved(name: str, text: str, moved: dict[str, Moved]) -> str:
    """Point a page's links to a moved file at where it went, relative to the page, and say
    which pages of the whole pack it opens: in place of the file's size where the page gives
    it (`pg-size`, the next link or size after the link), else right after the link."""
    if not moved:
        return text
    found = list(_LINK_OR_SIZE.finditer(text))
    parts: list[str] = []
    position = 0
    instead: dict[int, str] = {}  # the sizes of moved files, by index, and what replaces them
    for index, match in enumerate(found):
        parts.append(text[position : match.start()])
        position = match.end()
        target = None if match.group("size") else _target(name, match.group(2))
        went = moved.get(target) if target is not None else None
        if went is None:
            parts.append(instead.get(index, match.group(0)))
            continue
        path, _, fragment = went.to.partition("#")
        href = posixpath.relpath(path, posixpath.dirname(name) or ".") + "#" + fragment
        parts.append(f'<a{match.group(1)}href="{href}"{match.group(3)}>{match.group(4)}</a>')
        if index + 1 < len(found) and found[index + 1].group("size"):
            instead[index + 1] = went.size
        else:
            parts.append(" " + went.after)
    parts.append(text[position:])
    return "".join(parts)


def _target(page: str, href: str) -> str | None:
    """The bundle path a page's link points at; None for one that leaves the bundle."""
    if not href or _EXTERNAL.match(href):
        return None
    path = unquote(href.split("#")[0].split("?")[0])
    if not path:
        return None
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


def _dead_links_unlinked(name: str, text: str, present: Container[str]) -> str:
    """A link to a file the bundle does not hold keeps its text and loses its address."""

    def keep(href: str) -> bool:
        target = _target(name, href)
        if target is None:
            return True
        if target.endswith("/") or target == ".":
            target = posixpath.join(target, "index.html")
        return target in present or posixpath.join(target, "index.html") in present

    def unlink(match: re.Match[str]) -> str:
        return match.group(0) if keep(match.group(2)) else match.group(4)

    return _LINK.sub(unlink, text)


def _write_zip(
    path: Path, files: dict[str, Path | bytes], page: Callable[[str, bytes], bytes]
) -> None:
    """Write the zip entry by entry, sorted, each page through page() as it goes in."""
    date = zip_date()
    partial = path.with_name(f".{path.name}.partial")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            data = read_source(files[name])
            if name.endswith(".html"):
                data = page(name, data)
            info = zipfile.ZipInfo(name, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever the machine, for the same bytes everywhere
            archive.writestr(info, data, compresslevel=COMPRESSION)
    partial.replace(path)
