"""A reused PDF keeps what WeasyPrint said when it was drawn."""

from __future__ import annotations

import json

import pytest

from packgen.build import build
from packgen.errors import PackInvalid
from packgen.fingerprint import read_sealed, write_sealed

from .conftest import make_pack, own_template


def test_a_reused_pdf_says_its_warnings_again_so_strict_fails_twice(tmp_path):
    root = make_pack(tmp_path / "pack")
    css = own_template(root, "print/print.css")
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { colour: red; }\n", "utf-8")
    work = tmp_path / "work"
    first = build(root, tmp_path / "site", work_dir=work, languages=["en"])
    said = [w for w in first.warnings if "WeasyPrint" in w.message]
    assert said and "colour" in said[0].message
    assert said[0].location.path.endswith("templates/print/print.css")
    # Drawn again from the cache: nothing is rendered, the same warning is given.
    second = build(root, tmp_path / "site", work_dir=work, languages=["en"])
    assert second.pdfs_rendered == 0 and second.pdfs_reused > 0
    assert [w.message for w in second.warnings if "WeasyPrint" in w.message] == [
        w.message for w in said
    ]
    with pytest.raises(PackInvalid, match="strict"):
        build(root, tmp_path / "site", work_dir=work, languages=["en"], strict=True)
    manifest = read_sealed(work / "en/downloads.json")
    assert manifest is not None
    assert any(isinstance(entry, dict) and entry["warnings"] for entry in manifest.values())


def test_a_manifest_packgen_did_not_seal_vouches_for_no_pdf(tmp_path):
    """A build/ folder can come with a pack: its manifest could name any PDF as current."""
    from packgen.printables.cache import PdfCache

    (tmp_path / "downloads").mkdir()
    (tmp_path / "downloads/a.pdf").write_bytes(b"%PDF-1.7\n")
    (tmp_path / "downloads.json").write_text('{"a.pdf": "abc"}\n', encoding="utf-8")
    assert not PdfCache(tmp_path).fresh("a.pdf", "abc")
    forged = {"seal": "0" * 64, "record": json.dumps({"a.pdf": {"key": "abc", "warnings": []}})}
    (tmp_path / "downloads.json").write_text(json.dumps(forged), encoding="utf-8")
    assert not PdfCache(tmp_path).fresh("a.pdf", "abc")
    write_sealed(tmp_path / "downloads.json", {"a.pdf": {"key": "abc", "warnings": []}})
    assert PdfCache(tmp_path).fresh("a.pdf", "abc")


def test_check_reports_the_print_css_a_build_would_ignore(tmp_path):
    from packgen.build import check

    root = make_pack(tmp_path / "pack")
    css = own_template(root, "print/print.css")
    lines = css.read_text(encoding="utf-8").count("\n")
    css.write_text(css.read_text(encoding="utf-8") + "\nbody { colour: red; }\n", "utf-8")
    _, problems = check(root)
    [found] = [p for p in problems.warnings if "WeasyPrint" in p.message]
    assert found.location.path.endswith("templates/print/print.css")
    assert found.location.line == lines + 2
    assert "colour" in found.message
    assert not (root / "build").exists()  # check writes nothing
