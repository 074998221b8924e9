"""`packgen init`: start a tailored pack that extends a base pack and holds only its changes.

The default base is the flagship pack that comes with packgen: in a checkout
(installed with `pip install -e .`) the folder holding packgen's `generator/`,
and in a wheel the copy its build step puts beside the code, `packgen/flagship/`
(see setup.py). Without either, `--from` names the base.
"""

from __future__ import annotations

import json
import logging
import os
import re
from pathlib import Path

from packgen.config import CONFIG_FILE
from packgen.errors import UsageProblem
from packgen.layers import find_pack_root
from packgen.loader import display_path

log = logging.getLogger(__name__)

FOLDERS = ("exercises", "content", "templates", "locales")
SHIPPED_FLAGSHIP = Path(__file__).resolve().parent / "flagship"
"""Where a wheel carries the flagship pack."""
_SLUG = re.compile(r"[^a-z0-9]+")


def flagship_root() -> Path | None:
    """The flagship pack: the checkout packgen runs from, else the copy its wheel carries."""
    checkout = Path(__file__).resolve().parent.parent.parent
    for candidate in (checkout, SHIPPED_FLAGSHIP):
        if (candidate / CONFIG_FILE).is_file():
            return candidate
    return None


def _slug(name: str) -> str:
    return _SLUG.sub("-", name.lower()).strip("-") or "my-pack"


PACK_YML = """\
# A tailored pack: everything not set here comes from the base pack below
# (its languages, organisation, print settings, menu, exercises, pages,
# templates and translations). Set only what you change.
id: {id}
title: {title_yaml}
extends: {extends_yaml}

# Who publishes this version: shown in the footer of every page and on the PDFs.
# organisation:
#   name: Your organisation
#   url: https://example.org/
#   logo: content/img/logo.png

# Languages to build (the first is the one you write in). Inherited when absent.
# languages: [en, fr]

# The menu. Inherited from the base when absent; to change it, copy the base's
# `contents:` here and edit it.
# contents:
#   - page: index.md
"""

README = """\
# {title}

This pack extends `{extends}`: it holds only what this version changes.

- `pack.yml`: the name, the organisation and (if you change them) the languages and menu.
- `exercises/`: a file with the same id as a base exercise replaces it; a new id adds one.
- `content/`: a page with the same name as a base page replaces it; new pages add to it.
- `templates/` and `locales/`: your own templates and translations, used before the base's
  and packgen's own (which need no copy here: put a file in only to change it).

Check it with `packgen check {folder}` and build it with `packgen build {folder}`
(the site goes into `{folder}/site/`). The base pack is never changed.
"""


def init_pack(folder: Path, base: Path | None = None) -> Path:
    """Create a tailored pack in folder (new or empty) extending base; returns pack.yml's path."""
    if base is None:
        base = flagship_root()
        if base is None:
            raise UsageProblem(
                "no base pack beside this packgen installation; name one with "
                "`packgen init DIR --from path/to/base-pack`"
            )
    base = find_pack_root(base)
    target = folder.resolve()
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise UsageProblem(
            f"{display_path(folder)}: not empty; `packgen init` starts a pack only in a new "
            "or empty folder, so that nothing there is overwritten"
        )
    if target == base or base in target.parents:
        raise UsageProblem(
            f"{display_path(folder)}: inside the base pack {display_path(base)}; "
            "make the tailored pack in a folder of its own"
        )
    extends = Path(os.path.relpath(base, target)).as_posix()
    title = target.name.replace("-", " ").replace("_", " ").strip().capitalize() or "My pack"
    target.mkdir(parents=True, exist_ok=True)
    for name in FOLDERS:
        (target / name).mkdir()
    values = {"id": _slug(target.name), "title": title, "extends": extends}
    # As JSON strings, which YAML reads as they are whatever the folder is called.
    quoted = {"title_yaml": json.dumps(title), "extends_yaml": json.dumps(extends)}
    (target / CONFIG_FILE).write_text(PACK_YML.format(**values, **quoted), encoding="utf-8")
    (target / "README.md").write_text(
        README.format(**values, folder=display_path(folder)), encoding="utf-8"
    )
    log.info("started %s, extending %s", display_path(target), display_path(base))
    return target / CONFIG_FILE
