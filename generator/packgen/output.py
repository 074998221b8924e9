"""Writing the finished site: a staging folder swapped in only when everything succeeded."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

log = logging.getLogger(__name__)


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a fresh folder beside out; on success it replaces out, on failure it is removed.

    The staging folder lives next to the destination so the final renames stay
    on one file system, and the previous site is only removed once the new one
    is in place.
    """
    out = out.resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir()
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    previous = out.parent / f".{out.name}.previous-{os.getpid()}"
    if out.exists():
        out.rename(previous)
    staging.rename(out)
    if previous.exists():
        shutil.rmtree(previous, ignore_errors=True)
    log.debug("site swapped into %s", out)
