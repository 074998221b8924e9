"""`variables:` in pack.yml, filled in wherever `{{ variables.name }}` is written."""

from __future__ import annotations

from pathlib import Path

from packgen.build import build
from packgen.resolve import load_pack

from .conftest import EXERCISE_YML, PACK_YML

VARIABLES = """\
variables:
  region: Gedo
  hotline:
    en: "Call 5050"
    fr: "Appelez le 5050"
"""
PAGE = "# Tiny home\n\nTeams in {{ variables.region }}: {{variables.hotline}}.\n"


def test_variables_are_filled_in_pages_and_definitions_per_language(write_pack, tmp_path):
    exercise = EXERCISE_YML.replace(
        "summary: A short exercise.", "summary: A short exercise for {{ variables.region }}."
    )
    root = write_pack(
        {
            "pack.yml": PACK_YML + VARIABLES,
            "content/index.md": PAGE,
            "exercises/first-steps.yml": exercise,
        }
    )
    pack, problems = load_pack(root)
    assert pack is not None and problems.errors == []
    build(root, tmp_path / "site", ["en", "fr", "ar"], printables=False)
    english = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    assert "Teams in Gedo: Call 5050." in english
    french = (tmp_path / "site/fr/index.html").read_text(encoding="utf-8")
    assert "Teams in Gedo: Appelez le 5050." in french
    arabic = (tmp_path / "site/ar/index.html").read_text(encoding="utf-8")
    assert "Call 5050" in arabic
    step_page = (tmp_path / "site/en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert "A short exercise for Gedo." in step_page
    for page in (english, french, arabic, step_page):
        assert "variables." not in page


def test_an_undefined_variable_is_an_error_where_it_is_written(write_pack):
    exercise = EXERCISE_YML.replace(
        "purpose: Practise asking questions.", "purpose: Practise in {{ variables.district }}."
    )
    root = write_pack(
        {
            "pack.yml": PACK_YML + VARIABLES,
            "content/index.md": "# Tiny home\n\nCall {{ variables.hotlin }} now.\n",
            "exercises/first-steps.yml": exercise,
        }
    )
    _, problems = load_pack(root)
    found = {
        (Path(p.location.path).name, p.location.line, p.location.column): p.message
        for p in problems.errors
    }
    assert len(found) == 2, found
    page_error = found[("index.md", 3, 6)]
    assert "undefined variable 'hotlin'" in page_error
    assert "hotline, region" in page_error
    purpose_line = EXERCISE_YML.splitlines().index("purpose: Practise asking questions.") + 1
    [(key, message)] = [(k, m) for k, m in found.items() if k[0] == "first-steps.yml"]
    assert key[1] == purpose_line
    assert "undefined variable 'district'" in message


def test_a_per_language_value_needs_the_source_language(write_pack):
    pack_yml = PACK_YML + "variables:\n  hotline:\n    fr: Appelez le 5050\n"
    _, problems = load_pack(write_pack({"pack.yml": pack_yml}))
    [error] = problems.errors
    assert error.location.line == len(PACK_YML.splitlines()) + 3
    assert "no value for the source language 'en'" in error.message


def test_a_bad_variable_name_is_refused_at_its_line(write_pack):
    pack_yml = PACK_YML + 'variables:\n  hot line: "5050"\n'
    _, problems = load_pack(write_pack({"pack.yml": pack_yml}))
    [error] = problems.errors
    assert error.location.line == len(PACK_YML.splitlines()) + 2
    assert "not a variable name" in error.message


PO_HEADER = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n'
    '"Content-Type: text/plain; charset=UTF-8\\n"\n"Plural-Forms: nplurals=2; '
    'plural=(n > 1);\\n"\n\n'
)


def test_a_translation_keeps_the_placeholder_and_gets_the_value(write_pack, tmp_path):
    source = "Teams in {{ variables.region }}: {{variables.hotline}}."
    kept = "Les équipes de {{ variables.region }} : {{variables.hotline}}."
    dropped = "Les équipes de Gedo : 5050."
    page = f"# Tiny home\n\n{source}\n\nSee {{{{ variables.region }}}} again.\n"
    catalog = (
        PO_HEADER
        + f'msgid "{source}"\nmsgstr "{kept}"\n\n'
        + 'msgid "See {{ variables.region }} again."\nmsgstr "Revoir la région."\n'
    )
    root = write_pack(
        {
            "pack.yml": PACK_YML + VARIABLES,
            "content/index.md": page,
            "locales/fr/LC_MESSAGES/pack.po": catalog,
        }
    )
    report = build(root, tmp_path / "site", ["fr"], printables=False)
    french = (tmp_path / "site/fr/index.html").read_text(encoding="utf-8")
    assert "Les équipes de Gedo : Appelez le 5050." in french
    # A translation that loses the placeholder is not used; the translator is told.
    assert "See Gedo again." in french
    assert "Revoir la région." not in french
    assert dropped not in french
    assert any("variables.region" in w.message for w in report.warnings), report.warnings


def test_a_reference_in_code_is_shown_as_written(write_pack, tmp_path):
    from packgen.resolve.variables import substitute

    text = "In `{{ variables.region }}` put Gedo. Here: {{ variables.region }}.\n"
    assert substitute(text, {"region": "Gedo"}) == (
        "In `{{ variables.region }}` put Gedo. Here: Gedo.\n"
    )
    fenced = "```yaml\nname: {{ variables.region }}\n```\n"
    assert substitute(fenced, {"region": "Gedo"}) == fenced
    # A page that teaches the syntax with an undefined name in code is not an error.
    root = write_pack({"content/index.md": "# Home\n\nWrite `{{ variables.anything }}`.\n"})
    _, problems = load_pack(root)
    assert problems.errors == []


ORGANISATION = """\
organisation:
  name: Health Team {{ variables.region }}
  url: https://example.org/
  contact: "Hotline: {{ variables.hotline }}"
print:
  licence: "Free to copy in {{ variables.region }}"
"""


def test_organisation_and_licence_settings_take_variables_per_language(write_pack, tmp_path):
    from pypdf import PdfReader

    root = write_pack({"pack.yml": PACK_YML + VARIABLES + ORGANISATION})
    build(root, tmp_path / "site", ["en", "fr"])
    english = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    assert "Health Team Gedo · example.org · Hotline: Call 5050" in english
    french = (tmp_path / "site/fr/index.html").read_text(encoding="utf-8")
    assert "Health Team Gedo · example.org · Hotline: Appelez le 5050" in french
    guide = PdfReader(tmp_path / "site/fr/downloads/guides/first-steps.pdf")
    footer = " ".join(page.extract_text() for page in guide.pages)
    assert "Health Team Gedo" in footer and "Appelez le 5050" in footer
    book = PdfReader(tmp_path / "site/en/downloads/tiny.pdf")
    cover = book.pages[0].extract_text()
    assert "Free to copy in Gedo" in cover and "Hotline: Call 5050" in cover
    for text in (english, french, footer, cover):
        assert "variables." not in text


def test_an_undefined_variable_in_the_organisation_is_an_error_at_its_line(write_pack):
    settings = ORGANISATION.replace("variables.hotline", "variables.hotlne")
    root = write_pack({"pack.yml": PACK_YML + VARIABLES + settings})
    _, problems = load_pack(root)
    [found] = problems.errors
    lines = (root / "pack.yml").read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, start=1) if "hotlne" in text)
    assert (found.location.path.endswith("pack.yml"), found.location.line) == (True, line)
    assert "undefined variable 'hotlne'" in found.message
