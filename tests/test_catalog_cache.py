"""Catalogs read and checked by an earlier run come from the user's cache, sealed."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

import packgen.fingerprint
from packgen.errors import Problems
from packgen.fingerprint import file_digest, write_sealed
from packgen.i18n import catalog
from packgen.i18n.catalog import CONTENT_DOMAIN, load_translator
from packgen.i18n.catalog_cache import FORMAT, CheckedCatalog, Entry, _packed, record_path

CATALOG = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\\n"
"Plural-Forms: nplurals=2; plural=(n > 1);\\n"

msgid "Ask open questions."
msgstr "Posez des [questions](ailleurs.md)."

msgid "Choose one action."
msgstr "Choisissez une action."

#, fuzzy
msgid "Reflect."
msgstr "Réfléchissez."
"""


@pytest.fixture
def pack(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog, "_CHECKED", {})  # as in a new process
    root = tmp_path / "pack"
    po = root / "locales/fr/LC_MESSAGES/pack.po"
    po.parent.mkdir(parents=True)
    po.write_text(CATALOG, encoding="utf-8")
    return root


def translated(root: Path) -> tuple[list[str], list[str]]:
    """What a run finds: the warnings, and each string as readers of fr see it."""
    problems = Problems()
    fr = load_translator([root], "fr", CONTENT_DOMAIN, "en", problems)
    catalog._CHECKED.clear()
    texts = [fr.gettext(m) for m in ("Ask open questions.", "Choose one action.", "Reflect.")]
    return [str(p) for p in problems.items], texts


def test_the_next_run_reports_the_same_problems_without_reading_the_catalog(pack, monkeypatch):
    first = translated(pack)
    assert any("link targets not in the source" in w for w in first[0])
    assert first[1] == ["Ask open questions.", "Choisissez une action.", "Reflect."]

    def unread(path: Path, problems: Problems) -> None:
        raise AssertionError(f"{path} read again")

    monkeypatch.setattr(catalog, "read_catalog", unread)
    assert translated(pack) == first


def test_a_changed_catalog_is_read_again(pack):
    translated(pack)
    po = pack / "locales/fr/LC_MESSAGES/pack.po"
    po.write_text(CATALOG.replace("Choisissez une action.", "Agissez."), encoding="utf-8")
    warnings, texts = translated(pack)
    assert texts[1] == "Agissez."
    assert any("link targets not in the source" in w for w in warnings)


def test_a_record_not_sealed_by_this_user_is_not_read(pack, monkeypatch):
    po = pack / "locales/fr/LC_MESSAGES/pack.po"
    forged = {
        "format": FORMAT,
        "catalog": _packed(
            CheckedCatalog({("Choose one action.", None): Entry("<b>forged</b>", False)})
        ),
    }
    with monkeypatch.context() as elsewhere:
        elsewhere.setattr(packgen.fingerprint, "_record_key", lambda: b"another machine" * 3)
        write_sealed(record_path(file_digest(po), False), forged)
    warnings, texts = translated(pack)
    assert texts[1] == "Choisissez une action."
    assert any("link targets not in the source" in w for w in warnings)


def test_a_catalog_with_an_error_is_not_kept(pack):
    po = pack / "locales/fr/LC_MESSAGES/pack.po"
    po.write_text(CATALOG + 'msgid "Unterminated\n', encoding="utf-8")
    warnings, _ = translated(pack)
    assert any("broken translation catalog" in w for w in warnings)
    assert not record_path(file_digest(po), False).exists()
    assert translated(pack)[0] == warnings


def test_reading_a_catalog_leaves_the_cycle_collector_as_it_was(pack):
    translated(pack)  # read from the file
    assert gc.isenabled()
    gc.disable()
    try:
        translated(pack)  # from the cache
        assert not gc.isenabled()
    finally:
        gc.enable()
