"""Shared fixtures: small packs written into temporary folders, and built sites."""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, sync_playwright

if TYPE_CHECKING:
    from packgen.build import BuildReport

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"

PACK_YML = """\
id: tiny
title: Tiny pack
languages: [en, fr, ar]
contents:
  - page: index.md
  - exercise: first-steps
"""

EXERCISE_YML = """\
id: first-steps
kind: challenge-clinic
title: First steps
summary: A short exercise.
purpose: Practise asking questions.
when_to_use: [Any time.]
group_size: {min: 2, max: 5}
duration: 15
steps:
  - title: Ask
    minutes: 10
    instructions: Ask open questions.
  - title: Act
    minutes: 5
    instructions: Choose one action.
"""

INDEX_MD = "# Tiny home\n\nWelcome to the tiny pack.\n"

WritePack = Callable[..., Path]


def make_pack(root: Path, files: dict[str, str] | None = None) -> Path:
    """Write a minimal valid pack at root, then any files given as {relative path: text}."""
    root.mkdir(parents=True, exist_ok=True)
    defaults = {
        "pack.yml": PACK_YML,
        "exercises/first-steps.yml": EXERCISE_YML,
        "content/index.md": INDEX_MD,
    }
    for rel, text in {**defaults, **(files or {})}.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def own_template(root: Path, name: str) -> Path:
    """packgen's default template copied into the pack's templates/, as an author would."""
    from packgen.paths import DEFAULTS_DIR

    target = root / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEFAULTS_DIR / "templates" / name, target)
    return target


@pytest.fixture
def write_pack(tmp_path: Path) -> WritePack:
    """make_pack in this test's temporary folder; `name` picks the pack's folder."""

    def write(files: dict[str, str] | None = None, *, name: str = "pack") -> Path:
        return make_pack(tmp_path / name, files)

    return write


@pytest.fixture(scope="session")
def mini_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini fixture pack (which extends the flagship pack), built once for the session.

    Strict: a warning (a broken link, a broken translation) fails every test that uses it.
    """
    from packgen.build import build

    work = tmp_path_factory.mktemp("mini")
    out = work / "site"
    build(FIXTURES / "mini", out, work_dir=work / "build", strict=True)
    return work


READERS_EPOCH = "1764633600"  # 2025-12-02
"""SOURCE_DATE_EPOCH of the readers fixture's build, for builds that must give the same files."""


@pytest.fixture(scope="session")
def readers_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BuildReport]:
    """The readers fixture pack built once, PDFs included, dated by SOURCE_DATE_EPOCH.

    Returns the work folder and the build's report: site/ is the built site, build/ the
    work folder of the build, unzipped/<zip name>/ each bundle.
    """
    import zipfile

    from packgen.build import build

    work = tmp_path_factory.mktemp("readers")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", READERS_EPOCH)
        report = build(FIXTURES / "readers", work / "site", work_dir=work / "build", strict=True)
    for bundle in sorted((work / "site/downloads").glob("*.zip")):
        with zipfile.ZipFile(bundle) as archive:
            archive.extractall(work / "unzipped" / bundle.name)
    return work, report


@pytest.fixture(scope="session")
def readers_site(readers_build: tuple[Path, BuildReport]) -> Path:
    """The work folder of the readers fixture's build (see readers_build)."""
    return readers_build[0]


# Debian's Chromium, as every browser test opens it: headless, quiet, with no network of its own.
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()
