"""The digital learning logs: XLSForm workbooks and XForms made from log definitions."""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pyxform.validators.odk_validate import check_xform
from pyxform.xls2xform import convert

from packgen.cli import main
from packgen.forms.stage import DigitalForm, make_forms
from packgen.resolve import load_pack

from .conftest import own_template

PACK_YML = """\
id: tiny
title: Tiny pack
languages: [en, fr, ar]
contents:
  - page: index.md
  - exercise: first-steps
  - exercise: my-log
  - generated: downloads
"""

LOG_YML = """\
id: my-log
kind: learning-log
title: My log
summary: Kept after each meeting.
fields:
  - id: when
    label: When we met
    type: date
    required: true
  - id: role
    label: Your role
    help: Pick the one that fits best.
    type: choice
    required: true
    choices: [Topic holder, Set member]
  - id: worries
    label: What worries you
    type: long-text
    sharing: confidential
  - id: topics
    label: Topics covered
    type: multiple-choice
    choices: [Cash, Water, Shelter]
  - id: count
    label: People present
    type: number
  - id: next-steps
    label: Next steps
    help: Who does what by when.
    type: long-text
    actions: true
    required: true
    sharing: confidential
  - id: place
    label: Place
"""

TRANSLATED = {
    "fr": {
        "When we met": "Date de la rencontre",
        "Your role": "Votre rôle",
        "Pick the one that fits best.": "Choisissez celui qui convient le mieux.",
        "Topic holder": "Porteur du sujet",
        "Set member": "Membre du groupe",
        "What worries you": "Ce qui vous inquiète",
        "Topics covered": "Sujets abordés",
        "Cash": "Argent",
        "Water": "Eau",
        "Shelter": "Abri",
        "People present": "Personnes présentes",
        "Next steps": "Prochaines étapes",
        "Who does what by when.": "Qui fait quoi, pour quand.",
        "Place": "Lieu",
    },
    "ar": {
        "When we met": "تاريخ اللقاء",
        "Your role": "دورك",
        "Pick the one that fits best.": "اختر الأنسب.",
        "Topic holder": "صاحب الموضوع",
        "Set member": "عضو في المجموعة",
        "What worries you": "ما يقلقك",
        "Topics covered": "المواضيع التي تناولناها",
        "Cash": "النقد",
        "Water": "المياه",
        "Shelter": "المأوى",
        "People present": "الحاضرون",
        "Next steps": "الخطوات التالية",
        "Who does what by when.": "من يفعل ماذا ومتى.",
        "Place": "المكان",
    },
}

LANGUAGES = {"en": "English (en)", "fr": "French (fr)", "ar": "Arabic (ar)"}


def po(entries: dict[str, str]) -> str:
    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'

    body = "".join(f"\nmsgid {quoted(k)}\nmsgstr {quoted(v)}\n" for k, v in entries.items())
    return 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n' + body


def log_pack(write_pack, log: str = LOG_YML, translated=None, *, name: str = "pack") -> Path:
    translated = TRANSLATED if translated is None else translated
    files = {"pack.yml": PACK_YML, "exercises/my-log.yml": log}
    for code, entries in translated.items():
        files[f"locales/{code}/LC_MESSAGES/pack.po"] = po(entries)
    return write_pack(files, name=name)


def forms_of(root: Path) -> list[DigitalForm]:
    pack, problems = load_pack(root)
    assert pack is not None and not problems.errors, [str(p) for p in problems.items]
    forms = make_forms(pack, problems)
    # A tailored pack that replaces a base's log is asked to review it; that is all it may say.
    said = [p for p in problems.items if "reviewed" not in p.message]
    assert not said, [str(p) for p in said]
    return forms


def rows(form: DigitalForm, sheet: str) -> list[dict[str, str]]:
    book = load_workbook(BytesIO(form.workbook))
    values = list(book[sheet].iter_rows(values_only=True))
    header = values[0]
    return [
        {str(k): str(v) for k, v in zip(header, row, strict=True) if v is not None}
        for row in values[1:]
    ]


