"""Merging templates into each language's catalogs, and adding a language.

Nothing a translator wrote is ever deleted: a changed source string keeps its
old translation as fuzzy (with the old source recorded), a removed one stays
in the file as obsolete, and an obsolete translation comes back by itself when
its source string returns.
"""

from __future__ import annotations

import errno
import logging
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message

from packgen.errors import PackgenError, PackInvalid, Problems, UsageProblem
from packgen.i18n.catalog import catalog_path, read_catalog
from packgen.i18n.extract import (
    _without_dates,
    new_catalog,
    po_bytes,
    template_path,
    templates,
)
from packgen.i18n.theme import THEME_DOMAIN, has_theme_translation
from packgen.loader import display_path
from packgen.output import signals_held
from packgen.pack import Pack
from packgen.resolve import load_pack

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


def _template_files(pack: Pack, found: dict[str, Catalog]) -> dict[Path, bytes]:
    files: dict[Path, bytes] = {}
    for domain, catalog in found.items():
        path = template_path(pack.root, domain)
        if any(message.id for message in catalog) or path.is_file():
            files[path] = po_bytes(catalog)
    return files


def extract(pack: Pack, found: dict[str, Catalog] | None = None) -> dict[Path, bool]:
    """Write the templates (found, or extracted now); returns each path and whether it changed."""
    return write_all(_template_files(pack, found or pack_templates(pack)))


def write_all(files: dict[Path, bytes]) -> dict[Path, bool]:
    """Write every file or none: each is checked and staged first, then all are put in place.

    Unchanged files (only their dates differ) keep their bytes; a replaced file
    keeps its mode; a read-only or unwritable one stops everything, before
    anything is written.
    """
    changed = {path: _differs(path, data) for path, data in files.items()}
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if not changed[path]:
                continue
            mode = _writable_mode(path)
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            staged.append((tmp, path))
            tmp.write_bytes(data)
            if mode is not None:
                os.chmod(tmp, mode)
    except BaseException as exc:  # a write that failed, or Ctrl-C: no half-made files stay
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        where = display_path(Path(exc.filename)) if exc.filename else "a catalog"
        raise PackgenError(
            f"{where}: cannot write: {exc.strerror or exc}; nothing was written"
        ) from None
    with signals_held():  # Ctrl-C now would leave some catalogs updated and others not
        for tmp, path in staged:
            tmp.replace(path)
    return changed


def _differs(path: Path, data: bytes) -> bool:
    try:
        return _without_dates(path.read_bytes()) != _without_dates(data)
    except FileNotFoundError:
        return True


def _writable_mode(path: Path) -> int | None:
    """The mode of the file at path, to keep; an error when it must not be replaced."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    if not info.st_mode & 0o222:
        raise PermissionError(errno.EACCES, "the file is read-only", str(path))
    with path.open("ab"):  # fails on an immutable file, or one this user may not change
        pass
    return stat.S_IMODE(info.st_mode)


def _read_for_update(path: Path, problems: Problems) -> Catalog | None:
    found = Problems()
    catalog = read_catalog(path, found)
    for problem in found.items:
        problems.error(problem.location, problem.message + "; fix it before updating")
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
        elif message.fuzzy and message.previous_id and message.previous_id[0] in previous:
            # Matched to an entry that was already fuzzy: its translation still answers the
            # source last translated, so that stays the previous source (as msgmerge does).
            message.previous_id = previous[message.previous_id[0]]
        key = message.id if isinstance(message.id, str) else message.id[0]
        if key not in before:
            if message.fuzzy and message.string:
                fuzzy += 1
            else:
                added += 1
    return added, fuzzy


def merged_catalogs(
    pack: Pack, code: str, found: dict[str, Catalog], problems: Problems
) -> list[tuple[CatalogChange, bytes]]:
    """Each catalog of code with the templates merged in, not written yet."""
    changes = []
    for domain, template in found.items():
        if domain == THEME_DOMAIN and not needs_theme(code):
            continue
        path = catalog_path(pack.root, code, domain)
        created = not path.is_file()
        if created and not any(message.id for message in template):
            continue  # no strings of this kind in the pack: no empty file to confuse translators
        if created and _translated_below(pack, code, domain, template):
            continue  # a base (or packgen) translates all of it: nothing here for a translator
        catalog = new_catalog(pack, locale=code) if created else _read_for_update(path, problems)
        if catalog is None:
            continue
        added, fuzzy = merge(catalog, template)
        change = CatalogChange(path, created, added, fuzzy, len(catalog.obsolete), False)
        changes.append((change, po_bytes(catalog)))
    return changes


def _translated_below(pack: Pack, code: str, domain: str, template: Catalog) -> bool:
    """Whether the layers under the pack translate every string of template into code."""
    below = [catalog_path(layer, code, domain) for layer in pack.layers[1:]]
    catalogs = [read_catalog(path, Problems()) for path in below if path.is_file()]
    found = [catalog for catalog in catalogs if catalog is not None]
    if not found:
        return False

    def translated(message: Message) -> bool:
        for catalog in found:
            entry = catalog.get(message.id, context=message.context)
            if entry is not None and entry.string and not entry.fuzzy:
                forms = entry.string if isinstance(entry.string, tuple | list) else [entry.string]
                if all(forms):
                    return True
        return False

    return all(translated(message) for message in template if message.id)


def _write_update(pack: Pack, codes: list[str], found: dict[str, Catalog]) -> list[CatalogChange]:
    problems = Problems()
    merged = [item for code in codes for item in merged_catalogs(pack, code, found, problems)]
    if problems.errors:
        raise PackInvalid(problems.sorted(), "a catalog could not be read; nothing was written")
    files = _template_files(pack, found)
    files.update({change.path: data for change, data in merged})
    written = write_all(files)
    for change, _ in merged:
        change.written = written[change.path]
    return [change for change, _ in merged]


def update_language(pack: Pack, code: str, found: dict[str, Catalog]) -> list[CatalogChange]:
    return _write_update(pack, [code], found)


def update(pack: Pack, languages: list[str] | None = None) -> list[CatalogChange]:
    """Extract, then merge into every translation language of the pack.

    Every catalog is read and merged before anything is written, and then all
    are written together, so a catalog that can't be read changes nothing.
    """
    found = pack_templates(pack)
    return _write_update(pack, languages or pack.languages[1:], found)


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
    try:
        return update_language(reloaded, code, found)
    except PackgenError:
        config.write_text(original, encoding="utf-8")
        raise
