"""Every command and exit code, through the real entry points."""

from __future__ import annotations

import os
import subprocess
import sys

from click.testing import CliRunner

from packgen.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_check_clean_pack_exits_0(write_pack):
    result = run("check", str(write_pack()))
    assert result.exit_code == 0, result.output
    assert "tiny is valid: 1 definitions, 1 pages, 3 languages" in result.output


def test_check_reports_every_problem_and_exits_1(write_pack):
    root = write_pack(
        {
            "exercises/bad.yml": "id: bad\nkind: tacit-tool\ntitel: X\n",
            "exercises/worse.yml": "id: worse\nkind: [oops\n",
        }
    )
    result = run("check", str(root))
    assert result.exit_code == 1
    assert "bad.yml:3:1: unknown key 'titel'; did you mean 'title'?" in result.output
    assert "worse.yml:3:" in result.output and "invalid YAML" in result.output
    assert "bad.yml:1:1: missing required keys: 'summary', 'purpose'," in result.output
    assert "Traceback" not in result.output
    assert "the pack has problems" in result.output


def test_check_strict_fails_on_warnings(write_pack):
    root = write_pack()
    exercise = root / "exercises/first-steps.yml"
    exercise.write_text(exercise.read_text().replace("duration: 15", "duration: 16"))
    assert run("check", str(root)).exit_code == 0
    result = run("check", "--strict", str(root))
    assert result.exit_code == 1
    assert "warning: duration is 16 minutes but the steps add up to 15" in result.output


def test_check_outside_a_pack_says_so(tmp_path):
    result = run("check", str(tmp_path))
    assert result.exit_code == 2
    assert "not a pack: no pack.yml here" in result.output


def test_build_unknown_language_is_a_usage_error(write_pack):
    result = run("build", str(write_pack()), "--lang", "de")
    assert result.exit_code == 2
    assert "--lang de: not a language of this pack (it has en, fr, ar)" in result.output


def test_build_writes_site_and_reports_where(write_pack, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(write_pack()), "--out", str(out), "--lang", "en")
    assert result.exit_code == 0, result.output
    assert (out / "en" / "index.html").is_file()
    assert not (out / "fr").exists()
    assert f"open {out / 'index.html'}" in result.output
    assert (out / "en/downloads/tiny.pdf").is_file()
    size = (out / "downloads/tiny-en.zip").stat().st_size
    assert f"offline bundle downloads/tiny-en.zip: {size / 1_000_000:.2f} MB" in result.output


def test_build_without_pdfs_leaves_out_files_and_links(write_pack, tmp_path):
    out = tmp_path / "out"
    result = run("build", str(write_pack()), "--out", str(out), "--lang", "en", "--no-pdf")
    assert result.exit_code == 0, result.output
    assert not (out / "en/downloads").exists()
    page = (out / "en/exercises/first-steps.html").read_text(encoding="utf-8")
    assert ".pdf" not in page


def test_quiet_build_prints_nothing_on_success(write_pack, tmp_path):
    result = run("-q", "build", str(write_pack()), "--out", str(tmp_path / "o"), "--lang", "en")
    assert result.exit_code == 0
    assert result.output == ""


def test_python_dash_m_and_console_script_work(write_pack):
    root = write_pack()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    module = subprocess.run(
        [sys.executable, "-m", "packgen", "check", str(root)],
        capture_output=True,
        text=True,
        env=env,
    )
    assert module.returncode == 0, module.stderr
    script = subprocess.run(
        [os.path.join(os.path.dirname(sys.executable), "packgen"), "--version"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert script.returncode == 0 and "packgen, version" in script.stdout
