"""packgen's defaults (templates, MkDocs settings, interface catalogs) are the last layer of a pack.

A pack holds only what it changes: one with nothing but a pack.yml and a page
builds and checks, in every language packgen translates its interface into.
The defaults are read like any layer and never written to; a wheel carries
them, and the flagship pack that `packgen init` starts from.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from click.testing import CliRunner

from packgen.build import build
from packgen.cli import main
from packgen.errors import Problems
from packgen.i18n.catalog import catalog_path, read_catalog
from packgen.i18n.extract import ui_template
from packgen.paths import DEFAULTS_DIR
from packgen.resolve import load_pack

from .conftest import REPO

BARE_PACK = "id: bare\ntitle: A bare pack\nlanguages: [en, fr, ar]\n"
PAGE = "# Welcome\n\nOne page and nothing else.\n\n!!! note\n    Mind the note.\n"


def _digest(root: Path) -> dict[str, str]:
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file() and "__pycache__" not in path.parts
    }


def _bare(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "pack.yml").write_text(BARE_PACK, encoding="utf-8")
    (root / "content/index.md").write_text(PAGE, encoding="utf-8")
    return root


def test_a_pack_of_one_page_builds_and_checks_on_packgens_defaults(tmp_path):
    root = _bare(tmp_path / "bare")
    before = _digest(DEFAULTS_DIR)
    checked = CliRunner().invoke(main, ["check", "--strict", str(root)])
    assert checked.exit_code == 0, checked.output
    report = build(root, root / "site", ["en", "fr"])
    assert report.pdfs_rendered > 0  # the print templates and print.css come from packgen
    home = (root / "site/en/index.html").read_text(encoding="utf-8")
    assert "One page and nothing else." in home
    # packgen's MkDocs settings: the Markdown extensions its pages are written for.
    assert 'class="admonition note"' in home and "!!!" not in home
    french = (root / "site/fr/index.html").read_text(encoding="utf-8")
    # The interface is packgen's, translated by packgen's own French catalog.
    french_ui = read_catalog(catalog_path(DEFAULTS_DIR, "fr", "ui"), Problems())
    assert french_ui is not None
    assert french_ui["Offline copy"].string in french
    assert (root / "site/en/downloads/bare.pdf").is_file()
    assert sorted(p.name for p in root.iterdir()) == ["build", "content", "pack.yml", "site"]
    assert _digest(DEFAULTS_DIR) == before


def test_packgens_defaults_are_the_last_layer_and_are_never_written_to(tmp_path):
    root = _bare(tmp_path / "bare")
    pack, problems = load_pack(root)
    assert pack is not None and problems.errors == []
    assert pack.layers == [root.resolve(), DEFAULTS_DIR]
    before = _digest(DEFAULTS_DIR)
    runner = CliRunner()
    for args in (["i18n", "update", str(root)], ["i18n", "add", "so", str(root)]):
        result = runner.invoke(main, args)
        assert result.exit_code == 0, result.output
    # Somali has no catalog in packgen, so the pack gets one of the whole interface to
    # translate; French and Arabic are translated by packgen, so the pack gets none.
    somali = read_catalog(catalog_path(root, "so", "ui"), Problems())
    assert somali is not None and len([m for m in somali if m.id]) > 50
    assert not catalog_path(root, "fr", "ui").exists()
    assert not catalog_path(root, "ar", "ui").exists()
    out = DEFAULTS_DIR / "site"
    refused = runner.invoke(main, ["build", str(root), "--out", str(out), "--no-pdf"])
    assert refused.exit_code == 2, refused.output
    assert not out.exists()
    assert _digest(DEFAULTS_DIR) == before


def test_a_pack_template_is_used_before_packgens_own(tmp_path):
    root = _bare(tmp_path / "bare")
    (root / "templates").mkdir()
    (root / "templates/page.md.j2").write_text("{{ body }}\n\nOur own page template.\n")
    build(root, root / "site", ["en"], printables=False)
    assert "Our own page template." in (root / "site/en/index.html").read_text(encoding="utf-8")


def test_packgens_interface_catalogs_cover_its_templates_whole(tmp_path):
    root = _bare(tmp_path / "bare")
    pack, _ = load_pack(root)
    assert pack is not None
    strings = {m.id if isinstance(m.id, str) else m.id[0] for m in ui_template(pack, DEFAULTS_DIR)}
    strings.discard("")
    assert len(strings) > 50
    pot = read_catalog(DEFAULTS_DIR / "locales/ui.pot", Problems())
    assert pot is not None
    shipped = {m.id if isinstance(m.id, str) else m.id[0] for m in pot if m.id}
    assert shipped == strings, "run scripts/update-default-catalogs.py, then translate"
    for code in ("fr", "ar"):
        problems = Problems()
        catalog = read_catalog(catalog_path(DEFAULTS_DIR, code, "ui"), problems)
        assert catalog is not None and problems.items == []
        untranslated = [
            m.id for m in catalog if m.id and (m.fuzzy or not m.string or not all(m.string))
        ]
        assert untranslated == [], code
        assert {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id} >= strings


def _wheel_copy(tmp_path: Path) -> Path:
    """The source tree a wheel is built from, copied so the build leaves the checkout alone."""
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md", "pack.yml"):
        shutil.copy2(REPO / name, source / name)
    for name in ("content", "exercises", "locales"):
        shutil.copytree(REPO / name, source / name)
    shutil.copytree(
        REPO / "generator",
        source / "generator",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    return source


def test_a_wheel_carries_the_defaults_and_the_flagship_that_init_starts_from(tmp_path):
    source = _wheel_copy(tmp_path)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), "."],
        cwd=source,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = tmp_path.glob("packgen-*.whl")
    installed = tmp_path / "installed"
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(installed)
    assert "packgen/defaults/templates/print/print.css" in names
    assert "packgen/defaults/locales/fr/LC_MESSAGES/ui.po" in names
    assert "packgen/flagship/pack.yml" in names
    assert not any(name.startswith("packgen/flagship/generator/") for name in names)
    # packgen as installed from the wheel, not the checkout: init from the flagship it
    # carries, then check the new pack.
    script = (
        "import sys; from pathlib import Path; from packgen.cli import main; "
        "import packgen.scaffold as s; print(Path(s.__file__).parent); "
        "sys.argv = ['packgen', 'init', sys.argv[1]]; main()"
    )
    env = {**os.environ, "PYTHONPATH": str(installed), "NO_MKDOCS_2_WARNING": "1"}
    ours = tmp_path / "ours"
    init = subprocess.run(
        [sys.executable, "-c", script, str(ours)], env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    assert Path(init.stdout.splitlines()[0]) == installed / "packgen"
    extends = (ours / "pack.yml").read_text(encoding="utf-8")
    assert (ours / yaml_value(extends, "extends")).resolve() == installed / "packgen/flagship"
    check = (
        "import sys; from packgen.cli import main; sys.argv = ['packgen', 'check', sys.argv[1]]; "
        "main()"
    )
    checked = subprocess.run(
        [sys.executable, "-c", check, str(ours)], env=env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr


def yaml_value(text: str, key: str) -> str:
    import yaml

    value = yaml.safe_load(text)[key]
    assert isinstance(value, str)
    return value


def test_a_pack_without_contents_lists_every_page_and_exercise(tmp_path):
    from .conftest import EXERCISE_YML

    root = _bare(tmp_path / "bare")
    (root / "content/about.md").write_text("# About\n\nWho we are.\n", encoding="utf-8")
    (root / "exercises").mkdir()
    (root / "exercises/first-steps.yml").write_text(EXERCISE_YML, encoding="utf-8")
    pack, problems = load_pack(root)
    assert pack is not None and problems.errors == []
    # Resolve makes the menu once; every later stage reads it.
    assert (pack.menu.pages, pack.menu.definitions) == (["index.md", "about.md"], ["first-steps"])
    assert [(item.page, item.exercise) for item in pack.config.contents] == [
        ("index.md", None),
        ("about.md", None),
        (None, "first-steps"),
    ]
    build(root, root / "site", ["en"], printables=False)
    home = (root / "site/en/index.html").read_text(encoding="utf-8")
    assert "One page and nothing else." in home
    assert 'href="about.html"' in home and 'href="exercises/first-steps.html"' in home
    assert "Ask open questions." in (root / "site/en/exercises/first-steps.html").read_text()
