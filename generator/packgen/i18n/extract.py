"""Extract every translatable string of a pack into gettext templates (.pot).

Three domains: `pack` (definitions, pages and the pack config), `ui` (the
interface strings of the pack's templates) and `theme` (mkdocs-material's own
interface, needed only for languages the theme has no translation for).
A pack extracts only what it owns; strings it inherits from a base pack are
translated in the base's catalogs.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

from babel.messages.catalog import Catalog
from babel.messages.extract import extract as babel_extract
from jinja2.ext import babel_extract as jinja_extract

from packgen.i18n.catalog import CONTENT_DOMAIN, UI_DOMAIN
from packgen.i18n.pofile import write_po_bytes
from packgen.i18n.segments import segments
from packgen.i18n.theme import THEME_DOMAIN, theme_strings
from packgen.loader import YamlDocument
from packgen.model.walk import map_text
from packgen.output import source_date_epoch
from packgen.pack import Pack
from packgen.paths import DEFAULTS_DIR, TEMPLATES_DIR
from packgen.resolve.config import LayeredDocument
from packgen.resolve.published import published
from packgen.validate import dotted

UI_KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2)}
TEMPLATE_SUFFIXES = (".j2", ".html", ".md")


def template_path(root: Path, domain: str) -> Path:
    return root / "locales" / f"{domain}.pot"


def source_date() -> datetime:
    """SOURCE_DATE_EPOCH when set, so that the same sources give the same template."""
    return source_date_epoch() or datetime.now(UTC)


def new_catalog(pack: Pack, locale: str | None = None) -> Catalog:
    organisation = pack.config.organisation
    return Catalog(
        locale=locale,
        domain=None,
        project=pack.config.id,
        version=None,
        copyright_holder=organisation.name if organisation else None,
        creation_date=source_date(),
        revision_date=source_date(),
        charset="utf-8",
        fuzzy=False,
        header_comment=(
            f"# Translations of {pack.config.title}.\n"
            "# Edit the msgstr lines only; `packgen i18n update` keeps everything written here."
        ),
    )


class _Positions:
    """Line numbers of YAML values, so each message says where its text stands."""

    def __init__(self, doc: YamlDocument, root: Path) -> None:
        self.doc = doc
        self.name = Path(os.path.relpath(doc.path, root)).as_posix()
        self.lines = doc.path.read_text(encoding="utf-8").splitlines()

    def line(self, path: tuple[str | int, ...], offset: int) -> int:
        line, col = self.doc.values.get(path, (1, 1))
        text = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        block = text[col - 1 : col].strip() in {"|", ">"}
        return line + offset + (1 if block else 0)


def _definition_messages(pack: Pack) -> Iterator[tuple[str, str, int, str]]:
    # The pack's own text, and what it publishes of its bases', so that its catalogs can
    # translate everything its readers see (a language its base lacks included).
    _, shown = published(pack)
    for key, source in pack.sources.items():
        if source.layer != pack.root and key not in shown:
            continue
        positions = _Positions(source.doc, pack.root)
        found: list[tuple[str, str, int, str]] = []

        def collect(
            value: str,
            path: tuple[str | int, ...],
            found: list[tuple[str, str, int, str]] = found,
            at: _Positions = positions,
        ) -> str:
            for seg in segments(value):
                found.append((seg.text, at.name, at.line(path, seg.line), dotted(path)))
            return value

        map_text(source.definition, collect)
        yield from found


def _config_messages(pack: Pack) -> Iterator[tuple[str, str, int, str]]:
    positions = _Positions(pack.config_doc, pack.root)
    found: list[tuple[str, str, int, str]] = []

    doc = pack.config_doc

    def collect(value: str, path: tuple[str | int, ...]) -> str:
        # A setting the pack inherits is located in the base's pack.yml that holds it.
        owner = doc.owner(path) if isinstance(doc, LayeredDocument) else doc
        at = positions if owner is doc or owner.path == doc.path else _Positions(owner, pack.root)
        if path in owner.values:
            for seg in segments(value):
                found.append((seg.text, at.name, at.line(path, seg.line), dotted(path)))
        return value

    map_text(pack.config, collect)
    yield from found


def _page_messages(pack: Pack) -> Iterator[tuple[str, str, int, str]]:
    shown, _ = published(pack)
    for key, page in pack.pages.items():
        if not page.path.is_relative_to(pack.root) and key not in shown:
            continue
        name = Path(os.path.relpath(page.path, pack.root)).as_posix()
        for seg in segments(page.text):
            yield seg.text, name, seg.line + 1, seg.kind


def pack_template(pack: Pack) -> Catalog:
    """Definitions first (in file order), then pages, then the config's titles."""
    catalog = new_catalog(pack)
    messages = [*_definition_messages(pack), *_page_messages(pack), *_config_messages(pack)]
    for text, name, line, comment in messages:
        _add(catalog, text, name, line, comment)
    return catalog


