"""Measuring tools for the benchmarks: timed commands with their peak memory, files, the machine."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

PAGE = os.sysconf("SC_PAGE_SIZE")
POLL = 0.05
PACKAGES = ["packgen", "mkdocs", "mkdocs-material", "weasyprint", "PyYAML", "pydantic", "Jinja2"]


@dataclass
class Run:
    seconds: float
    peak_tree: int
    """Most memory (RSS, bytes) the command and all its processes held at one moment."""
    peak_process: int
    """Most memory (RSS, bytes) any one of its processes held."""
    stdout: str
    stderr: str
    returncode: int = 0


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children", encoding="ascii") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _rss(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as handle:
            return int(handle.read().split()[1]) * PAGE
    except (OSError, IndexError, ValueError):
        return 0


def tree_rss(pid: int) -> tuple[int, int]:
    """(sum, largest) of the RSS of pid and every process below it, now."""
    total = largest = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        rss = _rss(current)
        total += rss
        largest = max(largest, rss)
        pending += _children(current)
    return total, largest


def run(command: list[str], *, cwd: Path | None = None, check: bool = True) -> Run:
    """Run command to its end; its wall-clock time and the peak memory of its process tree.

    Memory is polled from /proc every 50 ms: getrusage(RUSAGE_CHILDREN) gives only the
    largest single process over the whole benchmark, not the tree of one build at once.
    """
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    peaks = [0, 0]
    done = threading.Event()

    def poll() -> None:
        while not done.is_set():
            total, largest = tree_rss(process.pid)
            peaks[0], peaks[1] = max(peaks[0], total), max(peaks[1], largest)
            done.wait(POLL)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    watcher.join()
    if check and process.returncode:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stdout}\n{stderr}")
    return Run(seconds, peaks[0], peaks[1], stdout, stderr, process.returncode)


def size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def snapshot(folder: Path) -> dict[str, int]:
    """Every file under folder with its modification time (ns)."""
    return {
        p.relative_to(folder).as_posix(): p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and not p.is_symlink()
    }


@dataclass
class Changes:
    rewritten: list[str]
    added: list[str]
    removed: list[str]

    @property
    def count(self) -> int:
        return len(self.rewritten) + len(self.added) + len(self.removed)

    def top_folders(self) -> list[str]:
        """The first part of each path that changed: a language's folder, downloads, a file."""
        paths = self.rewritten + self.added + self.removed
        return sorted({path.split("/", 1)[0] for path in paths})


def compare(before: dict[str, int], after: dict[str, int]) -> Changes:
    return Changes(
        rewritten=sorted(p for p in before.keys() & after.keys() if before[p] != after[p]),
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
    )


def machine() -> dict[str, str]:
    """What the figures were measured on: cores, CPU, memory, load, Python, key packages."""
    cpu = "unknown"
    memory = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GB"
                break
    except OSError:
        pass
    try:
        import yaml

        libyaml = "yes" if getattr(yaml, "__with_libyaml__", False) else "no"
    except ImportError:
        libyaml = "no"
    versions = []
    for name in PACKAGES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            continue
    return {
        "cores": str(os.cpu_count()),
        "CPU": cpu,
        "RAM": memory,
        "load average at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
        "system": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "packages": ", ".join(versions),
        "libyaml": libyaml,
    }