def by_name(form: DigitalForm) -> dict[str, dict[str, str]]:
    return {row["name"]: row for row in rows(form, "survey") if not row["type"].startswith("end")}


def names(form: DigitalForm) -> tuple[list[str], list[tuple[str, str]]]:
    survey = [row["name"] for row in rows(form, "survey")]
    choices = [(row["list_name"], row["name"]) for row in rows(form, "choices")]
    return survey, choices


def test_each_workbook_converts_cleanly_and_passes_odk_validate(write_pack, tmp_path):
    [form] = forms_of(log_pack(write_pack))
    warnings: list[str] = []
    # validate=True runs the ODK Validate that pyxform ships (Java: scripts/system-deps.sh test).
    result = convert(
        xlsform=BytesIO(form.workbook),
        warnings=warnings,
        validate=True,
        pretty_print=True,
        file_type=".xlsx",
    )
    assert warnings == []
    shipped = form.xform.decode()
    assert shipped.replace(shipped.splitlines()[1] + "\n", "", 1) == result.xform
    assert "Made by packgen from exercises/my-log.yml" in shipped.splitlines()[1]
    # The XForm as written, comment included, passes ODK Validate too.
    xform = tmp_path / "form.xml"
    xform.write_bytes(form.xform)
    assert check_xform(str(xform)) == []


def test_every_language_labels_every_question_and_choice(write_pack):
    [form] = forms_of(log_pack(write_pack))
    survey = by_name(form)
    for name, row in survey.items():
        for column in LANGUAGES.values():
            assert row.get(f"label::{column}"), (name, column)
            if row.get("required"):
                assert row.get(f"required_message::{column}"), (name, column)
    assert survey["role"]["hint::Arabic (ar)"] == "اختر الأنسب."
    assert survey["role"]["label::French (fr)"] == "Votre rôle"
    for row in rows(form, "choices"):
        assert all(row.get(f"label::{column}") for column in LANGUAGES.values()), row
    [settings] = rows(form, "settings")
    assert settings["default_language"] == "English (en)"
    assert settings["form_id"] == "tiny-my-log"
    assert settings["form_title"] == "My log"
    assert settings["version"] == form.version


def test_field_types_required_choices_and_actions_repeat(write_pack):
    [form] = forms_of(log_pack(write_pack))
    survey = by_name(form)
    assert survey["when"]["type"] == "date" and survey["when"]["required"] == "yes"
    assert survey["role"]["type"] == "select_one role"
    assert survey["topics"]["type"] == "select_multiple topics"
    assert survey["count"]["type"] == "integer"
    assert survey["worries"]["type"] == "text"
    assert survey["worries"]["appearance"] == "multiline"
    assert survey["place"]["type"] == "text" and "appearance" not in survey["place"]
    assert "required" not in survey["place"]
    assert survey["next-steps"]["type"] == "begin_repeat"
    assert survey["next-steps-what"]["required"] == "yes"
    assert survey["next-steps-by-when"]["type"] == "date"
    assert survey["next-steps-who"]["label::French (fr)"] == "Qui"  # packgen's French ui.po
    assert rows(form, "choices")[:2] == [
        {
            "list_name": "role",
            "name": "topic-holder",
            "label::English (en)": "Topic holder",
            "label::French (fr)": "Porteur du sujet",
            "label::Arabic (ar)": "صاحب الموضوع",
        },
        {
            "list_name": "role",
            "name": "set-member",
            "label::English (en)": "Set member",
            "label::French (fr)": "Membre du groupe",
            "label::Arabic (ar)": "عضو في المجموعة",
        },
    ]


