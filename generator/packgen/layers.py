"""Where a pack is and the bases it extends: each layer's pack.yml read, nothing else.

Light on purpose: a build tells from these alone (and the files' digests) that nothing
changed, without loading the pack's models.
"""

from __future__ import annotations

from pathlib import Path

from packgen.errors import Problems, UsageProblem
from packgen.loader import YamlDocument, display_path, load_yaml
from packgen.paths import check_symlinks

CONFIG_FILE = "pack.yml"
MAX_BASE_DEPTH = 8


def find_pack_root(path: Path) -> Path:
    root = path.resolve()
    if root.is_file() and root.name == CONFIG_FILE:
        root = root.parent
    if not (root / CONFIG_FILE).is_file():
        raise UsageProblem(
            f"{display_path(root)}: not a pack: no {CONFIG_FILE} here "
            "(give the pack folder, e.g. `packgen check path/to/pack`)"
        )
    return root


def _read_config(root: Path, problems: Problems) -> YamlDocument | None:
    if (root / CONFIG_FILE).is_symlink() and not check_symlinks(root, problems):
        return None
    return load_yaml(root / CONFIG_FILE, problems)


def read_layers(root: Path, problems: Problems) -> tuple[list[Path], list[YamlDocument]] | None:
    """The pack folder and each base it extends, with their pack.yml as read (not merged)."""
    doc = _read_config(root, problems)
    if doc is None:
        return None
    layers, docs = [root], [doc]
    while isinstance(doc.data, dict) and doc.data.get("extends") is not None:
        extends = doc.data["extends"]
        where = doc.location(("extends",))
        if not isinstance(extends, str) or not extends.strip():
            problems.error(where, f"extends: expected the path to a base pack; found {extends!r}")
            return None
        base = (layers[-1] / extends).resolve()
        if base in layers or len(layers) > MAX_BASE_DEPTH:
            problems.error(where, f"packs extend each other in a loop: {extends}")
            return None
        if not (base / CONFIG_FILE).is_file():
            problems.error(where, f"extends: {extends!r} is not a pack: no {CONFIG_FILE} in {base}")
            return None
        base_doc = _read_config(base, problems)
        if base_doc is None:
            return None
        if not isinstance(base_doc.data, dict):
            problems.error(base_doc.location(()), "expected a mapping of keys (id, title, ...)")
            return None
        layers.append(base)
        docs.append(base_doc)
        doc = base_doc
    return layers, docs
