"""The digital-forms stage: each listed log as `<pack-id>-<log-id>.xlsx` and `.xml`.

The forms carry every language of the pack whatever the build was asked for,
so the translations are looked up here (reusing a language the build has
already localised).
"""

from __future__ import annotations

import logging
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from packgen.errors import BuildFailed, Location, PackInvalid, Problem, Problems, UsageProblem
from packgen.forms.xlsform import (
    CORE_PROPERTIES,
    FormStrings,
    Sheets,
    Translation,
    form_id,
    sheets,
    workbook_bytes,
)
from packgen.i18n.catalog import CONTENT_DOMAIN, UI_DOMAIN, Translator, load_translator
from packgen.i18n.localise import LocalisedPack
from packgen.i18n.segments import translate
from packgen.loader import display_path
from packgen.model import LearningLog
from packgen.model.walk import map_text
from packgen.pack import Pack
from packgen.paths import TEMPLATES_DIR
from packgen.render.templates import make_environment, render_template
from packgen.resolve import load_pack

log = logging.getLogger(__name__)

DOWNLOADS = "downloads"
"""The site's own downloads folder, beside the language folders."""
STRINGS_TEMPLATE = "xlsform.j2"
MARKER = b"Made by packgen"
"""Opens the comment at the top of every XForm packgen writes."""


@dataclass(frozen=True)
class DigitalForm:
    """One log's form: the workbook, the XForm pyxform made of it, and its version."""

    log_id: str
    stem: str
    """File name without suffix: `<pack-id>-<log-id>`."""
    sheets: Sheets
    workbook: bytes
    xform: bytes

    @property
    def version(self) -> str:
        return self.sheets.settings["version"]

    def files(self) -> dict[str, bytes]:
        return {f"{self.stem}.xlsx": self.workbook, f"{self.stem}.xml": self.xform}


def form_logs(pack: Pack) -> list[LearningLog]:
    """The logs the menu lists, in its order."""
    logs = {k: d for k, d in pack.definitions.items() if isinstance(d, LearningLog)}
    return [logs[key] for key in pack.menu.definitions if key in logs]


def _strings(pack: Pack, ui: Translator) -> FormStrings:
    """The form's own words in ui's language, read by name from templates/xlsform.j2."""
    env = make_environment(pack.layers, ui)
    render_template(env, STRINGS_TEMPLATE, "the digital forms' words")  # reports a broken one
    module = env.get_template(STRINGS_TEMPLATE).make_module()
    found: dict[str, str] = {}
    for name in FormStrings.__dataclass_fields__:
        value = getattr(module, name, None)
        if not isinstance(value, str) or not value.strip():
            raise BuildFailed(
                f"{TEMPLATES_DIR}/{STRINGS_TEMPLATE}: no text for {name!r}; "
                f'set it as {{% set {name} = _("...") %}}'
            )
        found[name] = str(value)
    return FormStrings(**found)


def _translations(
    pack: Pack, logs: list[LearningLog], problems: Problems, locs: dict[str, LocalisedPack]
) -> dict[str, list[Translation]]:
    """Per log, one translation per language of the pack, the source first."""
    found: dict[str, list[Translation]] = {log.id: [] for log in logs}
    source = pack.config.source_language
    for code in pack.languages:
        loc = locs.get(code)
        if loc is not None:
            content, ui = loc.content, loc.ui
        else:
            content = load_translator(pack.layers, code, CONTENT_DOMAIN, source, problems)
            ui = load_translator(pack.layers, code, UI_DOMAIN, source, problems)
        strings = _strings(pack, ui)
        for definition in logs:
            if loc is not None:
                shown = loc.definitions[definition.id]
            else:
                shown = map_text(definition, _translated(content))
            assert isinstance(shown, LearningLog)
            found[definition.id].append(Translation(code, shown, strings))
    return found


def _translated(content: Translator) -> Callable[[str, tuple[str | int, ...]], str]:
    return lambda text, _path: translate(text, content.gettext)


