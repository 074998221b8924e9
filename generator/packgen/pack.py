"""Load stage: read a pack (and the packs it extends), validate it, check cross-references.

Nothing is written here. Every problem found is collected so that `packgen
check` and `packgen build` can report them all at once.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from packgen.config import CONFIG_FILE, ContentItem, PackConfig
from packgen.errors import Location, Problems, UsageProblem
from packgen.forms.names import check_log
from packgen.i18n.languages import is_known
from packgen.loader import MAX_FILE_BYTES, YamlDocument, display_path, load_yaml
from packgen.mkdocs_settings import MkDocsSettings, check_overrides, read_settings
from packgen.model import KINDS, Assessment, Definition, Exercise, LearningLog
from packgen.paths import check_links, find_in_layers, refused_reference
from packgen.sanitize import clean_pack
from packgen.validate import did_you_mean, validate_document

log = logging.getLogger(__name__)

DEFINITIONS_DIR = "exercises"
CONTENT_DIR = "content"
MAX_BASE_DEPTH = 8
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
    mkdocs: MkDocsSettings = field(default_factory=MkDocsSettings)
    """The settings taken from the pack's mkdocs.yml (an allow-list, read safely)."""

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


def find_pack_root(path: Path) -> Path:
    root = path.resolve()
    if root.is_file() and root.name == CONFIG_FILE:
        root = root.parent
    if not (root / CONFIG_FILE).is_file():
        raise UsageProblem(
            f"{display_path(root)}: not a pack: no {CONFIG_FILE} here "
            "(give the pack folder, e.g. `packgen check path/to/pack`)"
        )
    return root


def _load_config(root: Path, problems: Problems) -> tuple[PackConfig, YamlDocument] | None:
    if (root / CONFIG_FILE).is_symlink() and not check_links(root, problems):
        return None
    doc = load_yaml(root / CONFIG_FILE, problems)
    if doc is None:
        return None
    config = validate_document(doc, PackConfig, problems)
    return (config, doc) if config else None


def _load_layers(
    root: Path, problems: Problems
) -> tuple[list[Path], PackConfig, YamlDocument] | None:
    loaded = _load_config(root, problems)
    if loaded is None:
        return None
    config, doc = loaded
    layers = [root]
    current, current_doc = config, doc
    while current.extends:
        base = (layers[-1] / current.extends).resolve()
        where = current_doc.location(("extends",))
        if base in layers or len(layers) > MAX_BASE_DEPTH:
            problems.error(where, f"packs extend each other in a loop: {current.extends}")
            return None
        if not (base / CONFIG_FILE).is_file():
            problems.error(
                where, f"extends: {current.extends!r} is not a pack: no {CONFIG_FILE} in {base}"
            )
            return None
        base_loaded = _load_config(base, problems)
        if base_loaded is None:
            return None
        layers.append(base)
        current, current_doc = base_loaded
        if not config.contents and current.contents:
            # A pack without its own menu takes the nearest base's.
            config = config.model_copy(update={"contents": current.contents})
        if "print" not in config.model_fields_set and "print" in current.model_fields_set:
            # Likewise its print settings; the copy counts them as set, so the nearest base wins.
            config = config.model_copy(update={"print": current.print})
    return layers, config, doc


def _load_definition(path: Path, layer: Path, problems: Problems) -> Source | None:
    doc = load_yaml(path, problems)
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.error(doc.location(()), "expected a mapping of keys (id, kind, title, ...)")
        return None
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
        for path, message in found:
            problems.error(doc.location(path), message)
        return None
    return Source(definition, doc, layer) if definition else None


def _load_definitions(
    layers: list[Path], problems: Problems, broken: set[str]
) -> dict[str, Source]:
    sources: dict[str, Source] = {}
    # Bases first, so that a pack's own definition replaces the base's one with its id.
    for layer in reversed(layers):
        own: dict[str, Source] = {}
        folder = layer / DEFINITIONS_DIR
        files = sorted([*folder.rglob("*.yml"), *folder.rglob("*.yaml")]) if folder.is_dir() else []
        for path in files:
            source = _load_definition(path, layer, problems)
            if source is None:
                broken.add(path.stem)
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
        sources.update(own)
    return sources


def _load_pages(layers: list[Path], problems: Problems) -> dict[str, Page]:
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