def test_confidential_fields_are_grouped_with_a_note(write_pack):
    [form] = forms_of(log_pack(write_pack))
    order = [(row["type"], row["name"]) for row in rows(form, "survey")]
    start = order.index(("begin_group", "confidential"))
    end = order.index(("end_group", "confidential"))
    inside = [name for _, name in order[start + 1 : end]]
    assert inside[0] == "confidential-note"
    assert {"worries", "next-steps", "next-steps-what"} <= set(inside)
    assert not {"when", "role", "topics", "count", "place"} & set(inside)
    # The group stands where the first confidential field stood.
    assert [name for _, name in order[:start]] == ["when", "role"]
    note = by_name(form)["confidential-note"]
    assert note["type"] == "note" and "confidential" in note["label::English (en)"]


def test_names_survive_a_new_translation_and_a_new_order(write_pack):
    [before] = forms_of(log_pack(write_pack, name="before"))
    retranslated = {
        code: {k: v + " (2)" for k, v in entries.items()} for code, entries in TRANSLATED.items()
    }
    fields = LOG_YML.split("  - id: ")
    reordered = "  - id: ".join([fields[0], *reversed(fields[1:])]).replace("\n\n", "\n")
    reordered = reordered if reordered.endswith("\n") else reordered + "\n"
    assert reordered != LOG_YML
    [after] = forms_of(log_pack(write_pack, reordered, retranslated, name="after"))
    assert by_name(after)["role"]["label::French (fr)"] == "Votre rôle (2)"
    survey_before, choices_before = names(before)
    survey_after, choices_after = names(after)
    assert sorted(survey_before) == sorted(survey_after)
    assert survey_before != survey_after
    assert sorted(choices_before) == sorted(choices_after)


NAMED = LOG_YML.replace(
    "choices: [Topic holder, Set member]",
    "choices:\n      - {id: holder, label: Topic holder}\n      - Set member",
)


def test_a_choice_given_an_id_keeps_its_name_when_its_text_changes(write_pack):
    [named] = forms_of(log_pack(write_pack, NAMED, name="named"))
    choices = [row for row in rows(named, "choices") if row["list_name"] == "role"]
    assert [row["name"] for row in choices] == ["holder", "set-member"]
    assert choices[0]["label::French (fr)"] == "Porteur du sujet"
    reworded = NAMED.replace("label: Topic holder}", "label: Person with the topic}")
    [after] = forms_of(log_pack(write_pack, reworded, name="reworded"))
    choices = [row for row in rows(after, "choices") if row["list_name"] == "role"]
    assert [row["name"] for row in choices] == ["holder", "set-member"]
    assert choices[0]["label::English (en)"] == "Person with the topic"


def test_a_named_choice_is_extracted_for_translators_where_it_stands(write_pack):
    from packgen.i18n.extract import pack_template

    pack, _ = load_pack(log_pack(write_pack, NAMED))
    assert pack is not None
    message = pack_template(pack).get("Topic holder")
    assert message is not None
    assert ("exercises/my-log.yml", 16) in message.locations


def xform_texts(form: DigitalForm, lang: str) -> set[str]:
    ns = {"x": "http://www.w3.org/2002/xforms"}
    root = ET.fromstring(form.xform)
    [translation] = [
        t for t in root.iterfind(".//x:itext/x:translation", ns) if t.get("lang") == lang
    ]
    return {value.text or "" for value in translation.iterfind("x:text/x:value", ns)}


def test_arabic_labels_read_back_intact_from_the_xform(write_pack):
    [form] = forms_of(log_pack(write_pack))
    arabic = xform_texts(form, "Arabic (ar)")
    assert {"دورك", "اختر الأنسب.", "صاحب الموضوع", "المواضيع التي تناولناها"} <= arabic
    assert "Votre rôle" in xform_texts(form, "French (fr)")
    ns = {"x": "http://www.w3.org/2002/xforms"}
    root = ET.fromstring(form.xform)
    [instance] = root.iterfind(".//x:instance/x:data", ns)
    assert instance.get("id") == "tiny-my-log"
    assert instance.get("version") == form.version


