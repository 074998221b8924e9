"""What packgen takes from a pack's mkdocs.yml, and how it says no to the rest."""

from __future__ import annotations

from pathlib import Path

import yaml

from packgen.build import build, check

PACK = """\
id: tiny
title: Tiny pack
languages: [en]
contents:
  - page: index.md
  - exercise: first-steps
"""
ALLOWED = """\
site_name: ignored
site_description: A tiny pack for tests
theme:
  name: material
  palette:
    primary: indigo
  favicon: img/icon.png
  features: [navigation.top]
  icon:
    logo: material/account-group
extra:
  social:
    - icon: fontawesome/brands/github
      link: https://example.org/
extra_css: [css/pack.css]
markdown_extensions:
  - abbr
  - markdown.extensions.toc:
      permalink: true
  - pymdownx.tasklist:
      custom_checkbox: true
plugins:
  - search
"""


def test_allowed_settings_reach_the_config_packgen_writes(write_pack, tmp_path: Path):
    root = write_pack({"pack.yml": PACK, "mkdocs.yml": ALLOWED, "content/css/pack.css": "p {}\n"})
    (root / "content/img").mkdir()
    (root / "content/img/icon.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    _, problems = check(root)
    assert problems.items == []
    build(root, tmp_path / "site", strict=True, printables=False)
    config = yaml.safe_load((root / "build/en/mkdocs.yml").read_text(encoding="utf-8"))
    assert config["site_name"] == "Tiny pack"
    assert config["site_description"] == "A tiny pack for tests"
    assert config["theme"]["favicon"] == "img/icon.png"
    assert config["theme"]["palette"] == {"primary": "indigo"}
    assert config["extra"]["social"][0]["link"] == "https://example.org/"
    assert config["extra_css"][0] == "css/pack.css"
    assert {"markdown.extensions.toc": {"permalink": True}} in config["markdown_extensions"]
    # The extensions packgen's templates write for are added when the pack leaves them out.
    assert {"admonition", "attr_list", "md_in_html", "tables"} <= {
        e for e in config["markdown_extensions"] if isinstance(e, str)
    }
    # packgen's own plugins and hook, and nothing of the pack's.
    assert [next(iter(p)) if isinstance(p, dict) else p for p in config["plugins"]] == [
        "search",
        "offline",
    ]
    assert [Path(h).name for h in config["hooks"]] == ["site_hooks.py"]
    assert "INHERIT" not in config


def test_an_unknown_option_of_an_extension_is_named(write_pack, monkeypatch):
    root = write_pack(
        {
            "pack.yml": PACK,
            "mkdocs.yml": "markdown_extensions:\n  - toc:\n      permalinks: true\n",
        }
    )
    monkeypatch.chdir(root)
    _, problems = check(root)
    assert [str(p).splitlines()[0] for p in problems.errors] == [
        "mkdocs.yml:3:7: toc: no option 'permalinks'; did you mean 'permalink'?"
    ]


def test_every_refused_setting_is_reported_at_once(write_pack, monkeypatch):
    root = write_pack(
        {
            "pack.yml": PACK,
            "mkdocs.yml": "hooks: [x.py]\ntheme:\n  custom_dir: elsewhere\n"
            "plugins: [macros]\nnav: []\n",
        }
    )
    monkeypatch.chdir(root)
    _, problems = check(root)
    found = sorted(str(p.location) for p in problems.errors)
    assert found == ["mkdocs.yml:1:1", "mkdocs.yml:3:3", "mkdocs.yml:4:11", "mkdocs.yml:5:1"]
