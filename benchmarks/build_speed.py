"""Build speed and size of a large synthetic pack, as ratios against plain MkDocs.

The baseline is a plain `mkdocs build` of the English Markdown that packgen
generated, measured in the same run on the same machine; the figures printed
are packgen's cost over it. Run with `make benchmark`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
EXERCISES = int(os.environ.get("BENCH_EXERCISES", "150"))


def make_pack(root: Path) -> None:
    shutil.copytree(REPO / "templates", root / "templates")
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "locales", root / "locales")
    source = yaml.safe_load((REPO / "exercises/set-meeting.yml").read_text(encoding="utf-8"))
    source.pop("related", None)
    (root / "exercises").mkdir()
    (root / "content").mkdir()
    (root / "content/index.md").write_text("# Benchmark\n\nA large pack.\n", encoding="utf-8")
    entries = []
    for i in range(EXERCISES):
        key = f"exercise-{i:04d}"
        text = yaml.safe_dump({**source, "id": key}, allow_unicode=True, sort_keys=False)
        (root / "exercises" / f"{key}.yml").write_text(text, encoding="utf-8")
        entries.append(f"      - exercise: {key}")
    (root / "pack.yml").write_text(
        "id: bench\ntitle: Benchmark\nlanguages: [en, fr, ar]\ncontents:\n"
        "  - page: index.md\n  - section: Exercises\n    contents:\n" + "\n".join(entries) + "\n",
        encoding="utf-8",
    )


def timed(command: list[str], cwd: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"{command[0]} failed:\n{done.stderr}")
    return time.perf_counter() - started


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def main() -> None:
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        root.mkdir()
        make_pack(root)
        packgen = timed([str(bindir / "packgen"), "-q", "build", "--out", "site"], root)
        baseline_dir = root / "build/en"
        config = baseline_dir / "mkdocs.yml"
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["site_dir"] = str(root / "plain")
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        baseline = timed([str(bindir / "mkdocs"), "build", "-q", "-f", str(config)], root)
        languages = 3
        print(f"pack: {EXERCISES} exercises x {languages} languages")
        print(f"baseline (plain MkDocs, one language): {baseline:.2f} s")
        print(f"packgen build, all languages:          {packgen:.2f} s")
        print(f"time ratio per language:               {packgen / languages / baseline:.2f}")
        per_language = size(root / "site/en")
        print(f"size ratio (en site / plain MkDocs):   {per_language / size(root / 'plain'):.2f}")
        print(f"site size per language:                {per_language / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
