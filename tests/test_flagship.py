"""The flagship pack checked as content: complete, consistent and translated.

These tests read the pack as it stands, whatever its wording: they name no exercise, page
or title of it, so editing its content only fails them where the content is incomplete.
"""

from __future__ import annotations

import posixpath
import re
from io import BytesIO

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pyxform.xls2xform import convert

from packgen.build import build
from packgen.cli import main
from packgen.errors import Problems
from packgen.forms.stage import make_forms
from packgen.i18n.localise import localise
from packgen.model import Assessment, Exercise, LearningLog
from packgen.printables.book import chapters, walk
from packgen.printables.documents import has_checklist, printables
from packgen.render.pages import render_site
from packgen.resolve import load_pack
from packgen.resolve.derived import listed

from .conftest import REPO
from .test_printables import normalised

LANGUAGES = ["en", "fr", "ar"]
_LINK = re.compile(r"\]\(([^)\s#]+\.md)(?:#[^)\s]*)?\)")


@pytest.fixture(scope="module")
def flagship():
    pack, problems = load_pack(REPO)
    assert pack is not None and not problems.errors, [str(p) for p in problems.items]
    return pack, problems


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_every_definition_validates_and_the_strict_check_is_clean(flagship):
    pack, problems = flagship
    assert not problems.items, [str(p) for p in problems.items]
    assert not pack.broken
    assert sorted(pack.definitions) == sorted(p.stem for p in (REPO / "exercises").glob("*.yml"))
    result = run("check", "--strict", str(REPO))
    assert result.exit_code == 0, result.output


def test_the_pack_languages_are_english_french_and_arabic(flagship):
    pack, _ = flagship
    assert list(pack.languages) == LANGUAGES


def test_french_and_arabic_are_fully_translated():
    result = run("i18n", "status", str(REPO), "--min", "100")
    assert result.exit_code == 0, result.output


def test_step_minutes_add_up_to_each_duration(flagship):
    pack, _ = flagship
    exercises = [d for d in pack.definitions.values() if isinstance(d, Exercise)]
    assert exercises
    for exercise in exercises:
        assert exercise.step_minutes == exercise.duration, exercise.id


def test_every_exercise_has_the_tailoring_notes_facilitators_need(flagship):
    # The contexts every exercise and tool of the flagship adapts to (its content promise).
    needed = {"remote", "low-connectivity", "insecure", "gender"}
    needed |= {"interpretation", "hierarchy", "low-literacy"}
    pack, _ = flagship
    for exercise in (d for d in pack.definitions.values() if isinstance(d, Exercise)):
        assert needed <= {str(context) for context in exercise.tailoring}, exercise.id


def test_related_ids_and_page_links_resolve(flagship):
    pack, problems = flagship
    for definition in pack.definitions.values():
        for other in getattr(definition, "related", []):
            assert other in pack.definitions and other != definition.id, (definition.id, other)
    for lang in LANGUAGES:
        pages = render_site(localise(pack, lang, problems)).pages
        for path, text in pages.items():
            for target in _LINK.findall(text):
                if "://" in target:
                    continue
                resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
                assert resolved in pages, f"{lang}/{path}: {target}"


def test_every_page_and_definition_is_reachable_from_the_menu(flagship):
    pack, _ = flagship
    entries = list(listed(pack.config.contents))
    pages = {item.page for item in entries if item.page}
    exercises = {item.exercise for item in entries if item.exercise}
    on_disk = {p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.md")}
    assert on_disk <= pages, on_disk - pages
    assert set(pack.definitions) <= exercises, set(pack.definitions) - exercises
    # Readers' material comes first, the authors' and translators' at the end.
    audiences = [item.for_authors for item in pack.config.contents]
    assert any(audiences) and audiences == sorted(audiences)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_exercise_gets_its_checklist_and_guide_and_every_log_its_pdf(flagship, lang):
    pack, problems = flagship
    names = {p.name for p in printables(localise(pack, lang, problems))}
    assert f"{pack.config.id}.pdf" in names
    for definition in pack.definitions.values():
        if isinstance(definition, Exercise):
            assert has_checklist(definition), f"{definition.id} has no checklist"
            assert {f"checklists/{definition.id}.pdf", f"guides/{definition.id}.pdf"} <= names
        elif isinstance(definition, LearningLog):
            assert f"{definition.id}.pdf" in names
        elif isinstance(definition, Assessment):
            assert f"checklists/{definition.id}.pdf" in names


def test_the_whole_pack_pdf_holds_the_readers_material_only(flagship):
    pack, problems = flagship
    loc = localise(pack, "en", problems)
    printed = {c.source for c in walk(chapters(loc, loc.config.contents)) if c.source}
    for item in pack.config.contents:
        inside = {e.page for e in listed(item.contents or []) if e.page}
        if item.for_authors:
            assert not inside & printed, item.section
        else:
            assert inside <= printed, item.section


def test_the_flagship_logs_pass_odk_validate(flagship):
    pack, problems = flagship
    forms = make_forms(pack, problems)
    assert not problems.items, [str(p) for p in problems.items]
    logs = [d for d in pack.definitions.values() if isinstance(d, LearningLog)]
    assert len(forms) == len(logs) >= 2
    for form in forms:
        warnings: list[str] = []
        convert(xlsform=BytesIO(form.workbook), warnings=warnings, validate=True, file_type=".xlsx")
        assert warnings == [], form.stem


def test_one_exercise_prints_in_every_language(flagship, tmp_path):
    """The PDFs really render from the flagship's content: a pack of one exercise of it."""
    pack, _ = flagship
    exercise = next(
        item.exercise
        for item in listed(pack.config.contents)
        if item.exercise and isinstance(pack.definitions[item.exercise], Exercise)
    )
    root = tmp_path / "one"
    root.mkdir()
    (root / "pack.yml").write_text(
        f"id: one\ntitle: One exercise\nlanguages: [en, fr, ar]\nextends: {REPO}\n"
        f"contents:\n  - exercise: {exercise}\n",
        encoding="utf-8",
    )
    # Not strict: the exercise links pages this one-exercise pack leaves out.
    report = build(root, tmp_path / "site", work_dir=tmp_path / "work")
    assert report.pdfs_rendered == 3 * 3
    for lang in LANGUAGES:
        title = localise(pack, lang, Problems()).definitions[exercise].title
        downloads = tmp_path / "site" / lang / "downloads"
        for name in (f"checklists/{exercise}.pdf", f"guides/{exercise}.pdf", "one.pdf"):
            reader = PdfReader(downloads / name)
            assert reader.trailer["/Root"]["/Lang"] == lang
            # Guides and checklists open on the exercise's title; the whole pack holds it.
            shown = reader.pages if name == "one.pdf" else reader.pages[:1]
            text = normalised(" ".join(page.extract_text() for page in shown))
            assert normalised(title) in text, (lang, name)
