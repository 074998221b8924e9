"""Resolve stage: the layers of a pack made into the one pack the later stages use.

Load reads each layer's files and checks each alone; resolve merges the layers
(the pack over each base it extends), checks the references between them and
hands on a `Pack` that localise, render and the outputs take as it is.
"""

from __future__ import annotations

import logging
from pathlib import Path

from packgen.errors import Problems
from packgen.layers import find_pack_root, read_layers
from packgen.mkdocs_settings import check_overrides, read_layer_settings
from packgen.pack import DEFINITIONS_DIR, Pack, load_definitions, load_pages
from packgen.paths import DEFAULTS_DIR, check_symlinks
from packgen.resolve.config import resolve_config
from packgen.resolve.derived import derive
from packgen.resolve.overrides import apply_overrides
from packgen.resolve.references import check_references
from packgen.resolve.selection import apply_selection
from packgen.resolve.settings import merge_settings
from packgen.resolve.variables import check_variables
from packgen.sanitize import clean_pack

log = logging.getLogger(__name__)

__all__ = ["load_pack"]


def load_pack(path: Path) -> tuple[Pack | None, Problems]:
    """Read, merge and check the pack at path; the pack is None when it cannot be used."""
    problems = Problems()
    root = find_pack_root(path)
    read = read_layers(root, problems)
    if read is None:
        return None, problems
    layers, docs = read
    # packgen's defaults lie under every pack, so a pack holds only what it changes.
    layers = [*layers, DEFAULTS_DIR]
    resolved = resolve_config(docs, problems)
    if resolved is None:
        return None, problems
    config, doc = resolved
    # A symlink out of the pack, a loop or a dangling link stops reading: nothing is opened.
    if not all([check_symlinks(layer, problems) for layer in layers]):
        return None, problems
    pack = Pack(root=root, config=config, config_doc=doc, layers=layers)
    pack.mkdocs = merge_settings(read_layer_settings(layers, problems))
    check_overrides(layers, problems)
    pack.sources = load_definitions(pack, problems)
    apply_overrides(pack, problems)
    pack.pages = load_pages(layers, problems)
    check_references(pack, problems)
    check_variables(pack, problems)
    clean_pack(pack, problems, DEFINITIONS_DIR)
    # Last, so that every location above still points at what the author wrote.
    apply_selection(pack, problems)
    derive(pack)
    log.debug("resolved %d definitions and %d pages", len(pack.sources), len(pack.pages))
    return pack, problems