def _add(catalog: Catalog, text: str | tuple[str, str], name: str, line: int, comment: str) -> None:
    existing = catalog.get(text if isinstance(text, str) else text[0])
    if existing is not None:
        if (name, line) not in existing.locations:
            existing.locations.append((name, line))
        if comment and comment not in existing.auto_comments:
            existing.auto_comments.append(comment)
        return
    catalog.add(text, locations=[(name, line)], auto_comments=[comment] if comment else [])


def _template_name(pack: Pack, path: Path) -> str:
    """A template's location in a catalog: packgen's own named the same wherever it is installed."""
    if path.is_relative_to(DEFAULTS_DIR) and not path.is_relative_to(pack.root / TEMPLATES_DIR):
        return f"packgen/defaults/{path.relative_to(DEFAULTS_DIR).as_posix()}"
    return Path(os.path.relpath(path, pack.root)).as_posix()


def ui_template(pack: Pack, root: Path | None = None) -> Catalog:
    """Every `_()`/`ngettext()` string in the templates of the pack (or of one of its layers)."""
    root = root or pack.root
    catalog = new_catalog(pack)
    folder = root / TEMPLATES_DIR
    if not folder.is_dir():
        return catalog
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not path.name.endswith(TEMPLATE_SUFFIXES):
            continue
        name = _template_name(pack, path)
        with path.open("rb") as handle:
            found = babel_extract(
                # Jinja's extractor keeps Babel's calling convention; only its hints differ.
                cast("Any", jinja_extract),
                handle,
                keywords=UI_KEYWORDS,
                options={"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"},
            )
            for line, message, comments, _context in found:
                text = message if isinstance(message, str) else (message[0], message[1])
                _add(catalog, text, name, line, "; ".join(comments))
    return catalog


def ui_template_all(pack: Pack) -> Catalog:
    """The interface strings of every layer's templates: all that the pack's pages show."""
    catalog = new_catalog(pack)
    for layer in pack.layers:
        for message in ui_template(pack, root=layer):
            if not message.id:
                continue
            for name, line in message.locations:
                comment = "; ".join(message.auto_comments)
                text = message.id if isinstance(message.id, str) else tuple(message.id)
                _add(catalog, cast("str | tuple[str, str]", text), name, line or 0, comment)
    return catalog


def theme_template(pack: Pack) -> Catalog:
    """mkdocs-material's English interface strings, keyed by their theme key as context."""
    catalog = new_catalog(pack)
    for key, text in theme_strings().items():
        catalog.add(text, context=key, auto_comments=[f"theme key {key}"])
    return catalog


def templates(pack: Pack, *, theme: bool) -> dict[str, Catalog]:
    found = {CONTENT_DOMAIN: pack_template(pack), UI_DOMAIN: ui_template_all(pack)}
    if theme:
        found[THEME_DOMAIN] = theme_template(pack)
    return found


def po_bytes(catalog: Catalog) -> bytes:
    return write_po_bytes(catalog)


def _without_dates(data: bytes) -> bytes:
    return b"\n".join(
        line
        for line in data.splitlines()
        if not line.startswith((b'"POT-Creation-Date:', b'"PO-Revision-Date:'))
    )


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write unless only the dates differ, so an unchanged catalog keeps its bytes."""
    if path.is_file() and _without_dates(path.read_bytes()) == _without_dates(data):
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return True
