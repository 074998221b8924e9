"""The generated Markdown of the mini fixture pack, compared with the reviewed copy in golden/.

After an intended change to templates or translations, regenerate with
`UPDATE_GOLDEN=1 pytest tests/test_golden.py` and review the diff.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "mini"


def generated_files(root: Path) -> dict[str, str]:
    files = {}
    for lang_dir in sorted(root.iterdir()):
        for path in sorted((lang_dir / "docs").rglob("*.md")):
            files[f"{lang_dir.name}/{path.relative_to(lang_dir / 'docs').as_posix()}"] = (
                path.read_text(encoding="utf-8")
            )
    return files


def test_generated_markdown_matches_golden(mini_site):
    produced = generated_files(mini_site / "build")
    if os.environ.get("UPDATE_GOLDEN"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in produced.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = {
        path.relative_to(GOLDEN).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(GOLDEN.rglob("*.md"))
    }
    assert sorted(produced) == sorted(expected)
    for rel, text in expected.items():
        assert produced[rel] == text, f"{rel} differs from tests/golden/mini/{rel}"
