"""An XLSForm workbook from a learning log: survey, choices and settings, every language.

The sheets are plain rows first, so that the form's version can be a hash of
what it asks; openpyxl then writes them with fixed dates, so the same log
gives the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from packgen.forms.names import CONFIDENTIAL_GROUP, action_names
from packgen.i18n.languages import language
from packgen.model import LearningLog, LogField

Row = dict[str, str]

TYPES = {
    "text": "text",
    "long-text": "text",
    "date": "date",
    "number": "integer",
    "choice": "select_one",
    "multiple-choice": "select_multiple",
}
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry; every entry gets it, so bytes do not vary."""
CORE_PROPERTIES = "docProps/core.xml"
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")


@dataclass(frozen=True)
class FormStrings:
    """The form's own interface strings in one language (from templates/xlsform.j2)."""

    confidential: str
    confidential_note_individual: str
    confidential_note_set: str
    action_what: str
    action_who: str
    action_by_when: str
    required_message: str


@dataclass(frozen=True)
class Translation:
    """One language of a form: the log as its readers see it, and the form's strings."""

    code: str
    log: LearningLog
    strings: FormStrings

    @property
    def column(self) -> str:
        """The language as XLSForm columns name it: `French (fr)`."""
        return f"{language(self.code).english_name} ({self.code})"


Pick = str | Callable[[Translation], str]
"""A text the same in every language, or how to find it in each translation."""


@dataclass(frozen=True)
class Sheets:
    survey: list[Row]
    choices: list[Row]
    settings: Row


def form_id(pack_id: str, log_id: str) -> str:
    return f"{pack_id}-{log_id}"


class _Survey:
    """Collects the survey rows of one log, each text in every language."""

    def __init__(self, source: LearningLog, translations: list[Translation]) -> None:
        self.source = source
        self.translations = translations
        self.rows: list[Row] = []

    def texts(self, column: str, pick: Pick) -> Row:
        row: Row = {}
        for tr in self.translations:
            text = pick if isinstance(pick, str) else pick(tr)
            if text:
                row[f"{column}::{tr.column}"] = text
        return row

    def add(
        self,
        kind: str,
        name: str,
        label: Pick,
        *,
        hint: Pick | None = None,
        required: bool = False,
        appearance: str = "",
    ) -> None:
        row: Row = {"type": kind, "name": name, **self.texts("label", label)}
        if hint is not None:
            row.update(self.texts("hint", hint))
        if required:
            row["required"] = "yes"
            row.update(self.texts("required_message", lambda tr: tr.strings.required_message))
        if appearance:
            row["appearance"] = appearance
        self.rows.append(row)

    def field(self, index: int) -> None:
        field = self.source.fields[index]

        def label(tr: Translation) -> str:
            return tr.log.fields[index].label

        def hint(tr: Translation) -> str:
            return tr.log.fields[index].help or ""

        if field.actions:
            self.actions(field, label, hint)
            return
        kind = TYPES[field.type]
        if field.choices:
            kind = f"{kind} {field.id}"
        self.add(
            kind,
            field.id,
            label,
            hint=hint if field.help else None,
            required=field.required,
            appearance="multiline" if field.type == "long-text" else "",
        )

    def actions(self, field: LogField, label: Pick, hint: Pick) -> None:
        """Committed actions as a repeat: what, who and by when, once per action."""
        what, who, by_when = action_names(field.id)
        self.add("begin_repeat", field.id, label, hint=hint if field.help else None)
        self.add("text", what, lambda tr: tr.strings.action_what, required=field.required)
        self.add("text", who, lambda tr: tr.strings.action_who)
        self.add("date", by_when, lambda tr: tr.strings.action_by_when)
        self.rows.append({"type": "end_repeat", "name": field.id})

    def build(self) -> list[Row]:
        """Fields in order; the confidential ones together in one group, where the first stands.

        One group, so that an export can leave all of them out at once.
        """
        confidential = [i for i, f in enumerate(self.source.fields) if f.sharing == "confidential"]
        individual = self.source.filled_by == "individual"
        for index in range(len(self.source.fields)):
            if confidential and index == confidential[0]:
                self.add("begin_group", CONFIDENTIAL_GROUP, lambda tr: tr.strings.confidential)
                self.add(
                    "note",
                    f"{CONFIDENTIAL_GROUP}-note",
                    lambda tr: (
                        tr.strings.confidential_note_individual
                        if individual
                        else tr.strings.confidential_note_set
                    ),
                )
                for inner in confidential:
                    self.field(inner)
                self.rows.append({"type": "end_group", "name": CONFIDENTIAL_GROUP})
            elif index not in confidential:
                self.field(index)
        return self.rows


def _choices(source: LearningLog, translations: list[Translation]) -> list[Row]:
    rows: list[Row] = []
    for index, field in enumerate(source.fields):
        for j, name in enumerate(field.choice_names):
            row: Row = {"list_name": field.id, "name": name}
            for tr in translations:
                row[f"label::{tr.column}"] = tr.log.fields[index].choices[j]
            rows.append(row)
    return rows


def sheets(pack_id: str, source: LearningLog, translations: list[Translation]) -> Sheets:
    """The three sheets; translations[0] is the source language, whose names the data keeps."""
    survey = _Survey(source, translations).build()
    choices = _choices(source, translations)
    settings: Row = {
        "form_title": source.title,
        "form_id": form_id(pack_id, source.id),
        "default_language": translations[0].column,
    }
    content = json.dumps([survey, choices, settings], ensure_ascii=False, sort_keys=True)
    # Only what the form asks changes the version: a changed form gets a new one.
    settings["version"] = hashlib.sha256(content.encode("utf-8")).hexdigest()[:12]
    return Sheets(survey, choices, settings)


def _columns(rows: list[Row]) -> list[str]:
    columns: list[str] = []
    for row in rows:
        columns += [key for key in row if key not in columns]
    return columns


def workbook_bytes(sheets: Sheets) -> bytes:
    """The .xlsx file, the same bytes for the same sheets."""
    # Here, not at the top: a build with nothing to do never needs openpyxl (70 ms to import).
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in (
        ("survey", sheets.survey),
        ("choices", sheets.choices),
        ("settings", [sheets.settings]),
    ):
        sheet = book.create_sheet(title)
        columns = _columns(rows)
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(column, "") or None for column in columns])
    fixed = datetime(*ZIP_EPOCH)
    book.properties.creator = "packgen"
    book.properties.created = book.properties.modified = fixed
    raw = BytesIO()
    book.save(raw)
    return _fixed_zip(raw.getvalue())


def _fixed_zip(data: bytes) -> bytes:
    """The same zip with every date set to ZIP_EPOCH: openpyxl stamps the clock time on save."""
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == CORE_PROPERTIES:
                content = _MODIFIED.sub(rb"\g<1>1980-01-01T00:00:00Z\2", content)
            target.writestr(entry, content)
    return out.getvalue()
