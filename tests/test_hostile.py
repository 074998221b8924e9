"""A pack is untrusted input: every case of tests/corpus/hostile/ is a pack a hostile partner wrote.

Each case is a small pack (the tiny pack with its files replaced or added,
and symlinks made) and the commands to run on it. For each case:

- every command exits as the case says, without a traceback, with a message
  naming the file and line (the case's `expect`);
- nothing ran: a marker file the payload would create (`{marker}`) is absent;
- nothing leaked: the payload token and the first line of /etc/passwd (what
  the symlinks and paths aim at) appear in no file under the pack's site/
  and build/ folders, nor in the text of a PDF, and no PDF has attachments.
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path

import pypdf
import pytest
import yaml
from click.testing import CliRunner

from packgen.cli import main

from .conftest import make_pack

CORPUS = Path(__file__).parent / "corpus" / "hostile"
CASES = sorted(CORPUS.glob("*.yml"))
PAYLOAD = "PWNED-9"
BASE_PACK = """\
id: tiny
title: Tiny pack
languages: [en]
contents:
  - page: index.md
  - exercise: first-steps
"""


def _system_line() -> str:
    return Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]


def _write_case(case: dict, root: Path, marker: Path) -> Path:
    files = {"pack.yml": BASE_PACK}
    files.update(case.get("files") or {})
    files = {rel: text.replace("{marker}", str(marker)) for rel, text in files.items()}
    make_pack(root, files)
    for rel, target in (case.get("symlinks") or {}).items():
        link = root / rel
        link.parent.mkdir(parents=True, exist_ok=True)
        link.unlink(missing_ok=True)  # a symlink may replace one of the tiny pack's files
        link.symlink_to(target)
    return root


def _files_under(folder: Path) -> list[Path]:
    if not folder.exists():
        return []
    found = []
    for current, _dirs, names in os.walk(folder, followlinks=False):
        found += [Path(current) / name for name in names]
    return found


def test_the_corpus_has_enough_cases():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case_file", CASES, ids=[c.stem for c in CASES])
def test_hostile_pack(case_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    case = yaml.safe_load(case_file.read_text(encoding="utf-8"))
    marker = tmp_path / "payload-ran"
    root = _write_case(case, tmp_path / "pack", marker)
    monkeypatch.chdir(root)  # messages then name files as the pack's authors see them
    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    for run in case["runs"]:
        args = shlex.split(run["args"])
        result = CliRunner().invoke(main, [*args, str(root)], catch_exceptions=False)
        output = result.output
        assert result.exit_code == run["exit"], f"{run['args']}:\n{output}"
        assert "Traceback" not in output and "internal error" not in output, output
        assert re.search(case["expect"], output), (
            f"{run['args']}: no {case['expect']!r} in\n{output}"
        )
        assert not marker.exists(), "the payload ran"
        assert _system_line() not in output, "a system file's content was printed"
    secret = _system_line()
    for path in _files_under(root / "site") + _files_under(root / "build"):
        data = path.read_bytes()
        assert PAYLOAD.encode() not in data, f"the payload reached {path.relative_to(root)}"
        assert secret.encode() not in data, f"/etc/passwd reached {path.relative_to(root)}"
        if path.suffix == ".pdf":  # its streams are compressed: look inside
            reader = pypdf.PdfReader(path)
            assert not reader.attachments, f"{path.relative_to(root)} has attachments"
            text = "".join(page.extract_text() or "" for page in reader.pages)
            assert PAYLOAD not in text and secret not in text, path.relative_to(root)
