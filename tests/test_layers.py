"""A pack extending another inherits every setting it does not set, merged key by key."""

from __future__ import annotations

from pathlib import Path

from packgen.build import build
from packgen.resolve import load_pack

from .conftest import PACK_YML

BASE_YML = (
    PACK_YML
    + """\
organisation:
  name: Field Network
  url: https://field.example.org/
print:
  paper: Letter
  edition: Second edition
"""
)


def _child(base: Path, pack_yml: str, files: dict[str, str] | None = None) -> Path:
    child = base.parent / "child"
    child.mkdir()
    (child / "pack.yml").write_text(pack_yml, encoding="utf-8")
    for rel, text in (files or {}).items():
        (child / rel).parent.mkdir(parents=True, exist_ok=True)
        (child / rel).write_text(text, encoding="utf-8")
    return child


def test_a_tailored_pack_restates_nothing_it_inherits(write_pack):
    base = write_pack({"pack.yml": BASE_YML}, name="base")
    child = _child(base, "id: ours\ntitle: Our pack\nextends: ../base\n")
    pack, problems = load_pack(child)
    assert pack is not None, [str(p) for p in problems.errors]
    assert problems.errors == []
    assert pack.config.id == "ours"
    assert pack.config.languages == ["en", "fr", "ar"]
    assert pack.config.organisation is not None
    assert pack.config.organisation.name == "Field Network"
    assert pack.config.print.paper == "Letter"
    assert pack.config.print.edition == "Second edition"
    assert [item.exercise for item in pack.config.contents] == [None, "first-steps"]


def test_settings_merge_key_by_key_and_lists_replace(write_pack):
    base = write_pack({"pack.yml": BASE_YML}, name="base")
    child = _child(
        base,
        "id: ours\ntitle: Our pack\nextends: ../base\nlanguages: [en, so]\n"
        "organisation:\n  name: Hiraal Relief\nprint:\n  start_time: '08:30'\n",
    )
    pack, problems = load_pack(child)
    assert pack is not None, [str(p) for p in problems.errors]
    assert pack.config.languages == ["en", "so"]
    organisation = pack.config.organisation
    assert organisation is not None
    assert organisation.name == "Hiraal Relief"
    assert str(organisation.url) == "https://field.example.org/"
    assert (pack.config.print.paper, pack.config.print.start_time) == ("Letter", "08:30")
    assert pack.config.print.edition == "Second edition"


def test_a_mistake_is_located_in_the_file_that_holds_it(write_pack):
    base = write_pack({"pack.yml": BASE_YML.replace("paper: Letter", "paper: A5")}, name="base")
    child = _child(
        base,
        "id: ours\ntitle: Our pack\nextends: ../base\norganisation:\n  url: not a web address\n",
    )
    _, problems = load_pack(child)
    where = {(Path(p.location.path).resolve(), p.location.line) for p in problems.errors}
    assert (child.resolve() / "pack.yml", 5) in where
    paper_line = BASE_YML.splitlines().index("  paper: Letter") + 1
    assert (base.resolve() / "pack.yml", paper_line) in where
    assert len(problems.errors) == 2, [str(p) for p in problems.errors]


def test_a_tailored_mkdocs_yml_changes_only_what_it_sets(write_pack):
    page = "# Tiny home\n\nA claim.[^1]\n\n[^1]: The source of the claim.\n"
    base = write_pack({"pack.yml": BASE_YML, "content/index.md": page}, name="base")
    child = _child(
        base,
        "id: ours\ntitle: Our pack\nextends: ../base\nlanguages: [en]\n",
        {
            "mkdocs.yml": "theme:\n  palette:\n    primary: custom\n    accent: custom\n"
            "markdown_extensions:\n  - toc:\n      permalink: false\n"
        },
    )
    pack, problems = load_pack(child)
    assert pack is not None, [str(p) for p in problems.errors]
    settings = pack.mkdocs
    assert settings.theme["palette"] == {"primary": "custom", "accent": "custom"}
    assert settings.theme["icon"] == {"logo": "material/account-group"}
    assert "content.tooltips" in settings.theme["features"]
    assert {"toc": {"permalink": False}} in settings.extensions
    assert "footnotes" in settings.extensions
    assert {"pymdownx.tasklist": {"custom_checkbox": True}} in settings.extensions
    build(child, child / "site", printables=False)
    html = (child / "site/en/index.html").read_text(encoding="utf-8")
    assert 'class="footnote"' in html
    assert "[^1]" not in html
