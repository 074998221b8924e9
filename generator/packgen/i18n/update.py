"""Merging templates into each language's catalogs, and adding a language.

Nothing a translator wrote is ever deleted: a changed source string keeps its
old translation as fuzzy (with the old source recorded), a removed one stays
in the file as obsolete, and an obsolete translation comes back by itself when
its source string returns.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog

from packgen.errors import PackgenError, PackInvalid, Problem, Problems, UsageProblem
from packgen.i18n.catalog import catalog_path, read_catalog
from packgen.i18n.extract import (
    new_catalog,
    po_bytes,
    template_path,
    templates,
    write_if_changed,
)
from packgen.i18n.theme import THEME_DOMAIN, has_theme_translation
from packgen.loader import display_path
from packgen.pack import Pack, load_pack

log = logging.getLogger(__name__)


@dataclass
class CatalogChange:
    """What one update did to one catalog."""

    path: Path
    created: bool
    added: int
    fuzzy: int
    obsolete: int
    written: bool


def needs_theme(code: str) -> bool:
    return not has_theme_translation(code)


def pack_templates(pack: Pack) -> dict[str, Catalog]:
    return templates(pack, theme=any(needs_theme(c) for c in pack.languages[1:]))


def extract(pack: Pack, found: dict[str, Catalog] | None = None) -> dict[Path, bool]:
    """Write the templates (found, or extracted now); returns each path and whether it changed."""
    written: dict[Path, bool] = {}
    for domain, catalog in (found or pack_templates(pack)).items():
        path = template_path(pack.root, domain)
        if any(message.id for message in catalog) or path.is_file():
            written[path] = write_if_changed(path, po_bytes(catalog))
    return written


def _read_for_update(path: Path) -> Catalog:
    problems = Problems()
    catalog = read_catalog(path, problems)
    if catalog is None:
        raise PackInvalid(
            [
                Problem(p.location, p.message.split(",")[0] + "; fix it before updating")
                for p in problems.items
            ],
            "a catalog could not be read; nothing was written",
        )
    return catalog


def merge(catalog: Catalog, template: Catalog) -> tuple[int, int]:
    """Merge template into catalog in place; returns (added, newly fuzzy)."""
    for key in list(catalog.obsolete):
        if key in template and key not in catalog:
            revived = catalog.obsolete.pop(key)
            catalog[revived.id] = revived
    before = {message.id if isinstance(message.id, str) else message.id[0] for message in catalog}
    previous = {
        message.id: message.previous_id
        for message in catalog
        if message.fuzzy and message.previous_id and message.id
    }
    catalog.update(template, update_header_comment=False)
    added = fuzzy = 0
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy and not message.previous_id and message.id in previous:
            message.previous_id = previous[message.id]
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key not in before:
            if message.fuzzy and message.string:
                fuzzy += 1
            else:
                added += 1
    return added, fuzzy


def update_language(pack: Pack, code: str, found: dict[str, Catalog]) -> list[CatalogChange]:
    changes = []
    for domain, template in found.items():
        if domain == THEME_DOMAIN and not needs_theme(code):
            continue
        path = catalog_path(pack.root, code, domain)
        created = not path.is_file()
        if created and not any(message.id for message in template):
            continue  # no strings of this kind in the pack: no empty file to confuse translators
        catalog = new_catalog(pack, locale=code) if created else _read_for_update(path)
        added, fuzzy = merge(catalog, template)
        written = write_if_changed(path, po_bytes(catalog))
        changes.append(CatalogChange(path, created, added, fuzzy, len(catalog.obsolete), written))
    return changes


def update(pack: Pack, languages: list[str] | None = None) -> list[CatalogChange]:
    """Extract, then merge into every translation language of the pack."""
    found = pack_templates(pack)
    extract(pack, found)
    codes = languages or pack.languages[1:]
    return [change for code in codes for change in update_language(pack, code, found)]


def _check_new_code(pack: Pack, code: str) -> str:
    try:
        locale = Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        raise UsageProblem(
            f"{code!r} is not a language code Babel knows; use codes like so, sw, fa, pt-BR"
        ) from None
    if code in pack.languages:
        raise UsageProblem(f"{code} is already a language of this pack")
    log.debug("adding %s (%s)", code, locale.english_name)
    return code


_FLOW = re.compile(r"\[(?P<items>[^\]]*)\]")


def add_language_to_config(path: Path, languages_at: tuple[int, int] | None, code: str) -> str:
    """The pack config's text with code appended to `languages`, comments and layout kept."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    if languages_at is None:
        raise UsageProblem(f"{display_path(path)} has no `languages:` list to add {code} to")
    line, col = languages_at
    here = lines[line - 1]
    if here[col - 1 : col] == "[":
        match = _FLOW.match(here, col - 1)
        if match is None:
            raise UsageProblem(
                f"{display_path(path)}:{line}: keep `languages: [...]` on one line to add {code}"
            )
        items = match.group("items").rstrip()
        lines[line - 1] = (
            here[: match.start("items")] + f"{items}, {code}" + here[match.end("items") :]
        )
        return "".join(lines)
    indent = here[: col - 1]
    last = line
    while last < len(lines) and lines[last].startswith(indent + "- "):
        last += 1
    lines.insert(last, f"{indent}- {code}\n")
    return "".join(lines)


def add_language(pack: Pack, code: str) -> list[CatalogChange]:
    """Add code to the pack: catalogs created, the pack config lists it, nothing else touched."""
    _check_new_code(pack, code)
    config = pack.root / "pack.yml"
    original = config.read_text(encoding="utf-8")
    languages_at = pack.config_doc.values.get(("languages",))
    config.write_text(add_language_to_config(config, languages_at, code), encoding="utf-8")
    reloaded, problems = load_pack(pack.root)
    if reloaded is None or problems.errors:
        config.write_text(original, encoding="utf-8")
        raise PackgenError(
            f"adding {code} would make {display_path(config)} invalid; it was left as it was"
        )
    found = pack_templates(reloaded)
    extract(reloaded, found)
    return update_language(reloaded, code, found)
