"""The build's workers: catalogs read ahead, each language's part of the zips made beside it."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
import yaml

from packgen.build import build, check
from packgen.bundle import DOWNLOADS, write_bundles
from packgen.errors import PackInvalid, Severity
from packgen.resolve import load_pack

from .test_build import FR_PO

CODES = ["en", "fr", "ar"]


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_broken_catalog_of_the_second_language_fails_at_its_line_and_publishes_nothing(
    write_pack,
):
    root = write_pack({"locales/fr/LC_MESSAGES/pack.po": FR_PO})
    build(root, printables=False)
    before = digests(root / "site")
    po = root / "locales/fr/LC_MESSAGES/pack.po"
    po.write_text(FR_PO.replace('msgstr "Premiers pas"', 'msgstr "Premiers pas'), encoding="utf-8")
    with pytest.raises(PackInvalid) as failed:
        build(root, printables=False)
    [error] = [p for p in failed.value.problems if p.severity == Severity.ERROR]
    assert error.location.path.endswith("fr/LC_MESSAGES/pack.po") and error.location.line == 8
    assert digests(root / "site") == before  # the last good site, untouched
    _pack, problems = check(root)
    assert [(p.location, p.message) for p in problems.errors] == [(error.location, error.message)]


def test_zips_of_a_build_that_reuses_some_sites_are_those_of_its_site(write_pack, tmp_path):
    root = write_pack({"locales/fr/LC_MESSAGES/pack.po": FR_PO})
    build(root, printables=False)
    po = root / "locales/fr/LC_MESSAGES/pack.po"
    po.write_text(FR_PO.replace("Premiers pas", "Tout premiers pas"), encoding="utf-8")
    report = build(root, printables=False)
    assert report.sites_built == ["fr"] and set(report.sites_reused) == {"en", "ar"}
    pack, _ = load_pack(root)
    assert pack is not None
    site = root / "site"
    reference = tmp_path / "reference"
    for code in CODES:
        shutil.copytree(root / "build" / code / "site", reference / code)
    shutil.copy(site / "index.html", reference / "index.html")
    titles = {
        code: yaml.safe_load((root / "build" / code / "mkdocs.yml").read_text())["site_name"]
        for code in CODES
    }
    write_bundles(pack.layers, "tiny", CODES, titles, reference, source="en")
    for name in ("tiny-en.zip", "tiny-fr.zip", "tiny-ar.zip", "tiny-all.zip"):
        made = (site / DOWNLOADS / name).read_bytes()
        assert made == (reference / DOWNLOADS / name).read_bytes(), name


def test_catalogs_read_ahead_are_in_the_cache_and_not_kept_in_the_worker(
    write_pack, tmp_path, monkeypatch
):
    from packgen.i18n import catalog
    from packgen.i18n.localise import read_ahead

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(catalog, "_CHECKED", {})  # as in a new process
    root = write_pack({"locales/fr/LC_MESSAGES/pack.po": FR_PO})
    read_ahead([root], "fr", "en")
    assert catalog._CHECKED == {}
    assert list((tmp_path / "cache" / "packgen").rglob("*.json"))  # the next read is quick
