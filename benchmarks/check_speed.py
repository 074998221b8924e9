"""How long `packgen check` takes: the flagship pack, and a synthetic pack of many exercises.

Targets: under 3 s for the flagship and under 10 s for 2,000 exercises, on one
core. Run with `.venv/bin/python benchmarks/check_speed.py`; BENCH_EXERCISES
sets the size of the large pack, which is the synthetic pack of build_speed.py
(five languages, every catalog filled).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import REPO, make_pack

EXERCISES = int(os.environ.get("BENCH_EXERCISES", "2000"))


def timed_check(pack: Path) -> tuple[float, float]:
    """(wall-clock seconds, CPU seconds) of one `packgen check` run."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    before = os.times()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "packgen", "check", str(pack)],
        env=env,
        capture_output=True,
        text=True,
    )
    wall = time.perf_counter() - started
    after = os.times()
    if done.returncode not in (0, 1):
        sys.exit(f"packgen check failed:\n{done.stderr}")
    return wall, (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )


def main() -> None:
    wall, cpu = timed_check(REPO)
    print(f"flagship:                {wall:6.2f} s ({cpu:.2f} s CPU)")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "large"
        root.mkdir()
        make_pack(root, EXERCISES)
        wall, cpu = timed_check(root)
        print(f"{EXERCISES} exercises:         {wall:6.2f} s ({cpu:.2f} s CPU)")


if __name__ == "__main__":
    main()
