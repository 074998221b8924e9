"""Load stage: read a pack (and the packs it extends), validate it, check cross-references.

Nothing is written here. Every problem found is collected so that `packgen
check` and `packgen build` can report them all at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from packgen.config import PackConfig
from packgen.errors import Location, Problems
from packgen.loader import MAX_FILE_BYTES, YamlDocument, display_path, load_yaml
from packgen.mkdocs_settings import MkDocsSettings
from packgen.model import KINDS, Assessment, Definition
from packgen.paths import find_in_layers
from packgen.validate import did_you_mean, validate_document

log = logging.getLogger(__name__)

DEFINITIONS_DIR = "exercises"
CONTENT_DIR = "content"
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""Characters no text page holds; translation tools reject them in a catalog."""


@dataclass
class Source:
    """A definition together with the document it was read from, for locations."""

    definition: Definition
    doc: YamlDocument
    layer: Path


@dataclass
class Page:
    """A narrative Markdown page of the pack."""

    name: str
    """Path under content/, with forward slashes, e.g. `action-learning.md`."""
    path: Path
    text: str


@dataclass
class Menu:
    """What the pack's menu lists, each once in menu order: worked out once, by resolve."""

    pages: list[str] = field(default_factory=list)
    """Names of the pages under content/ the menu shows."""
    definitions: list[str] = field(default_factory=list)
    """Ids of the exercises, tools and logs the menu shows."""
    generated: list[str] = field(default_factory=list)
    """The pages packgen writes that the menu has: catalogue, downloads, ..."""


@dataclass
class Pack:
    """Everything read from a pack folder and its bases, validated."""

    root: Path
    config: PackConfig
    config_doc: YamlDocument
    layers: list[Path]
    """The pack's own folder first, then each base it extends."""
    sources: dict[str, Source] = field(default_factory=dict)
    pages: dict[str, Page] = field(default_factory=dict)
    broken: set[str] = field(default_factory=set)
    """Ids of definitions that failed validation; references to them are not errors too."""
    patches: list[tuple[YamlDocument, Path]] = field(default_factory=list)
    """Partial overrides (files with `overrides: <id>`), as read; resolve applies them."""
    replaced: dict[str, YamlDocument] = field(default_factory=dict)
    """For each definition a pack replaced whole, the base's document it replaced."""
    left_out: set[str] = field(default_factory=set)
    """Ids of definitions the pack's include:/exclude: leave out (resolve removes them)."""
    mkdocs: MkDocsSettings = field(default_factory=MkDocsSettings)
    """The settings taken from the pack's mkdocs.yml (an allow-list, read safely)."""
    menu: Menu = field(default_factory=Menu)
    """What the menu lists (resolve makes it; later stages only read it)."""
    clock: dict[str, list[int]] = field(default_factory=dict)
    """Per exercise, the minute of the day each step starts at (from the print start time),
    then the minute the last one ends; past midnight counts on (1500 is 01:00)."""

    @property
    def definitions(self) -> dict[str, Definition]:
        return {key: source.definition for key, source in self.sources.items()}

    @property
    def languages(self) -> list[str]:
        return self.config.languages

    def logo_file(self) -> Path | None:
        """The organisation's logo, looked for in the pack and then in its bases."""
        organisation = self.config.organisation
        if organisation is None or not organisation.logo:
            return None
        return find_in_layers(self.layers, organisation.logo)


PATCH_KEY = "overrides"
"""A definition file with this key changes part of a base's definition instead of being one."""


def _load_definition(path: Path, layer: Path, problems: Problems) -> Source | YamlDocument | None:
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "expected a mapping of keys (id, kind, title, ...)")
        return None
    if PATCH_KEY in doc.data:
        return doc  # a partial override: checked once merged, by the resolve stage
    kind = doc.data.get("kind")
    kinds = list(KINDS)
    if kind is None:
        problems.error(
            doc.location(()), f"missing required key 'kind'; expected one of: {', '.join(kinds)}"
        )
        return None
    if not isinstance(kind, str) or kind not in KINDS:
        problems.error(
            doc.location(("kind",)),
            f"kind: expected one of {', '.join(kinds)}; found {kind!r}"
            f"{did_you_mean(str(kind), kinds)}",
        )
        return None
    definition = validate_document(doc, KINDS[kind], problems)
    if isinstance(definition, Assessment) and (found := definition.problems()):
        for where, message in found:
            problems.error(doc.location(where), message)
        return None
    return Source(definition, doc, layer) if definition else None


def load_definitions(pack: Pack, problems: Problems) -> dict[str, Source]:
    """Every layer's definitions, bases first so that a pack's own replaces the base's."""
    sources: dict[str, Source] = {}
    broken = pack.broken
    for layer in reversed(pack.layers):
        own: dict[str, Source] = {}
        folder = layer / DEFINITIONS_DIR
        files = sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]) if folder.is_dir() else []
        for path in files:
            source = _load_definition(path, layer, problems)
            if source is None:
                broken.add(path.stem)
                continue
            if isinstance(source, YamlDocument):
                pack.patches.append((source, layer))
                continue
            key = source.definition.id
            if key in own:
                problems.error(
                    source.doc.location(("id",)),
                    f"id {key!r} is already used by {own[key].doc.shown}",
                )
                continue
            if path.stem != key:
                problems.warning(
                    source.doc.location(("id",)),
                    f"id {key!r} differs from the file name {path.name!r}; "
                    f"name the file {key}.yml so it is easy to find",
                )
            own[key] = source
            if key in sources:
                pack.replaced[key] = sources[key].doc
        sources.update(own)
    return sources


def load_pages(layers: list[Path], problems: Problems) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for layer in reversed(layers):
        folder = layer / CONTENT_DIR
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*.md")):
            name = path.relative_to(folder).as_posix()
            try:
                size = path.stat().st_size
                if size > MAX_FILE_BYTES:
                    problems.error(
                        Location(display_path(path)),
                        f"this page is {size / 1e6:.1f} MB; packgen reads pages of at most "
                        f"{MAX_FILE_BYTES / 1e6:g} MB (split it into several pages)",
                    )
                    continue
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as exc:
                problems.error(Location(display_path(path)), f"not UTF-8 text ({exc.reason})")
                continue
            except OSError as exc:
                problems.error(Location(display_path(path)), f"cannot read: {exc.strerror or exc}")
                continue
            control = _CONTROL.search(text)
            if control is not None:
                at = control.start()
                line = text.count("\n", 0, at) + 1
                column = at - (text.rfind("\n", 0, at) + 1) + 1
                what = "a NUL byte" if control.group() == "\0" else "a control character"
                problems.error(
                    Location(display_path(path), line, column),
                    f"{what} (U+{ord(control.group()):04X}): not a text file, or a damaged one",
                )
                continue
            pages[name] = Page(name, path, text)
    return pages
