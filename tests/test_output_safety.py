"""The output folder can't eat a pack: refusals, the lock, the swap, killed builds."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from packgen.errors import UsageProblem
from packgen.output import (
    MARKER,
    check_output,
    exchange,
    is_packgen_site,
    staged_output,
    swap_in,
    tidy_leftovers,
)

from .conftest import make_pack

PACKGEN = [sys.executable, "-m", "packgen"]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder with a hash of its bytes, to tell that nothing changed."""
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def packgen(
    *args: str, cwd: Path | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*PACKGEN, *args], capture_output=True, text=True, env=ENV, cwd=cwd, timeout=timeout
    )


@pytest.fixture
def pack(tmp_path: Path) -> Path:
    return make_pack(tmp_path / "pack")


@pytest.mark.parametrize("where", [".", "content", "exercises/sub", "..", "templates", ".git/x"])
def test_build_refuses_an_output_that_holds_or_lies_inside_the_pack(pack, where):
    (pack / ".git").mkdir()
    (pack / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    before = tree(pack.parent)
    result = packgen("build", str(pack), "--no-pdf", "--out", str(pack / where))
    assert result.returncode == 2, result.stderr
    assert "--out" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert tree(pack.parent) == before


def test_build_refuses_a_folder_that_is_not_a_packgen_site(pack, tmp_path):
    other = tmp_path / "documents"
    other.mkdir()
    (other / "report.docx").write_text("my only copy")
    with pytest.raises(UsageProblem, match="not a site packgen built"):
        check_output(other, [pack], pack / "build")
    assert (other / "report.docx").read_text() == "my only copy"
    (other / "report.docx").unlink()
    check_output(other, [pack], pack / "build")  # empty: nothing to lose


def test_a_site_an_earlier_version_built_is_recognised(tmp_path):
    site = tmp_path / "site"
    for lang in ("en", "fr"):
        (site / lang / "search").mkdir(parents=True)
        (site / lang / "sitemap.xml").write_text("<urlset/>")
        (site / lang / "search" / "search_index.json").write_text("{}")
    (site / "index.html").write_text("<html></html>")
    assert is_packgen_site(site)
    (site / "notes.txt").write_text("mine")
    assert not is_packgen_site(site)
    (site / "notes.txt").unlink()
    (site / "photos").mkdir()
    assert not is_packgen_site(site)


def test_exchange_swaps_two_folders_in_one_step(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "which").write_text("a")
    (b / "which").write_text("b")
    if not exchange(a, b):
        pytest.skip("this kernel or file system has no rename exchange; the fallback is tested")
    assert (a / "which").read_text() == "b" and (b / "which").read_text() == "a"


def test_the_swap_keeps_a_site_in_place_without_exchange(tmp_path, monkeypatch):
    import packgen.output

    monkeypatch.setattr(packgen.output, "exchange", lambda a, b: False)
    out, staging = tmp_path / "site", tmp_path / ".site.building-1"
    out.mkdir()
    (out / "old").write_text("old")
    staging.mkdir()
    (staging / "new").write_text("new")
    swap_in(staging, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "new").read_text() == "new"


def test_leftovers_of_killed_builds_are_tidied_and_a_moved_site_put_back(tmp_path):
    out = tmp_path / "site"
    moved = tmp_path / ".site.previous-99"
    moved.mkdir()
    (moved / MARKER).write_text("")
    (moved / "index.html").write_text("the old site")
    half = tmp_path / ".site.building-98"
    half.mkdir()
    (half / MARKER).write_text("")
    stranger = tmp_path / ".site.building-97"
    stranger.mkdir()
    (stranger / "thesis.tex").write_text("not packgen's")
    tidy_leftovers(out)
    assert (out / "index.html").read_text() == "the old site"
    assert not half.exists() and not moved.exists()
    assert (stranger / "thesis.tex").exists()


def test_a_failed_stage_leaves_the_previous_site_and_no_staging(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / MARKER).write_text("")
    (out / "index.html").write_text("previous")
    with pytest.raises(RuntimeError), staged_output(out) as staging:
        (staging / "index.html").write_text("half")
        raise RuntimeError("boom")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]
    assert (out / "index.html").read_text() == "previous"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """A tiny pack with a site built once; each test below works on its own copy."""
    root = make_pack(tmp_path_factory.mktemp("built") / "pack")
    result = packgen("build", str(root), "--no-pdf")
    assert result.returncode == 0, result.stderr
    return root


