"""`packgen init` starts a tailored pack that builds at once and never touches its base."""

from __future__ import annotations

from pathlib import Path

import yaml
from click.testing import CliRunner

from packgen.build import build
from packgen.cli import main
from packgen.paths import DEFAULTS_DIR
from packgen.resolve import load_pack

from .conftest import REPO


def _files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_init_makes_a_pack_that_builds_and_leaves_the_base_as_it_was(write_pack, tmp_path):
    base = write_pack(name="base")
    before = _files(base)
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ours"), "--from", str(base)])
    assert result.exit_code == 0, result.output
    ours = tmp_path / "ours"
    assert sorted(p.name for p in ours.iterdir()) == [
        "README.md",
        "content",
        "exercises",
        "locales",
        "pack.yml",
        "templates",
    ]
    settings = yaml.safe_load((ours / "pack.yml").read_text(encoding="utf-8"))
    assert settings == {"id": "ours", "title": "Ours", "extends": "../base"}
    assert "exercises/" in (ours / "README.md").read_text(encoding="utf-8")
    build(ours, ours / "site", ["fr"], printables=False)
    page = (ours / "site/fr/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "First steps" in page
    assert _files(base) == before


def test_init_refuses_a_folder_that_is_not_empty(write_pack, tmp_path):
    base = write_pack(name="base")
    target = tmp_path / "ours"
    target.mkdir()
    (target / "notes.txt").write_text("mine", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(target), "--from", str(base)])
    assert result.exit_code == 2
    assert "not empty" in result.output
    assert _files(target) == {"notes.txt": b"mine"}


def test_init_refuses_a_base_that_is_not_a_pack(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ours"), "--from", str(tmp_path)])
    assert result.exit_code == 2
    assert "not a pack" in result.output
    assert not (tmp_path / "ours").exists()


def test_init_extends_the_flagship_beside_packgen_by_default(tmp_path):
    result = CliRunner().invoke(main, ["init", str(tmp_path / "ours")])
    assert result.exit_code == 0, result.output
    settings = yaml.safe_load((tmp_path / "ours/pack.yml").read_text(encoding="utf-8"))
    assert (tmp_path / "ours" / settings["extends"]).resolve() == REPO
    pack, problems = load_pack(tmp_path / "ours")
    assert pack is not None and problems.errors == []
    assert pack.layers == [(tmp_path / "ours").resolve(), REPO, DEFAULTS_DIR]
