"""Links between the pages of a site, checked before MkDocs runs and located at their source.

`packgen check` and `packgen build` report a broken link the same way: at the
page or definition an author wrote it in and the line it stands on, never at
the generated `build/<lang>/docs/` copy MkDocs reads.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from packgen.errors import Location, Problems
from packgen.i18n.localise import definition_path
from packgen.loader import display_path
from packgen.pack import CONTENT_DIR, Pack
from packgen.printables.documents import DOWNLOADS
from packgen.render.pages import GENERATED_PATHS, HOME

_LINK = re.compile(r"!?\[(?:[^\]\\]|\\.)*\]\(\s*<?([^)\s>]+)>?(?:\s+[\"'][^\"']*[\"'])?\s*\)")
_MKDOCS_DOC = re.compile(r"Doc file '([^']+)'")
_MKDOCS_LINK = re.compile(
    r"Doc file '(?P<doc>[^']+)' contains a link '(?P<link>[^']+)', but the target"
    r"(?: '(?P<target>[^']+)')? is not found among documentation files"
)


def assets(pack: Pack) -> set[str]:
    """The files (other than pages) that a build copies into the site from content/."""
    found: set[str] = set()
    for layer in pack.layers:
        folder = layer / CONTENT_DIR
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.suffix != ".md" and path.is_file():
                    found.add(path.relative_to(folder).as_posix())
    return found


def source_of(pack: Pack, page: str) -> Path | None:
    """The file an author edits for the page at page (a path under docs/)."""
    if page in pack.pages:
        return pack.pages[page].path
    if page.startswith("exercises/"):
        source = pack.sources.get(Path(page).stem)
        if source is not None:
            return source.doc.path
    return None


def link_location(pack: Pack, page: str, link: str) -> Location:
    """The line of the page's source that holds link; the source file when it can't be found."""
    source = source_of(pack, page)
    if source is None:
        return Location(page)
    shown = display_path(source)
    try:
        lines = source.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return Location(shown)
    for number, line in enumerate(lines, start=1):
        at = line.find(f"]({link}")
        at = at + 2 if at >= 0 else line.find(link)
        if at >= 0:
            return Location(shown, number, at + 1)
    return Location(shown)


def _target(page: str, link: str) -> str | None:
    """The docs path a relative link points at; None for links MkDocs does not check."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not parts.path or link.startswith(("/", "#")):
        return None
    path = unquote(parts.path)
    if not posixpath.splitext(path)[1]:
        return None  # MkDocs leaves a link without a file extension as it is
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), path))


def message(pack: Pack, link: str, target: str) -> str:
    text = f"link to {link!r}: no page or file {target!r} in the site"
    if target in pack.pages:
        text += f" ({CONTENT_DIR}/{target} is not listed in the contents of pack.yml)"
    elif target.startswith("exercises/") and Path(target).stem in pack.left_out:
        text += " (left out of this pack by its include: or exclude:; remove the link)"
    return text


def site_pages(pack: Pack) -> dict[str, str | None]:
    """Every page the site will have, each with the author's text it is made from (if any)."""
    pages: dict[str, str | None] = {HOME: None}
    menu = pack.menu
    pages.update({name: pack.pages[name].text for name in menu.pages})
    pages.update({definition_path(key): None for key in menu.definitions})
    pages.update({GENERATED_PATHS[kind]: None for kind in menu.generated})
    return pages


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in _texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in _texts(item)]
    return []


def check_links(pack: Pack, problems: Problems) -> None:
    """Report each relative link an author wrote whose target the site won't have.

    Read from the sources (pages, and the text of the definitions the menu
    lists), not from rendered pages, so that check needs no rendering and says
    exactly what build says.
    """
    pages = site_pages(pack)
    files = set(pages) | assets(pack)
    for page in sorted(pages):
        if page.startswith("exercises/"):
            source = pack.sources[Path(page).stem]
            texts = _texts(source.doc.data)
        else:
            text = pages[page]
            texts = [text] if text else []
        for text in texts:
            if "](" not in text:
                continue
            for match in _LINK.finditer(text):
                link = match.group(1)
                target = _target(page, link)
                if target is None or target in files or target.startswith(f"{DOWNLOADS}/"):
                    continue
                problems.warning(link_location(pack, page, link), message(pack, link, target))


def located_mkdocs_warning(pack: Pack, text: str) -> tuple[Location, str] | None:
    """MkDocs' warning about a page, placed at its source; a broken link said as check says it."""
    match = _MKDOCS_LINK.search(text)
    if match is None:
        page = _MKDOCS_DOC.match(text)
        source = source_of(pack, page.group(1)) if page else None
        if source is None:
            return None
        return Location(display_path(source)), f"MkDocs: {text}"
    doc, link = match.group("doc"), match.group("link")
    target = match.group("target") or link.lstrip("/")
    return link_location(pack, doc, link), message(pack, link, unquote(target.split("#")[0]))
