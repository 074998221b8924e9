"""Reading gettext catalogs and looking strings up, with fallback to the source text."""

from __future__ import annotations

import contextlib
import functools
import gc
import gettext
import logging
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import unescape

from packgen.errors import Location, Problem, Problems, Severity
from packgen.fingerprint import file_digest
from packgen.i18n.catalog_cache import (
    CheckedCatalog,
    Entries,
    Entry,
    keep_checked,
    read_checked,
)
from packgen.i18n.checks import check_translation
from packgen.i18n.pofile import PoSyntaxError, read_po_bytes
from packgen.loader import display_path

log = logging.getLogger(__name__)

_MARKUP_CHARS = re.compile(r'["<>]')
CONTENT_DOMAIN = "pack"
UI_DOMAIN = "ui"
MAX_CATALOG_BYTES = 200_000_000


def catalog_path(root: Path, lang: str, domain: str) -> Path:
    return root / "locales" / lang / "LC_MESSAGES" / f"{domain}.po"


def read_catalog(path: Path, problems: Problems) -> Catalog | None:
    """Parse a PO file; a broken one is an error at its line, and its translations are not used.

    Nothing is guessed: an unterminated string, a wrong charset or a second
    entry for one msgid would otherwise show readers a cut or garbled text.
    """
    shown = display_path(path)
    try:
        if path.stat().st_size > MAX_CATALOG_BYTES:
            problems.error(
                Location(shown), f"this catalog is over {MAX_CATALOG_BYTES // 1_000_000} MB"
            )
            return None
        return read_po_bytes(path.read_bytes())
    except PoSyntaxError as exc:
        problems.error(Location(shown, exc.line), f"broken translation catalog: {exc.message}")
    except OSError as exc:
        problems.error(Location(shown), f"cannot read this catalog: {exc.strerror or exc}")
    return None


class State(StrEnum):
    """Where a source string stands in one language."""

    TRANSLATED = "translated"
    FUZZY = "fuzzy"
    """Translated, but the source changed since: the translation may be out of date."""
    UNTRANSLATED = "untranslated"


def restore_previous(catalog: Catalog) -> Catalog:
    """Read `#| msgid` lines back as the previous source, as gettext tools mean them.

    Babel's reader keeps them as plain comments, which its writer would then
    turn into `# | msgid`, a comment no tool understands any more.
    """
    for message in [*catalog, *catalog.obsolete.values()]:
        previous: list[list[str]] = []
        kept: list[str] = []
        for comment in message.user_comments:
            body = comment[1:].strip() if comment.startswith("|") else None
            if body is None:
                kept.append(comment)
            elif body.startswith(("msgid_plural ", "msgid ")):
                previous.append([unescape(body.split(" ", 1)[1].strip())])
            elif body.startswith('"') and previous:
                previous[-1].append(unescape(body))
        if previous:
            message.previous_id = ["".join(parts) for parts in previous]
            message.user_comments = kept
    return catalog


@dataclass
class Lookup:
    """The translations of one catalog, found as Babel finds them: by source and context."""

    entries: Entries = field(default_factory=dict)
    plural_expr: str = "(n != 1)"

    def get(self, message: str, context: str | None = None) -> Entry | None:
        return self.entries.get((message, context))

    @classmethod
    def of(cls, catalog: Catalog) -> Lookup:
        entries: Entries = {}
        for message in catalog:
            if message.id == "" and message.context is None:
                continue  # the header, which Babel's own get() does not find either
            source = message.id if isinstance(message.id, str) else message.id[0]
            string = message.string
            if isinstance(string, list):
                string = tuple(string)
            entries[source, message.context] = Entry(
                "" if string is None else string, message.fuzzy
            )
        return cls(entries, catalog.plural_expr)


@dataclass
class Translator:
    """Looks up source strings for one language; the first catalog that has one wins.

    Every lookup is recorded with its state, so pages can say what is missing.
    Fuzzy and broken translations are not used: readers get the source instead.
    """

    lang: str
    catalogs: list[Lookup] = field(default_factory=list)
    is_source: bool = False
    """The source language has nothing to look up and nothing missing."""
    broken: set[str] = field(default_factory=set)
    """Source strings whose translation failed a check."""
    seen: dict[str, State] = field(default_factory=dict)

    @property
    def missing(self) -> set[str]:
        return {m for m, state in self.seen.items() if state is not State.TRANSLATED}

    def lookup(self, message: str) -> tuple[str, State]:
        if self.is_source or not message or not message.strip():
            return message, State.TRANSLATED
        state = State.UNTRANSLATED
        if message not in self.broken:
            for catalog in self.catalogs:
                entry = catalog.get(message)
                if entry is None or not entry.string:
                    continue
                if entry.fuzzy:
                    state = State.FUZZY
                    continue
                return self._record(message, State.TRANSLATED, str(entry.string))
        return self._record(message, state, message)

    def _record(self, message: str, state: State, text: str) -> tuple[str, State]:
        self.seen[message] = state
        return text, state

    def gettext(self, message: str) -> str:
        return self.lookup(message)[0]

    def pgettext(self, context: str, message: str) -> str:
        """Lookup of a message that shares its text with others, told apart by context."""
        if self.is_source:
            return message
        key = f"{context}\x04{message}"
        for catalog in self.catalogs if key not in self.broken else []:
            entry = catalog.get(message, context=context)
            if entry is not None and entry.string and not entry.fuzzy:
                self.seen[f"{context}\x04{message}"] = State.TRANSLATED
                return str(entry.string)
        self.seen[f"{context}\x04{message}"] = State.UNTRANSLATED
        return message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        if self.is_source:
            return singular if n == 1 else plural
        if singular not in self.broken:
            for catalog in self.catalogs:
                entry = catalog.get(singular)
                if entry is None or entry.fuzzy or not isinstance(entry.string, tuple | list):
                    continue
                forms = list(entry.string)
                index = _plural_index(catalog, n)
                if 0 <= index < len(forms) and forms[index]:
                    self.seen[singular] = State.TRANSLATED
                    return str(forms[index])
        self.seen[singular] = State.UNTRANSLATED
        return singular if n == 1 else plural