def make_forms(
    pack: Pack, problems: Problems, locs: dict[str, LocalisedPack] | None = None
) -> list[DigitalForm]:
    """Every listed log's workbook and XForm, in memory; pyxform's warnings become problems."""
    from pyxform.errors import PyXFormError
    from pyxform.xls2xform import convert

    logs = form_logs(pack)
    if not logs:
        return []
    translations = _translations(pack, logs, problems, locs or {})
    forms: list[DigitalForm] = []
    for definition in logs:
        where = Location(pack.sources[definition.id].doc.shown)
        rows = sheets(pack.config.id, definition, translations[definition.id])
        workbook = workbook_bytes(rows)
        warnings: list[str] = []
        try:
            result = convert(
                xlsform=BytesIO(workbook), warnings=warnings, pretty_print=True, file_type=".xlsx"
            )
        except PyXFormError as exc:
            raise BuildFailed(f"{where}: the digital form could not be made: {exc}") from None
        for message in warnings:
            problems.warning(where, f"digital form: {message}")
        stem = form_id(pack.config.id, definition.id)
        source = pack.sources[definition.id]
        origin = source.doc.path.relative_to(source.layer).as_posix()
        xform = _marked(result.xform, origin)
        forms.append(DigitalForm(definition.id, stem, rows, workbook, xform))
    log.debug("made %d digital forms", len(forms))
    return forms


def _marked(xform: str, origin: str) -> bytes:
    """The XForm with a comment naming its source, which also marks it as packgen's."""
    head, sep, rest = xform.partition("\n")
    comment = f"<!-- {MARKER.decode()} from {origin}: change that file, not this one. -->"
    if not head.startswith("<?xml"):
        return f"{comment}\n{xform}".encode()
    return f"{head}{sep}{comment}\n{rest}".encode()


def made_here(path: Path) -> bool:
    """Whether the file at path is a form packgen wrote and nobody has saved since."""
    try:
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                core = book.read(CORE_PROPERTIES)
            return b"<dc:creator>packgen</dc:creator>" in core and b"lastModifiedBy" not in core
        with path.open("rb") as handle:
            return MARKER in handle.read(400)
    except (OSError, KeyError, zipfile.BadZipFile):
        return False


def write_forms(forms: list[DigitalForm], folder: Path) -> list[Path]:
    """Write each form's files into folder; a file that already has these bytes is left alone.

    A file of the same name that packgen did not make (or that someone has
    edited and saved since) is never replaced: nothing is written and the
    command says which file is in the way.
    """
    targets = {folder / name: data for form in forms for name, data in form.files().items()}
    for path in targets:
        if path.exists() and not (path.is_file() and made_here(path)):
            raise UsageProblem(
                f"{display_path(path)}: a file of that name is already there and packgen did "
                "not make it (or it was edited since); move it away or choose another --out"
            )
    for path, data in targets.items():
        if path.is_file() and path.read_bytes() == data:
            continue
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(data)
        tmp.replace(path)
    return list(targets)


def form_links(forms: list[DigitalForm]) -> dict[str, str]:
    """Each log's form as a language's pages link it: `../downloads/<stem>` (add the suffix)."""
    return {form.log_id: f"../{DOWNLOADS}/{form.stem}" for form in forms}


def planned_links(pack: Pack) -> dict[str, str]:
    """The links form_links gives, without making the forms (their names are known before)."""
    return {log.id: f"../{DOWNLOADS}/{form_id(pack.config.id, log.id)}" for log in form_logs(pack)}


FORMS_DIR = "build/forms"
"""Where `packgen xlsform` writes, in the pack, unless told otherwise."""


def write_pack_forms(path: Path, out: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """Load the pack and write its forms only; returns the files and the warnings."""
    pack, problems = load_pack(path)
    if pack is None or problems.errors:
        raise PackInvalid(problems.sorted())
    forms = make_forms(pack, problems)
    folder = (out or pack.root / FORMS_DIR).resolve()
    written = write_forms(forms, folder)
    return [Path(display_path(p)) for p in written], problems.sorted()
