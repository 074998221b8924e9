"""Property tests: whatever a definition, page or catalog holds, packgen answers with a location.

Generated inputs never end in an internal error (exit 3) from `check` or
`build`, and every problem reported names a file; catalogs packgen writes
read back as they were and pass `msgfmt --check`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from babel.messages.catalog import Catalog, Message
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from packgen.build import check
from packgen.cli import main
from packgen.i18n.pofile import PoSyntaxError, read_po_bytes, write_po_bytes

from .conftest import EXERCISE_YML, make_pack

# Few examples keep the suite fast; PACKGEN_EXAMPLES=500 searches harder.
FEW = settings(
    max_examples=int(os.environ.get("PACKGEN_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    database=None,
)
BUILDS = settings(max_examples=4, deadline=None, database=None)

KEYS = [
    "id",
    "kind",
    "title",
    "summary",
    "purpose",
    "when_to_use",
    "group_size",
    "duration",
    "steps",
    "related",
    "min",
    "max",
    "minutes",
    "instructions",
    "materials",
]
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["first-steps", "challenge-clinic", "tacit-tool", "learning-log", "10"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS), inner, max_size=6)
    ),
    max_leaves=20,
)
definitions = st.dictionaries(st.sampled_from(KEYS), values, min_size=0, max_size=10)
markdown_pieces = st.sampled_from(
    [
        "# Heading\n",
        "Some text. ",
        "[a link](other.md)",
        "[home](index.md#top)",
        "![image](img/x.png)",
        "[web](https://example.org)",
        "{{ not a template }}",
        "`code`",
        "*emphasis*",
        "\n\n",
        "- item\n",
        "| a | b |\n|---|---|\n| 1 | 2 |\n",
        "<div>html</div>",
        "]([(",
        "\t",
        "é ü 中文 العربية",
    ]
)
markdown = st.lists(st.one_of(markdown_pieces, st.text(max_size=20)), max_size=12).map("".join)


@contextmanager
def pack_with(files: dict[str, str | bytes]) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        root = make_pack(Path(folder) / "pack")
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(content, encoding="utf-8")
        yield root


def assert_located(root: Path) -> None:
    """check runs to the end and every problem it finds names a file."""
    _, problems = check(root)
    for problem in problems.items:
        assert problem.location.path, problem
        assert problem.location.line or "MB" in problem.message or "not UTF-8" in problem.message


def assert_no_internal_error(*args: str) -> int:
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 3, result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code


@FEW
@given(definitions)
def test_any_definition_gets_located_answers(data):
    text = yaml.safe_dump(data, allow_unicode=True)
    with pack_with({"exercises/generated.yml": text}) as root:
        assert_located(root)
        assert assert_no_internal_error("check", str(root)) in (0, 1)


@FEW
@given(st.text(max_size=200))
def test_any_text_as_a_definition_gets_located_answers(text):
    with pack_with({"exercises/first-steps.yml": text}) as root:
        assert_located(root)
        assert assert_no_internal_error("check", str(root)) == 1


@FEW
@given(st.binary(max_size=200))
def test_any_bytes_as_a_definition_or_page_get_located_answers(data):
    with pack_with({"exercises/first-steps.yml": EXERCISE_YML.encode() + data}) as root:
        assert_no_internal_error("check", str(root))
    with pack_with({"content/index.md": b"# Home\n\n" + data}) as root:
        assert_no_internal_error("check", str(root))


@FEW
@given(markdown)
def test_any_page_gets_located_answers(text):
    with pack_with({"content/index.md": text}) as root:
        assert_located(root)
        assert assert_no_internal_error("check", "--strict", str(root)) in (0, 1)


@BUILDS
@given(markdown, st.sampled_from(["Ask open questions.", "See [x](nowhere.md).", "{{ x }}"]))
def test_build_never_ends_in_an_internal_error(page, instructions):
    exercise = EXERCISE_YML.replace("Ask open questions.", instructions)
    files = {"content/index.md": page, "exercises/first-steps.yml": exercise}
    with pack_with(files) as root:
        code = assert_no_internal_error("build", "--no-pdf", "--lang", "en", str(root))
        assert code in (0, 1)
        if code == 1:
            assert (root / "site").exists() is False


# What extraction can put in a catalog: any text but control characters (pages holding
# one are refused), with newlines and tabs.
po_text = st.text(
    st.characters(blacklist_categories=["Cs", "Cc"]) | st.sampled_from("\n\t"), max_size=120
) | st.sampled_from(["", "\n", "a\nb\n", 'say "hi"\\', " lead", "trail ", "x" * 200 + "\n" * 3])


@st.composite
def catalogs(draw) -> Catalog:
    catalog = Catalog(locale="fr", fuzzy=False, charset="utf-8")
    for msgid in draw(st.lists(po_text.filter(bool), max_size=6, unique=True)):
        fuzzy = draw(st.booleans())
        catalog.add(
            msgid,
            # A translation keeps the source's leading and trailing newlines, as msgfmt asks.
            draw(st.sampled_from([msgid, msgid.upper(), ""])),
            flags=["fuzzy"] if fuzzy else [],
            previous_id=[draw(po_text.filter(bool))] if fuzzy and draw(st.booleans()) else [],
            context=draw(st.none() | st.sampled_from(["menu", "page"])),
        )
    for msgid in draw(st.lists(po_text.filter(bool), max_size=3, unique=True)):
        if msgid not in catalog:
            flags = ["fuzzy"] if draw(st.booleans()) else []
            catalog.obsolete[msgid] = Message(msgid, draw(po_text), flags=flags)
    return catalog


def _entries(catalog: Catalog) -> list[tuple]:
    live = [
        (m.id, m.context, m.string, m.fuzzy, list(m.previous_id) if m.fuzzy else [])
        for m in catalog
        if m.id
    ]
    gone = [(m.id, m.string, m.fuzzy) for m in catalog.obsolete.values()]
    return sorted(map(repr, live)) + sorted(map(repr, gone))


MSGFMT = shutil.which("msgfmt")


@FEW
@given(catalogs())
def test_catalogs_read_back_as_written_and_pass_msgfmt(catalog):
    data = write_po_bytes(catalog)
    again = read_po_bytes(data)
    assert _entries(again) == _entries(catalog)
    assert write_po_bytes(again) == data
    if MSGFMT:
        with tempfile.NamedTemporaryFile(suffix=".po") as handle:
            handle.write(data)
            handle.flush()
            result = subprocess.run(
                [MSGFMT, "--check", "-o", os.devnull, handle.name],
                capture_output=True,
                text=True,
            )
            assert result.returncode == 0, result.stderr + data.decode()


po_lines = st.sampled_from(
    [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        'msgid "First steps"',
        'msgstr "Premiers pas"',
        'msgstr "unterminated',
        "#, fuzzy",
        '#| msgid "old"',
        '#~ msgid "gone"',
        '#~ msgstr "parti"',
        'msgid_plural "many"',
        'msgstr[0] "un"',
        'msgctxt "menu"',
        '"continued"',
        "# comment",
        "",
        "garbage here",
        '"charset=latin-1"',
    ]
)


@FEW
@given(st.lists(po_lines | st.text(max_size=20), max_size=15))
def test_any_catalog_text_is_read_or_refused_at_a_line(lines):
    data = "\n".join(lines).encode("utf-8")
    try:
        read_po_bytes(data)
    except PoSyntaxError as exc:
        assert exc.line >= 1
    with pack_with({"locales/fr/LC_MESSAGES/pack.po": data}) as root:
        assert_located(root)
        assert_no_internal_error("check", str(root))


@pytest.mark.parametrize("size", [1, 5000])
def test_catalog_strings_of_any_length_pass_msgfmt(tmp_path, size):
    if not MSGFMT:
        pytest.skip("gettext's msgfmt is not installed")
    catalog = Catalog(locale="fr", fuzzy=False)
    text = ('a "word" \\ ' * size) + "\n" + "b" * size
    catalog.add(text, text.upper(), flags=["fuzzy"], previous_id=[text + " old"])
    path = tmp_path / "fr.po"
    path.write_bytes(write_po_bytes(catalog))
    subprocess.run([MSGFMT, "--check", "-o", os.devnull, str(path)], check=True)