def _walk_contents(items: list[ContentItem], path: tuple[str | int, ...]) -> list[tuple]:
    found: list[tuple] = []
    for i, item in enumerate(items):
        found.append(((*path, i), item))
        if item.contents:
            found.extend(_walk_contents(item.contents, (*path, i, "contents")))
    return found


def _check_references(pack: Pack, problems: Problems) -> None:
    config, doc = pack.config, pack.config_doc
    ids = sorted(pack.sources)
    listed: set[str] = set()
    for where, item in _walk_contents(config.contents, ("contents",)):
        if item.exercise:
            if item.exercise in pack.broken:
                continue
            if item.exercise not in pack.sources:
                problems.error(
                    doc.location((*where, "exercise")),
                    f"no exercise or log with id {item.exercise!r} in {DEFINITIONS_DIR}/"
                    f"{did_you_mean(item.exercise, ids)}",
                )
            elif item.exercise in listed:
                problems.warning(
                    doc.location((*where, "exercise")), f"{item.exercise!r} is listed twice"
                )
            listed.add(item.exercise)
        if item.page and item.page not in pack.pages:
            problems.error(
                doc.location((*where, "page")),
                f"no page {item.page!r} in {CONTENT_DIR}/"
                f"{did_you_mean(item.page, list(pack.pages))}",
            )
    logo = config.organisation.logo if config.organisation else None
    if logo and refused_reference(logo):
        problems.error(
            doc.location(("organisation", "logo")), f"logo: {logo!r}: {refused_reference(logo)}"
        )
    elif logo and pack.logo_file() is None:
        problems.error(
            doc.location(("organisation", "logo")),
            f"logo: no file {config.organisation.logo!r} in the pack (give a path such as "
            "content/img/logo.png)",
        )
    for code_index, code in enumerate(config.languages):
        if code in config.languages[:code_index]:
            first = doc.location(("languages", config.languages.index(code)))
            problems.error(
                doc.location(("languages", code_index)),
                f"language {code!r} is listed twice (first on line {first.line})",
            )
            continue
        if not is_known(code):
            problems.error(
                doc.location(("languages", code_index)),
                f"unknown language code {code!r}; use an ISO 639 code such as en, fr, ar, so",
            )
    for key, source in sorted(pack.sources.items()):
        definition = source.definition
        for i, ref in enumerate(definition.related):
            if ref in pack.broken:
                continue
            if ref not in pack.sources:
                problems.error(
                    source.doc.location(("related", i)),
                    f"related: no exercise or log with id {ref!r}{did_you_mean(ref, ids)}",
                )
            elif ref == key:
                problems.warning(source.doc.location(("related", i)), "an entry relates to itself")
        if isinstance(definition, Exercise) and definition.step_minutes != definition.duration:
            problems.warning(
                source.doc.location(("duration",)),
                f"duration is {definition.duration} minutes but the steps add up to "
                f"{definition.step_minutes}",
            )
        if isinstance(definition, LearningLog):
            check_log(definition, source.doc, problems)
        if isinstance(definition, LearningLog) and key == config.id:
            problems.error(
                source.doc.location(("id",)),
                f"the log's id {key!r} is also the pack's id, so both would print to "
                f"downloads/{key}.pdf; give the log another id",
            )
        if key not in listed and config.contents and source.layer == pack.root:
            problems.warning(
                source.doc.location(("id",)),
                f"{key!r} is not listed in the contents of {CONFIG_FILE}, so no page shows it",
            )


def load_pack(path: Path) -> tuple[Pack | None, Problems]:
    """Read and validate the pack at path; the pack is None when it cannot be used."""
    problems = Problems()
    root = find_pack_root(path)
    layered = _load_layers(root, problems)
    if layered is None:
        return None, problems
    layers, config, doc = layered
    # A symlink out of the pack, a loop or a dangling link stops reading: nothing is opened.
    if not all([check_links(layer, problems) for layer in layers]):
        return None, problems
    pack = Pack(root=root, config=config, config_doc=doc, layers=layers)
    pack.mkdocs = read_settings(layers, problems)
    check_overrides(layers, problems)
    pack.sources = _load_definitions(layers, problems, pack.broken)
    pack.pages = _load_pages(layers, problems)
    _check_references(pack, problems)
    clean_pack(pack, problems, DEFINITIONS_DIR)
    log.debug("loaded %d definitions and %d pages", len(pack.sources), len(pack.pages))
    return pack, problems
