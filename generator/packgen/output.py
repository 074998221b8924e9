"""Writing the finished site: a staging folder swapped in only when everything succeeded."""

from __future__ import annotations

import logging
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from packgen.errors import UsageProblem

log = logging.getLogger(__name__)


def source_date_epoch() -> datetime | None:
    """The moment SOURCE_DATE_EPOCH names; None when it is not set.

    Outputs that carry a date take it from here, so the same sources give the same bytes.
    """
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        return datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageProblem(
            f"SOURCE_DATE_EPOCH={raw!r}: expected a whole number of seconds since "
            "1970-01-01 UTC, such as the output of `git log -1 --format=%ct`"
        ) from None


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
