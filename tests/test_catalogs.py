"""Catalogs stay valid and complete: msgfmt accepts every file written, nothing is lost."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from packgen.cli import main
from packgen.errors import Problems
from packgen.i18n.catalog import read_catalog
from packgen.i18n.pofile import PoSyntaxError, read_po_bytes, write_po_bytes

LONG = (
    "This paragraph is long enough to be wrapped over several lines of the catalog; "
    'it says "quoted" things, with a backslash \\ and a tab\tinside. '
) * 4
MSGFMT = shutil.which("msgfmt")
needs_msgfmt = pytest.mark.skipif(MSGFMT is None, reason="gettext's msgfmt is not installed")


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def msgfmt_check(path: Path) -> None:
    result = subprocess.run(
        [MSGFMT or "msgfmt", "--check", "-o", os.devnull, str(path)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, f"msgfmt rejects {path}:\n{result.stderr}"


def fr_po(root: Path) -> Path:
    return root / "locales/fr/LC_MESSAGES/pack.po"


def translate_all(path: Path, text: str = "Traduit") -> None:
    catalog = read_po_bytes(path.read_bytes())
    for message in catalog:
        if message.id and isinstance(message.id, str):
            message.string = text
            message.flags.discard("fuzzy")
    path.write_bytes(write_po_bytes(catalog))


def page(paragraph: str) -> str:
    return f"# Tiny home\n\n{paragraph}\n\nA second line\nwithin the same paragraph.\n"


@needs_msgfmt
def test_long_multi_line_strings_stay_valid_through_many_updates(write_pack):
    root = write_pack({"content/index.md": page(LONG)})
    assert run("i18n", "update", str(root)).exit_code == 0
    po = fr_po(root)
    msgfmt_check(po)
    translate_all(po)
    sources = [LONG]
    for round_ in range(3):
        changed = LONG.replace("several lines", f"several ({round_}) lines")
        (root / "content/index.md").write_text(page(changed))
        sources.append(changed)
        result = run("i18n", "update", str(root))
        assert result.exit_code == 0, result.output
        msgfmt_check(po)
        msgfmt_check(root / "locales/pack.pot")
        catalog = read_po_bytes(po.read_bytes())
        entry = catalog[changed.strip()]
        assert entry.fuzzy and entry.string == "Traduit"
        # The previous source is the one last translated, in full, however often it changes.
        assert entry.previous_id == [LONG.strip()]
        assert "#| msgid" in po.read_text()
    again = po.read_bytes()
    assert run("i18n", "update", str(root)).exit_code == 0
    assert po.read_bytes() == again


@needs_msgfmt
def test_a_fuzzy_entry_stays_fuzzy_through_obsolete_and_back(write_pack):
    root = write_pack({"content/index.md": page("Old text.")})
    run("i18n", "update", str(root))
    po = fr_po(root)
    translate_all(po)
    (root / "content/index.md").write_text(page("Old text, changed."))
    run("i18n", "update", str(root))
    assert read_po_bytes(po.read_bytes())["Old text, changed."].fuzzy
    (root / "content/index.md").write_text(page("Something else."))
    run("i18n", "update", str(root))
    msgfmt_check(po)
    obsolete = read_po_bytes(po.read_bytes()).obsolete["Old text, changed."]
    assert obsolete.fuzzy and obsolete.string == "Traduit"
    (root / "content/index.md").write_text(page("Old text, changed."))
    run("i18n", "update", str(root))
    msgfmt_check(po)
    back = read_po_bytes(po.read_bytes())["Old text, changed."]
    assert back.fuzzy, "a stale translation must not come back as current"
    assert back.string == "Traduit"


HEADER = (
    'msgid ""\nmsgstr ""\n"Language: fr\\n"\n'
    '"Content-Type: text/plain; charset={charset}\\n"\n"Plural-Forms: nplurals=2; '
    'plural=(n > 1);\\n"\n\n'
)


def po_text(body: str, charset: str = "UTF-8") -> str:
    return HEADER.format(charset=charset) + body


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ('msgid "Tiny home"\nmsgstr "Revue après actio\n', 8, "no closing quote"),
        ('msgid "Tiny home"\nmsgstr "A"\n\nmsgid "Tiny home"\nmsgstr "B"\n', 10, "line 7"),
        ('msgid "Tiny home"\nmsgtsr "A"\n', 8, "found 'msgtsr'"),
        ('msgid "Tiny home"\n', 7, "msgid without msgstr"),
        ('msgid "Tiny home"\nmsgstr "A \\q"\n', 8, "unknown escape"),
    ],
)
def test_a_broken_catalog_is_an_error_at_its_line(write_pack, body, line, words):
    root = write_pack()
    po = fr_po(root)
    po.parent.mkdir(parents=True)
    po.write_text(po_text(body), encoding="utf-8")
    problems = Problems()
    assert read_catalog(po, problems) is None
    [problem] = problems.errors
    assert problem.location.line == line, problem
    assert words in problem.message
    before = sorted(p.name for p in (root / "locales").rglob("*"))
    result = run("check", str(root))
    assert result.exit_code == 1
    assert f"pack.po:{line}:" in result.output
    updated = run("i18n", "update", str(root))
    assert updated.exit_code == 1
    assert "nothing was written" in updated.output
    assert sorted(p.name for p in (root / "locales").rglob("*")) == before, "no pack.pot either"
    assert po.read_text(encoding="utf-8") == po_text(body), "the catalog is kept as it was"


def test_utf8_under_a_latin1_header_is_an_error_not_mojibake(write_pack):
    root = write_pack()
    po = fr_po(root)
    po.parent.mkdir(parents=True)
    po.write_bytes(po_text('msgid "Tiny home"\nmsgstr "Accueil réduit"\n', "ISO-8859-1").encode())
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "pack.po:4:" in result.output and "written in UTF-8" in result.output


def test_an_unknown_charset_is_an_error_at_the_header(write_pack):
    root = write_pack()
    po = fr_po(root)
    po.parent.mkdir(parents=True)
    po.write_text(po_text('msgid "Tiny home"\nmsgstr "Accueil"\n', "BOGUS"))
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "pack.po:4:" in result.output and "unknown charset 'BOGUS'" in result.output


def test_latin1_declared_and_written_is_read(tmp_path):
    data = po_text('msgid "Tiny home"\nmsgstr "Accueil réduit"\n', "ISO-8859-1").encode("latin-1")
    assert read_po_bytes(data)["Tiny home"].string == "Accueil réduit"
    with pytest.raises(PoSyntaxError):
        read_po_bytes(po_text('msgstr "é"\n', "UTF-8").encode("latin-1"))


def test_a_read_only_catalog_stops_the_update_before_anything_is_written(write_pack):
    root = write_pack({"content/index.md": page("First text.")})
    run("i18n", "update", str(root))
    po = fr_po(root)
    po.chmod(0o444)
    (root / "content/index.md").write_text(page("Second text."))
    before = {p: p.read_bytes() for p in (root / "locales").rglob("*.po*")}
    result = run("i18n", "update", str(root))
    assert result.exit_code == 1
    assert "pack.po: cannot write: the file is read-only; nothing was written" in result.output
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po*")} == before
    assert stat.S_IMODE(po.stat().st_mode) == 0o444
    assert not list((root / "locales").rglob("*.tmp"))


def test_an_immutable_catalog_stops_the_update_before_anything_is_written(write_pack):
    root = write_pack({"content/index.md": page("First text.")})
    run("i18n", "update", str(root))
    po = fr_po(root)
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(po)]).returncode != 0:
        pytest.skip("immutable files need chattr and root on a file system that has them")
    try:
        (root / "content/index.md").write_text(page("Second text."))
        pot = (root / "locales/pack.pot").read_bytes()
        result = run("i18n", "update", str(root))
        assert result.exit_code == 1
        assert "nothing was written" in result.output
        assert (root / "locales/pack.pot").read_bytes() == pot
    finally:
        subprocess.run([chattr, "-i", str(po)])


def test_an_update_keeps_each_catalogs_mode(write_pack):
    root = write_pack({"content/index.md": page("First text.")})
    run("i18n", "update", str(root))
    po = fr_po(root)
    po.chmod(0o640)
    (root / "content/index.md").write_text(page("Second text."))
    assert run("i18n", "update", str(root)).exit_code == 0
    assert "Second text." in po.read_text()
    assert stat.S_IMODE(po.stat().st_mode) == 0o640


@needs_msgfmt
def test_a_catalog_written_by_gettext_reads_back_the_same(tmp_path):
    source = po_text(
        "#, fuzzy\n"
        '#| msgid "Old"\n'
        'msgctxt "menu"\nmsgid "New"\nmsgstr "Nouveau"\n\n'
        'msgid "%(n)s day"\nmsgid_plural "%(n)s days"\nmsgstr[0] "%(n)s jour"\n'
        'msgstr[1] "%(n)s jours"\n\n'
        "#, fuzzy\n"
        '#~| msgid "Gone before"\n'
        '#~ msgid "Gone"\n#~ msgstr "Parti"\n'
    )
    catalog = read_po_bytes(source.encode())
    written = tmp_path / "fr.po"
    written.write_bytes(write_po_bytes(catalog))
    msgfmt_check(written)
    again = read_po_bytes(written.read_bytes())
    assert again.get("New", context="menu").string == "Nouveau"
    assert again.get("New", context="menu").previous_id == ["Old"]
    assert again["%(n)s day"].string == ("%(n)s jour", "%(n)s jours")
    gone = again.obsolete["Gone"]
    assert gone.fuzzy and gone.previous_id == ["Gone before"] and gone.string == "Parti"