def _copy(built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "pack"
    shutil.copytree(built, root, symlinks=True)
    return root


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _wait_for(condition, limit: float = 60) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


POINTS = {
    "locked": lambda root: (root / ".build.lock").exists(),
    "staging": lambda root: any(root.glob(".site.building-*/en")),
    "mkdocs": lambda root: any(root.glob(".site.building-*/*/index.html")),
}


@pytest.mark.parametrize("point", list(POINTS))
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_a_killed_build_keeps_the_previous_site_and_the_next_leaves_nothing(
    built, tmp_path, point, sig
):
    root = _copy(built, tmp_path)
    site_before = tree(root / "site")
    sources_before = {k: v for k, v in tree(root).items() if not k.startswith(("site/", "build/"))}
    process = subprocess.Popen(
        [*PACKGEN, "build", str(root), "--no-pdf"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    reached = _wait_for(lambda: POINTS[point](root) or process.poll() is not None)
    assert reached
    if process.poll() is not None:
        pytest.fail(f"the build ended before {point}: {process.stderr.read()}")
    workers = _children(process.pid)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=30)
    expected = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGKILL: -9}[sig]
    if sig != signal.SIGKILL:
        assert process.returncode == expected, stderr
        assert "Traceback" not in stderr, stderr
        assert stderr.strip().splitlines()[-1].startswith("packgen: ")
        assert not list(root.glob(".site.*")), "a stopped build removes its staging folder"
    else:
        assert process.returncode == expected
    assert _wait_for(lambda: not any(_alive(pid) for pid in workers), 20), "workers outlived it"
    assert tree(root / "site") == site_before
    locks = (".site.lock", ".build.lock")  # only SIGKILL leaves them; the next build removes them
    after = {
        k: v
        for k, v in tree(root).items()
        if not k.startswith(("site/", "build/", ".site.building-")) and k not in locks
    }
    assert after == sources_before
    if sig != signal.SIGKILL:
        return  # nothing was left behind (asserted above); only SIGKILL leaves work to tidy
    again = packgen("build", str(root), "--no-pdf", "--lang", "en")
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in root.iterdir() if p.name.startswith((".site", ".build"))) == []
    assert (root / "site" / "en" / "index.html").is_file()


def test_two_builds_into_one_output_both_finish_and_leave_a_whole_site(built, tmp_path):
    root = _copy(built, tmp_path)
    out = tmp_path / "shared"
    runs = [
        subprocess.Popen(
            [*PACKGEN, "build", str(root), "--no-pdf", "--out", str(out)],
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    assert any("waiting for it to finish" in err for _, err in outputs)
    for lang in ("en", "fr", "ar"):
        assert (out / lang / "index.html").is_file()
        assert (out / lang / "search" / "search_index.js").is_file()
    assert (out / "index.html").is_file() and (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack", "shared"]


def test_a_full_disk_is_a_clear_error_and_the_previous_site_stays(tmp_path, monkeypatch):
    import errno

    import packgen.build_stages
    from packgen.build import build
    from packgen.errors import BuildFailed

    root = make_pack(tmp_path / "pack")
    build(root, languages=["en"], printables=False)
    before = tree(root / "site")

    def full(pack, codes, titles, staging):
        raise OSError(errno.ENOSPC, "No space left on device", str(staging / "index.html"))

    monkeypatch.setattr(packgen.build_stages, "_write_chooser", full)
    with (root / "content/index.md").open("a", encoding="utf-8") as page:
        page.write("\nOne more line, so that the build has something to write.\n")
    with pytest.raises(BuildFailed, match="No space left on device; the previous site is kept"):
        build(root, languages=["en"], printables=False)
    assert tree(root / "site") == before
    assert not list(root.glob(".site.*")) and not list(root.glob(".build.*"))


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_a_build_stopped_while_drawing_pdfs_says_one_line(built, tmp_path, sig):
    root = _copy(built, tmp_path)
    shutil.rmtree(root / "build", ignore_errors=True)
    site_before = tree(root / "site")
    process = subprocess.Popen(
        [*PACKGEN, "build", str(root), "--lang", "en"],
        env=ENV,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert _wait_for(lambda: any((root / "build").glob("en/print/*.html")))
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:
        pytest.skip("the PDFs were drawn before the signal arrived")
    assert process.returncode == (130 if sig == signal.SIGINT else 143), stderr
    assert "Traceback" not in stderr, stderr
    assert stderr.strip().splitlines()[-1].startswith("packgen: ")
    assert tree(root / "site") == site_before
    assert not list(root.glob(".site.*")) and not list(root.glob(".build.*"))
