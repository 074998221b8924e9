"""The benchmarks' own parts: the synthetic pack they build, and how they read a build."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from packgen.build import check
from packgen.i18n.checks import check_translation
from packgen.i18n.pofile import read_po_bytes

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import build_speed
import measure
import synthetic


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return synthetic.make_pack(tmp_path_factory.mktemp("synthetic") / "pack", 27)


def test_the_synthetic_pack_is_valid_in_every_language(pack):
    loaded, problems = check(pack)
    assert loaded is not None
    assert [str(p) for p in problems.items] == []
    assert list(loaded.languages) == synthetic.LANGUAGES
    assert len(loaded.definitions) == 27
    # 27 exercises make two sections, each opened by its guide page
    assert {p.name for p in (pack / "content").iterdir()} == {
        "index.md",
        "guide-01.md",
        "guide-02.md",
    }


def test_every_language_gets_its_own_text(pack):
    for lang in synthetic.LANGUAGES[1:]:
        catalog = read_po_bytes((pack / "locales" / lang / "LC_MESSAGES/pack.po").read_bytes())
        messages = [m for m in catalog if m.id]
        translated = [m for m in messages if m.string]
        assert len(translated) == len(messages)
        assert all(m.string != m.id for m in translated if any(c.isalpha() for c in m.id))


def test_exercises_are_as_full_as_real_ones(pack):
    loaded, _ = check(pack)
    assert loaded is not None
    for definition in loaded.definitions.values():
        assert 4 <= len(definition.steps) <= 8
        assert all(step.facilitator_notes and step.questions for step in definition.steps)
        assert len(definition.roles) >= 2 and definition.checklist.during
        assert definition.tailoring and definition.related
        assert definition.duration == definition.step_minutes


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_pseudo_translation_keeps_what_machines_read(lang):
    source = (
        "See [the guide](../guide-01.md), `code here`, {name} and %(count)d, "
        "**bold** and <kbd>Ctrl</kbd>."
    )
    translated = synthetic.pseudo_translate(source, lang)
    assert translated != source
    assert "](../guide-01.md)" in translated and "`code here`" in translated
    assert "{name}" in translated and "%(count)d" in translated and "<kbd>" in translated
    assert check_translation(source, translated) == []


def test_the_edits_change_one_sentence_and_one_translation(tmp_path):
    root = synthetic.make_pack(tmp_path / "pack", 2, ["en", "fr"])
    first = root / "exercises/exercise-0001.yml"
    before = first.read_text(encoding="utf-8")
    assert build_speed.edit_exercise(root) == "exercises/exercise-0001.yml"
    after = first.read_text(encoding="utf-8")
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and changed[0][1] == changed[0][0] + " Edited."
    po = root / "locales/fr/LC_MESSAGES/pack.po"
    before = po.read_text(encoding="utf-8")
    build_speed.edit_catalog(root, "fr")
    assert (
        sum(a != b for a, b in zip(before.splitlines(), po.read_text().splitlines(), strict=True))
        == 1
    )
    _, problems = check(root)
    assert not problems.errors


def test_the_timings_table_is_read_back():
    stdout = (
        "stages:\n  load+resolve               0.02 s   0.2%\n"
        "  MkDocs                     4.92 s  45.4%\n  total                     10.82 s 100.0%\n"
        "  packgen's own              5.91 s  54.6%\nlanguage en:\n"
        "  MkDocs                     1.76 s  16.3%\n"
    )
    assert build_speed.timings(stdout) == {
        "stages": {"load+resolve": 0.02, "MkDocs": 4.92, "total": 10.82, "packgen's own": 5.91},
        "en": {"MkDocs": 1.76},
    }


def test_file_changes_are_found_by_modification_time(tmp_path):
    (tmp_path / "en").mkdir()
    (tmp_path / "en/a.html").write_text("a")
    (tmp_path / "en/b.html").write_text("b")
    before = measure.snapshot(tmp_path)
    assert measure.compare(before, measure.snapshot(tmp_path)).count == 0
    (tmp_path / "en/b.html").unlink()
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr/c.html").write_text("c")
    changes = measure.compare(before, measure.snapshot(tmp_path))
    assert changes.added == ["fr/c.html"] and changes.removed == ["en/b.html"]
    assert changes.top_folders() == ["en", "fr"]
