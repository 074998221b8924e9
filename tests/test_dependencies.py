"""Every library packgen's own code imports is one of its declared runtime dependencies.

A library that only the tests install (pytest, pypdf, ...) would let `make test` pass
while `make build` on a fresh machine fails.
"""

from __future__ import annotations

import ast
import sys
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import packgen

PACKAGE = Path(packgen.__file__).parent


def _imported_top_levels() -> set[str]:
    found: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return found - set(sys.stdlib_module_names) - {"packgen", "__future__"}


def _runtime_requirements() -> set[str]:
    names = set()
    for requirement in requires("packgen") or []:
        if "extra ==" in requirement:
            continue
        name = requirement.split(";")[0].split("==")[0].split(">")[0].split("<")[0].strip()
        names.add(name.lower().replace("_", "-"))
    return names


def test_every_library_packgen_imports_is_a_runtime_dependency():
    owners = packages_distributions()
    declared = _runtime_requirements()
    # Parts of a declared dependency, always installed with it.
    indirect = {"pymdownx", "markupsafe", "pydantic_core"}  # mkdocs-material, Jinja2, pydantic
    missing = {}
    for module in sorted(_imported_top_levels() - indirect):
        dists = {d.lower().replace("_", "-") for d in owners.get(module, [module])}
        if not dists & declared:
            missing[module] = sorted(dists)
    assert not missing, f"imported by packgen but only installed for the tests: {missing}"
