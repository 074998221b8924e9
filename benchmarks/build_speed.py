"""Build speed and size of a large synthetic pack, as ratios against plain MkDocs.

The baseline is a plain `mkdocs build` of the English Markdown that packgen
generated, measured in the same run on the same machine; the figures printed
are packgen's cost over it. The large pack is built without its PDFs (a
1,500-page book per language would take minutes); the PDFs are measured on a
smaller pack, against that pack's own site-only build. Run with `make benchmark`.
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
PDF_EXERCISES = int(os.environ.get("BENCH_PDF_EXERCISES", "8"))
LANGUAGES = 3


def build_command(bindir: Path, out: str, *, printables: bool) -> list[str]:
    """packgen's build through its Python API, which can leave the PDFs out."""
    code = (
        "from pathlib import Path; from packgen.build import build; "
        f"build(Path('.'), Path({out!r}), printables={printables})"
    )
    return [str(bindir / "python"), "-c", f"if __name__ == '__main__': {code}"]


def make_pack(root: Path, exercises: int = EXERCISES) -> None:
    # Templates and MkDocs settings come with packgen; a pack copies them only to change them.
    if (REPO / "templates").is_dir():
        shutil.copytree(REPO / "templates", root / "templates")
    if (REPO / "mkdocs.yml").is_file():
        shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    shutil.copytree(REPO / "locales", root / "locales")
    source = yaml.safe_load((REPO / "exercises/set-meeting.yml").read_text(encoding="utf-8"))
    source.pop("related", None)
    (root / "exercises").mkdir()
    (root / "content").mkdir()
    (root / "content/index.md").write_text("# Benchmark\n\nA large pack.\n", encoding="utf-8")
    entries = []
    for i in range(exercises):
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


def pdf_figures(bindir: Path, tmp: str) -> None:
    root = Path(tmp) / "pdf-pack"
    root.mkdir()
    make_pack(root, PDF_EXERCISES)
    site_only = timed(build_command(bindir, "site-only", printables=False), root)
    cold = timed(build_command(bindir, "site", printables=True), root)
    warm = timed(build_command(bindir, "site", printables=True), root)
    files = sorted((root / "site/en/downloads").rglob("*.pdf"))
    per_language = sum(p.stat().st_size for p in files)
    print(f"PDF pack: {PDF_EXERCISES} exercises x {LANGUAGES} languages, {len(files)} PDFs each")
    print(f"site only (no PDFs), all languages:    {site_only:.2f} s")
    print(f"with PDFs, first build:                {cold:.2f} s")
    print(f"with PDFs, nothing changed (reused):   {warm:.2f} s")
    print(f"time ratio, PDFs drawn / site only:    {cold / site_only:.2f}")
    print(f"time ratio, PDFs reused / site only:   {warm / site_only:.2f}")
    print(f"PDF size per language:                 {per_language / 1e6:.2f} MB")
    for folder in ("checklists", "guides"):
        sizes = [p.stat().st_size for p in files if p.parent.name == folder]
        label = f"average {folder[:-1]} PDF:"
        print(f"{label:<39}{sum(sizes) / max(1, len(sizes)) / 1e3:.0f} kB")


def main() -> None:
    bindir = Path(sys.executable).parent
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "pack"
        root.mkdir()
        make_pack(root)
        packgen = timed(build_command(bindir, "site", printables=False), root)
        baseline_dir = root / "build/en"
        config = baseline_dir / "mkdocs.yml"
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["site_dir"] = str(root / "plain")
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        baseline = timed([str(bindir / "mkdocs"), "build", "-q", "-f", str(config)], root)
        print(f"pack: {EXERCISES} exercises x {LANGUAGES} languages")
        print(f"baseline (plain MkDocs, one language): {baseline:.2f} s")
        print(f"packgen build, all languages:          {packgen:.2f} s")
        print(f"time ratio per language:               {packgen / LANGUAGES / baseline:.2f}")
        per_language = size(root / "site/en")
        print(f"size ratio (en site / plain MkDocs):   {per_language / size(root / 'plain'):.2f}")
        print(f"site size per language:                {per_language / 1e6:.1f} MB")
        pdf_figures(bindir, tmp)


if __name__ == "__main__":
    main()
