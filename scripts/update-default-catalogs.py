"""Update packgen's own interface catalogs after a change to its default templates.

    .venv/bin/python scripts/update-default-catalogs.py

Writes generator/packgen/defaults/locales/ui.pot from the templates beside it and
merges it into every language's ui.po there, as `packgen i18n update` does for a
pack: a changed string keeps its translation as fuzzy, a removed one stays as
obsolete. packgen itself never writes into its defaults; this is for its maintainers.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from packgen.errors import PackgenError, Problems
from packgen.i18n.catalog import UI_DOMAIN, catalog_path, read_catalog
from packgen.i18n.extract import po_bytes, template_path, ui_template
from packgen.i18n.update import merge, write_all
from packgen.paths import DEFAULTS_DIR
from packgen.resolve import load_pack

PACK_YML = "id: packgen\ntitle: packgen's interface\nlanguages: [en]\n"


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "pack.yml").write_text(PACK_YML, encoding="utf-8")
        pack, problems = load_pack(Path(tmp))
        if pack is None or problems.errors:
            print("packgen's defaults do not load:", *problems.sorted(), sep="\n", file=sys.stderr)
            return 1
        template = ui_template(pack, DEFAULTS_DIR)
    files = {template_path(DEFAULTS_DIR, UI_DOMAIN): po_bytes(template)}
    problems = Problems()
    for folder in sorted((DEFAULTS_DIR / "locales").iterdir()):
        path = catalog_path(DEFAULTS_DIR, folder.name, UI_DOMAIN)
        if not path.is_file():
            continue
        catalog = read_catalog(path, problems)
        if catalog is None:
            continue
        added, fuzzy = merge(catalog, template)
        print(f"{folder.name}: {added} new, {fuzzy} fuzzy, {len(catalog.obsolete)} obsolete")
        files[path] = po_bytes(catalog)
    if problems.errors:
        print(*problems.sorted(), sep="\n", file=sys.stderr)
        return 1
    try:
        written = write_all(files)
    except PackgenError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path, changed in written.items():
        print(f"{path.relative_to(DEFAULTS_DIR)}: {'written' if changed else 'unchanged'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