def test_version_changes_when_the_form_changes_and_only_then(write_pack):
    [first] = forms_of(log_pack(write_pack, name="a"))
    [same] = forms_of(log_pack(write_pack, name="b"))
    assert same.version == first.version
    assert same.workbook == first.workbook and same.xform == first.xform
    # A change elsewhere in the pack leaves the form alone.
    root = log_pack(write_pack, name="c")
    page = root / "content/index.md"
    page.write_text(page.read_text() + "\nMore words on the home page.\n")
    [elsewhere] = forms_of(root)
    assert elsewhere.version == first.version
    changed = LOG_YML.replace("label: Place\n", "label: Place\n    required: true\n")
    [required] = forms_of(log_pack(write_pack, changed, name="d"))
    assert required.version != first.version
    relabelled = LOG_YML.replace("label: Place\n", "label: Where we met\n")
    [renamed] = forms_of(log_pack(write_pack, relabelled, name="e"))
    assert renamed.version not in {first.version, required.version}


def test_xlsform_command_writes_just_the_forms(write_pack, tmp_path):
    root = log_pack(write_pack)
    out = tmp_path / "forms"
    result = CliRunner().invoke(main, ["xlsform", str(root), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["tiny-my-log.xlsx", "tiny-my-log.xml"]
    assert not (root / "site").exists()
    assert sorted(p.name for p in root.iterdir()) == ["content", "exercises", "locales", "pack.yml"]
    stamp = (out / "tiny-my-log.xlsx").stat().st_mtime_ns
    again = CliRunner().invoke(main, ["xlsform", str(root), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert (out / "tiny-my-log.xlsx").stat().st_mtime_ns == stamp  # unchanged, not rewritten


def test_xlsform_command_never_replaces_a_file_it_did_not_make(write_pack, tmp_path):
    root = log_pack(write_pack)
    out = tmp_path / "forms"
    out.mkdir()
    mine = out / "tiny-my-log.xlsx"
    mine.write_bytes(b"a workbook someone made by hand")
    result = CliRunner().invoke(main, ["xlsform", str(root), "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert "tiny-my-log.xlsx: a file of that name is already there" in result.output
    assert mine.read_bytes() == b"a workbook someone made by hand"
    assert not (out / "tiny-my-log.xml").exists()  # nothing written when one file is in the way
    mine.unlink()
    assert CliRunner().invoke(main, ["xlsform", str(root), "--out", str(out)]).exit_code == 0
    # A form of ours saved again in a spreadsheet program is someone's work now.
    with zipfile.ZipFile(mine) as book:
        parts = {name: book.read(name) for name in book.namelist()}
    parts["docProps/core.xml"] = parts["docProps/core.xml"].replace(
        b"</cp:coreProperties>", b"<cp:lastModifiedBy>Amina</cp:lastModifiedBy></cp:coreProperties>"
    )
    with zipfile.ZipFile(mine, "w") as book:
        for name, data in parts.items():
            book.writestr(name, data)
    edited = mine.read_bytes()
    assert CliRunner().invoke(main, ["xlsform", str(root), "--out", str(out)]).exit_code == 2
    assert mine.read_bytes() == edited


BAD = {
    "a choice name that is not an XML name": (
        LOG_YML.replace("choices: [Cash, Water, Shelter]", "choices: [Cash, 2 or more, Shelter]"),
        23,
        "would be named '2-or-more'",
    ),
    "a field id that is not an XML name": (
        LOG_YML.replace("id: count", "id: 2nd-count"),
        24,
        "field id '2nd-count' cannot name a question",
    ),
    "a duplicate field id": (
        LOG_YML.replace("id: place", "id: role"),
        34,
        "field id 'role' is used twice (first on line 10)",
    ),
    "an empty choice list": (
        LOG_YML.replace("choices: [Cash, Water, Shelter]", "choices: []"),
        20,
        "at least two choices",
    ),
    "a choice id that is not an XML name": (
        LOG_YML.replace(
            "choices: [Cash, Water, Shelter]", "choices: [{id: two words, label: Cash}, Water]"
        ),
        23,
        "choice id 'two words' is not a valid XML name",
    ),
    "a choice written as a mapping without a label": (
        LOG_YML.replace("choices: [Cash, Water, Shelter]", "choices: [Cash, {id: water}]"),
        23,
        "a choice is a text, or an id and a label",
    ),
    "two choices with the same name": (
        LOG_YML.replace("choices: [Cash, Water, Shelter]", "choices: [Cash, cash!, Shelter]"),
        23,
        "same name in the digital form as 'Cash'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_log_that_cannot_become_a_form_is_an_error_at_check(write_pack, case):
    log, line, message = BAD[case]
    root = log_pack(write_pack, log)
    result = CliRunner().invoke(main, ["check", str(root)])
    assert result.exit_code == 1, result.output
    lines = [text for text in result.output.splitlines() if f"my-log.yml:{line}:" in text]
    assert lines and message in lines[0], result.output
    assert "Traceback" not in result.output


def test_build_writes_the_forms_beside_the_languages_and_pages_link_them(write_pack, tmp_path):
    from packgen.build import build

    root = log_pack(write_pack)
    out = tmp_path / "site"
    build(root, out, work_dir=tmp_path / "work", printables=False)
    downloads = out / "downloads"
    forms_written = sorted(p.name for p in downloads.iterdir() if p.suffix in (".xlsx", ".xml"))
    assert forms_written == ["tiny-my-log.xlsx", "tiny-my-log.xml"]
    [form] = forms_of(root)
    assert (downloads / "tiny-my-log.xlsx").read_bytes() == form.workbook
    for code in LANGUAGES:
        page = (out / code / "exercises/my-log.html").read_text(encoding="utf-8")
        assert 'href="../../downloads/tiny-my-log.xlsx"' in page
        assert 'href="../../downloads/tiny-my-log.xml"' in page
        listing = (out / code / "downloads.html").read_text(encoding="utf-8")
        assert 'href="../downloads/tiny-my-log.xlsx"' in listing


def test_a_tailored_pack_gets_its_own_fields_and_languages(write_pack):
    base = log_pack(write_pack, name="base")
    tailored = write_pack(
        {
            "pack.yml": (
                "id: tailored\ntitle: Tailored\nlanguages: [en, so]\nextends: ../base\n"
                "contents:\n  - page: index.md\n  - exercise: my-log\n"
            ),
            "exercises/my-log.yml": LOG_YML.replace("  - id: place\n    label: Place\n", "")
            + "  - id: district\n    label: District\n",
            "locales/so/LC_MESSAGES/pack.po": po({"District": "Degmada", "Your role": "Doorkaaga"}),
        },
        name="tailored",
    )
    (tailored / "exercises/first-steps.yml").unlink()
    assert base.is_dir()
    [form] = forms_of(tailored)
    assert form.stem == "tailored-my-log"
    survey = by_name(form)
    assert "place" not in survey
    assert survey["district"]["label::Somali (so)"] == "Degmada"
    assert survey["role"]["label::Somali (so)"] == "Doorkaaga"
    header = set().union(*rows(form, "survey"))
    assert not any("French" in column or "Arabic" in column for column in header)
    warnings: list[str] = []
    convert(xlsform=BytesIO(form.workbook), warnings=warnings, file_type=".xlsx")
    assert warnings == []


def test_a_pack_whose_form_words_are_incomplete_is_told_which(write_pack):
    root = log_pack(write_pack)
    template = own_template(root, "xlsform.j2")
    template.write_text(template.read_text().replace("{% set action_who", "{% set action_whom"))
    result = CliRunner().invoke(main, ["xlsform", str(root), "--out", str(root / "out")])
    assert result.exit_code == 2, result.output
    assert "templates/xlsform.j2: no text for 'action_who'" in result.output
    template.write_text("{% set confidential = _('Confidential' %}\n")
    result = CliRunner().invoke(main, ["xlsform", str(root), "--out", str(root / "out")])
    # A template the pack holds is the pack's mistake, located like every template error.
    assert result.exit_code == 1, result.output
    assert "xlsform.j2:1: template error" in result.output