@functools.lru_cache(maxsize=64)
def _plural_rule(expression: str) -> Callable[[int], int] | None:
    """A catalog's plural rule compiled once: pages ask it for every count they show."""
    try:
        return gettext.c2py(expression)
    except (ValueError, SyntaxError):
        return None


def _plural_index(catalog: Lookup, n: int) -> int:
    rule = _plural_rule(catalog.plural_expr)
    try:
        return int(rule(n)) if rule is not None else int(n != 1)
    except (ValueError, SyntaxError):
        return int(n != 1)


def check_catalog(catalog: Catalog, path: Path, problems: Problems) -> set[str]:
    """Source strings whose translation here breaks a check; each is reported once."""
    broken: set[str] = set()
    for message in catalog:
        if not message.id or message.fuzzy or not message.string:
            continue
        if isinstance(message.id, tuple | list):
            source = " ".join(message.id)
            forms = message.string if isinstance(message.string, tuple | list) else [message.string]
            found = []
            for form in filter(None, forms):
                found += check_translation(source, form, plural_form=True)
            key = message.id[0]
        else:
            found = check_translation(message.id, str(message.string))
            key = f"{message.context}\x04{message.id}" if message.context else message.id
            if path.stem == "theme" and _MARKUP_CHARS.search(str(message.string)):
                # The theme writes its strings into attributes unescaped: a quote would end one.
                found.append('the characters " < > are not allowed in interface strings')
        if found:
            broken.add(key)
            problems.warning(
                Location(display_path(path), message.lineno or 0),
                f"{'; '.join(dict.fromkeys(found))}; the source text is shown instead",
            )
    return broken


def load_translator(
    layers: list[Path], lang: str, domain: str, source_lang: str, problems: Problems
) -> Translator:
    """A translator for lang over every layer of the pack (the pack itself before its bases)."""
    translator = Translator(lang, is_source=lang == source_lang)
    if translator.is_source:
        return translator
    for root in layers:
        path = catalog_path(root, lang, domain)
        if path.is_file():
            catalog, broken = _checked_catalog(path, problems)
            if catalog is not None:
                translator.catalogs.append(catalog)
                translator.broken |= broken
    return translator


_CHECKED: dict[tuple[str, str, str], tuple[Lookup | None, set[str], list[Problem]]] = {}
_CHECKED_KEPT = 64


def _checked_catalog(path: Path, problems: Problems) -> tuple[Lookup | None, set[str]]:
    """A catalog read and checked, once per content: a build reads each catalog for its pages
    and again for the digital forms, a preview server reads them on every change, and the
    next build finds what this one read in the user's cache (catalog_cache)."""
    # Streamed, so that a catalog over the size limit is never held in memory to be hashed.
    digest = file_digest(path)
    key = None if digest == "missing" else (str(path), os.getcwd(), digest)
    if key is not None and key in _CHECKED:
        known, broken, said = _CHECKED[key]
        for problem in said:
            problems.add(problem)
        return known, set(broken)
    own = Problems()
    theme = path.stem == "theme"
    with _collector_paused():
        kept = read_checked(digest, theme) if key is not None else None
        if kept is not None:
            lookup: Lookup | None = Lookup(kept.entries, kept.plural_expr)
            broken = set(kept.broken)
            _replay(kept, path, own)
        else:
            catalog = read_catalog(path, own)
            broken = check_catalog(catalog, path, own) if catalog is not None else set()
            lookup = Lookup.of(catalog) if catalog is not None else None
            # Kept only if the file is still what was hashed: one saved meanwhile is read again.
            unchanged = key is not None and file_digest(path) == digest
            if lookup is not None and unchanged and not own.errors:
                keep_checked(digest, theme, _checked(lookup, broken, own))
    for problem in own.items:
        problems.add(problem)
    if key is not None:
        if len(_CHECKED) >= _CHECKED_KEPT:
            _CHECKED.pop(next(iter(_CHECKED)))
        _CHECKED[key] = (lookup, set(broken), list(own.items))
    return lookup, broken


def forget_checked() -> None:
    """Let go of the catalogs read in this process (a worker that read them ahead for the
    build holds no use for them, and every object kept slows the cycle collector there)."""
    _CHECKED.clear()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a catalog is read into memory.

    Reading one makes a few objects per entry, none of them in a cycle, and the
    collector went through every object of the process again and again meanwhile:
    reading a catalog three times as long took five times as long.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _checked(lookup: Lookup, broken: set[str], found: Problems) -> CheckedCatalog:
    return CheckedCatalog(
        lookup.entries,
        lookup.plural_expr,
        set(broken),
        [(str(p.severity), p.location.line, p.location.column, p.message) for p in found.items],
    )


def _replay(kept: CheckedCatalog, path: Path, problems: Problems) -> None:
    """Report again what the checks found when the catalog was read, at its lines here."""
    shown = display_path(path)
    for severity, line, column, message in kept.problems:
        if Severity(severity) is Severity.WARNING:
            problems.warning(Location(shown, line, column), message)
        else:
            problems.error(Location(shown, line, column), message)
