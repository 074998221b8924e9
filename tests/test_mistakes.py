"""Every mistake in tests/corpus/mistakes/ gets a located message, the right exit code, fast.

Each case is a YAML file: what it writes over the minimal fixture pack
(`files`: whole texts, or edits of the fixture's own files), the command
(`args`, default `build --no-pdf`) and what is expected: the exit code, the
`file:line` the message starts with and a fragment of it. Every case also
asserts that the run ends within 10 s and 500 MB, prints no traceback, and
leaves the previous site and the pack's own files as they were; and that
`check` finds what `build` found.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from packgen.cli import main

from .conftest import make_pack
from .test_output_safety import tree

CORPUS = Path(__file__).parent / "corpus" / "mistakes"
CASES = sorted(CORPUS.glob("*.yml"))
LIMIT_SECONDS = 10
LIMIT_MEMORY_KB = 500 * 1024
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def load_case(path: Path) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def apply(case: dict[str, Any], root: Path) -> None:
    """Write the case's files over the pack at root."""
    for folder in case.get("dirs", []):
        (root / folder).mkdir(parents=True, exist_ok=True)
    for rel, spec in (case.get("files") or {}).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(spec, str):
            target.write_text(spec, encoding="utf-8")
            continue
        if "text" in spec:
            text = spec["text"]
        elif "copy" in spec:
            text = (root / spec["copy"]).read_text(encoding="utf-8")
        else:
            text = target.read_text(encoding="utf-8") if target.is_file() else ""
        if "replace" in spec:
            assert spec["replace"] in text, f"{rel} has no {spec['replace']!r} to replace"
            text = text.replace(spec["replace"], spec["with"], 1)
        text += spec.get("append", "") + spec.get("then", "") * spec.get("repeat", 1)
        if "newline" in spec:
            text = text.replace("\n", spec["newline"])
        if spec.get("bom"):
            text = "\ufeff" + text
        target.write_bytes(text.encode(spec.get("encoding", "utf-8")))


def own_files(root: Path) -> dict[str, str]:
    """The pack's files: everything but the site and the work folder packgen writes."""
    return {k: v for k, v in tree(root).items() if not k.startswith(("site/", "build/"))}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    """The minimal fixture pack with a site built, copied for each case."""
    root = make_pack(tmp_path_factory.mktemp("corpus") / "pack")
    done = subprocess.run(
        [sys.executable, "-m", "packgen", "build", "--no-pdf", str(root)],
        env=ENV,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return root


def run_limited(args: list[str], cwd: Path) -> tuple[int, str, int]:
    """(exit code, output, peak memory in kB) of a packgen run, killed after LIMIT_SECONDS."""
    with tempfile.TemporaryFile() as output:
        process = subprocess.Popen(
            [sys.executable, "-m", "packgen", *args],
            cwd=cwd,
            env=ENV,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        timer = threading.Timer(LIMIT_SECONDS, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        return process.returncode, output.read().decode("utf-8", "replace"), usage.ru_maxrss


def test_the_corpus_is_large_enough():
    assert len(CASES) >= 60


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_mistake(path: Path, base: Path, tmp_path: Path):
    case = load_case(path)
    expect = case["expect"]
    root = tmp_path / "pack"
    shutil.copytree(base, root, symlinks=True)
    apply(case, root)
    site_before = tree(root / "site")
    files_before = own_files(root)
    args = [*(case.get("args") or ["build", "--no-pdf"]), "."]

    code, output, memory_kb = run_limited(args, root)

    assert code != -9, f"still running after {LIMIT_SECONDS} s:\n{output}"
    assert "Traceback" not in output and "internal error" not in output, output
    assert code == expect["exit"], output
    assert expect["says"] in output, output
    if expect["where"]:
        lines = output.splitlines()
        assert any(line.startswith(expect["where"]) for line in lines), output
    assert memory_kb < LIMIT_MEMORY_KB, f"{memory_kb // 1024} MB"
    assert tree(root / "site") == site_before, "the previous site changed"
    assert own_files(root) == files_before, "the pack's own files changed"
    assert not list(root.glob(".site.*")) and not list(root.glob(".build.*"))

    if args[0] == "build" and expect["exit"] == 1:
        # check finds what build finds, at the same place.
        strict = ["--strict"] if "--strict" in args else []
        previous = Path.cwd()
        os.chdir(root)
        try:
            checked = CliRunner().invoke(main, ["check", *strict, "."])
        finally:
            os.chdir(previous)
        assert checked.exit_code == 1, checked.output
        assert expect["says"] in checked.output
        if expect["where"]:
            assert any(line.startswith(expect["where"]) for line in checked.output.splitlines())
