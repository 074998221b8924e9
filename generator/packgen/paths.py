"""Paths a pack names, resolved inside the pack or refused.

A pack is untrusted: a logo given as `/etc/passwd`, an image at `../../x`, or
a symlink in `content/` pointing at a system file would otherwise be copied
into every language's site, its search index and the PDFs. Every path is
resolved (symlinks included) and must end inside the pack folder it belongs
to. The one way out of a pack is `extends:`, to another pack.
"""

from __future__ import annotations

import errno
import os
import posixpath
import re
from pathlib import Path

from packgen.errors import Location, Problems
from packgen.loader import display_path

TEMPLATES_DIR = "templates"
"""Where a pack (or a layer under it) keeps its page, print and interface templates."""
DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
"""packgen's own templates, MkDocs settings and interface catalogs: the last layer of every pack.

Read like any other layer (its files pass the same checks) but never written to:
every command writes into the pack's own folder only.
"""
DOWNLOADS = "downloads"
"""Where in a language's site (and its work folder) the PDFs are published."""
CHECKED_FOLDERS = ("content", "exercises", "templates", "locales", "overrides")
"""Folders of a pack whose every file is read or published."""
CHECKED_FILES = ("pack.yml", "mkdocs.yml")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def refused_reference(text: str) -> str | None:
    """Why a path written in the pack cannot name a file of the pack; None when it can."""
    value = text.strip()
    if not value:
        return "the path is empty"
    if "\\" in value:
        return "use forward slashes (/) in paths"
    if value.startswith("/") or _SCHEME.match(value):
        return (
            "an absolute path or address; give a path inside the pack, such as content/img/logo.png"
        )
    normal = posixpath.normpath(value)
    if normal == ".." or normal.startswith("../"):
        return "the path leaves the pack (..); give a path inside the pack"
    return None


def link_problem(path: Path, root: Path) -> str | None:
    """Why the symlink at path may not be used: a loop, dangling, or pointing out of root."""
    try:
        target = path.resolve(strict=True)
    except RuntimeError:
        return "a symlink loop"
    except FileNotFoundError:
        return f"a dangling symlink (to {os.readlink(path)!r}, which does not exist)"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a symlink loop"
        return f"a symlink that cannot be followed ({exc.strerror})"
    if not target.is_relative_to(root.resolve()):
        return f"a symlink to {os.readlink(path)!r}, outside the pack"
    return None


def check_symlinks(layer: Path, problems: Problems) -> bool:
    """Report every symlink in the pack's folders that leaves the pack; True when there is none."""
    clean = True
    found: list[Path] = [layer / name for name in CHECKED_FILES if (layer / name).is_symlink()]
    for folder in CHECKED_FOLDERS:
        top = layer / folder
        if top.is_symlink():
            found.append(top)
            continue
        if not top.is_dir():
            continue
        for current, dirs, files in os.walk(top, followlinks=False):
            for name in sorted([*dirs, *files]):
                entry = Path(current) / name
                if entry.is_symlink():
                    found.append(entry)
    for entry in found:
        reason = link_problem(entry, layer)
        if reason:
            clean = False
            problems.error(
                Location(display_path(entry)),
                f"{reason}; packgen reads only files inside the pack: "
                "put the file itself here instead",
            )
    return clean


def inside(layer: Path, relative: str) -> Path | None:
    """The file at relative (a pack path with forward slashes) under layer, or None.

    None when it does not exist, when the path is refused, or when the file
    it finally resolves to is outside layer.
    """
    if refused_reference(relative):
        return None
    candidate = layer / relative
    try:
        resolved = candidate.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not resolved.is_relative_to(layer.resolve()) or not resolved.is_file():
        return None
    return candidate


def find_in_layers(layers: list[Path], relative: str) -> Path | None:
    """The first layer's file at relative, kept inside that layer; None when there is none."""
    for layer in layers:
        found = inside(layer, relative)
        if found is not None:
            return found
    return None


def page_target(page: str, target: str) -> str | None:
    """Why a link or image target in the page at page (under docs/) is refused; None if fine.

    Addresses (https:, mailto:) and anchors are not files and pass; a relative
    path must stay inside the site's pages, and an absolute one is refused.
    """
    value = target.strip().split("#", 1)[0].split("?", 1)[0]
    if not value:
        return None
    if value.lower().startswith("file:"):
        return f"{target!r} names a file on this computer; give a path inside the pack"
    if _SCHEME.match(value):
        return None
    if value.startswith("/"):
        return f"{target!r} is an absolute path; give a path relative to the page, inside the pack"
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), value))
    if joined == ".." or joined.startswith("../"):
        return f"{target!r} leaves the pack's content/ folder"
    return None
