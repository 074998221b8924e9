"""Writing a folder the way an incremental build needs: only the files whose bytes change.

A build describes the whole folder it wants (each file's bytes, or the file
to copy them from); the folder is then made to match: a file with the same
bytes is left alone, with its time, a changed one is replaced, one no longer
wanted is removed. The digest of the wanted folder comes for free, and is
what tells whether the folder's consumer (MkDocs) has anything new to do.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from packgen.fingerprint import text_digest

Source = bytes | Path


class FolderWriter:
    """The wanted content of one folder, added file by file, then written in one go."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, Source] = {}

    def put(self, relative: str, data: str | bytes) -> None:
        self.files[relative] = data.encode("utf-8") if isinstance(data, str) else data

    def copy(self, relative: str, source: Path) -> None:
        self.files[relative] = source

    def copy_tree(
        self,
        source: Path,
        prefix: str = "",
        *,
        keep: Callable[[str], bool] = lambda _name: True,
        replace: bool = True,
    ) -> None:
        """Every file under source, at prefix; replace=False keeps files already wanted."""
        for current, dirs, names in os.walk(source, followlinks=False):
            dirs.sort()
            for name in sorted(names):
                path = Path(current) / name
                if not keep(name) or not path.is_file():
                    continue
                relative = (Path(prefix) / path.relative_to(source)).as_posix()
                if replace or relative not in self.files:
                    self.files[relative] = path

    def __contains__(self, relative: str) -> bool:
        return relative in self.files

    def sync(self) -> str:
        """Make the folder hold exactly the wanted files; returns the digest of its content."""
        parts: list[str] = []
        for relative in sorted(self.files):
            source = self.files[relative]
            data = source.read_bytes() if isinstance(source, Path) else source
            target = self.root / relative
            parts.append(f"{relative}:{hashlib.sha256(data).hexdigest()}")
            if not _same_bytes(target, data):
                target.parent.mkdir(parents=True, exist_ok=True)
                if target.is_dir() and not target.is_symlink():
                    shutil.rmtree(target)
                target.write_bytes(data)
        self._remove_others()
        return text_digest(*parts)

    def _remove_others(self) -> None:
        if not self.root.is_dir():
            return
        # Deepest first, so that folders emptied on the way are removed too.
        for current, dirs, names in os.walk(self.root, topdown=False):
            folder = Path(current)
            for name in names:
                path = folder / name
                if path.relative_to(self.root).as_posix() not in self.files:
                    path.unlink()
            for name in dirs:
                path = folder / name
                if path.is_symlink():
                    path.unlink()
                elif not any(path.iterdir()):
                    path.rmdir()


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
