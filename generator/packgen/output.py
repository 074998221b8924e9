"""Writing the finished site: a staging folder swapped in only when everything succeeded.

Nothing is lost: the output folder must be a site packgen built (or empty, or
absent) and must not hold or lie inside the pack; one build at a time writes
it (a lock beside it); the new site takes the old one's place in a single
step where the kernel can exchange two folders; and what a killed build left
behind is tidied by the next one.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import logging
import os
import re
import shutil
import signal
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from packgen.errors import UsageProblem
from packgen.loader import display_path
from packgen.paths import DEFAULTS_DIR

log = logging.getLogger(__name__)

MARKER = ".packgen-site"
"""Written at the root of every site packgen builds, so a later build knows it may replace it."""
MARKER_TEXT = (
    "This folder is a website built by packgen. `packgen build` replaces all of it;\n"
    "keep nothing else here.\n"
)
SOURCE_FOLDERS = ("content", "exercises", "templates", "locales", "overrides", ".git")
_LANG_FOLDER = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


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


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def is_packgen_site(folder: Path) -> bool:
    """Whether folder holds a site packgen built: its marker, or an earlier version's layout.

    Sites built before the marker existed are recognised by what they can only
    hold: a language chooser `index.html` and, beside it, nothing but language
    folders, each a finished MkDocs site (its sitemap or its search index).
    """
    if (folder / MARKER).is_file():
        return True
    if not (folder / "index.html").is_file():
        return False
    languages = 0
    for entry in folder.iterdir():
        if entry.name == "index.html":
            continue
        if not (entry.is_dir() and not entry.is_symlink() and _LANG_FOLDER.match(entry.name)):
            return False
        if not (
            (entry / "sitemap.xml").is_file() or (entry / "search" / "search_index.json").is_file()
        ):
            return False
        languages += 1
    return languages > 0


def check_output(out: Path, layers: list[Path], work: Path) -> None:
    """Refuse an output folder whose replacement could lose someone's files."""
    shown = display_path(out)
    if _inside(out, DEFAULTS_DIR):
        raise UsageProblem(
            f"--out {shown}: inside packgen's own templates and settings, which no build "
            "writes to. Give a folder of its own, such as site/ in the pack"
        )
    for layer in layers:
        layer = layer.resolve()
        if _inside(layer, out):
            raise UsageProblem(
                f"--out {shown}: this folder holds the pack {display_path(layer)}; building "
                "there would replace the pack with its site. Give a folder of its own, "
                "such as site/"
            )
        for name in SOURCE_FOLDERS:
            if _inside(out, layer / name):
                raise UsageProblem(
                    f"--out {shown}: inside the pack's {name}/ folder; building there would "
                    "mix the site into the sources. Give a folder of its own, such as site/"
                )
        for name in ("pack.yml", "mkdocs.yml"):
            if out == layer / name:
                raise UsageProblem(f"--out {shown}: that is the pack's {name}")
    if _inside(work, out) or _inside(out, work):
        raise UsageProblem(
            f"--out {shown}: overlaps the work folder {display_path(work)}; give another folder"
        )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise UsageProblem(f"--out {shown}: exists and is not a folder; it was left as it is")
    if out.is_dir() and any(out.iterdir()) and not is_packgen_site(out):
        raise UsageProblem(
            f"--out {shown}: this folder exists and is not a site packgen built (it has no "
            f"{MARKER} file), so it was left as it is. Empty it, or give another folder"
        )


@contextmanager
def output_lock(out: Path) -> Iterator[None]:
    """Hold the output's lock for the whole build; a second build waits and says for whom.

    The lock file beside out is removed when the build ends, so nothing is left
    in the pack; a build that was waiting on a removed file takes the lock again.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    lock_path = out.parent / f".{out.name}.lock"
    told = False
    while True:
        handle = lock_path.open("a+")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if not told:
                handle.seek(0)
                holder = handle.read().strip() or "another build"
                log.info("%s is in use by %s; waiting for it to finish", display_path(out), holder)
                told = True
            try:
                fcntl.flock(handle, fcntl.LOCK_EX)
            except BaseException:
                handle.close()
                raise
        try:
            same = os.fstat(handle.fileno()).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        handle.close()  # the holder removed the file as it finished: lock the new one
    try:
        handle.seek(0)
        handle.truncate()
        handle.write(f"packgen build (process {os.getpid()}, started {time.strftime('%H:%M:%S')})")
        handle.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            lock_path.unlink()
        handle.close()


def _leftovers(out: Path) -> Iterator[Path]:
    prefixes = (f".{out.name}.building-", f".{out.name}.previous-")
    for entry in out.parent.iterdir():
        if entry.name.startswith(prefixes) and entry.is_dir() and not entry.is_symlink():
            yield entry


def tidy_leftovers(out: Path) -> None:
    """Remove what killed builds left beside out; a lost site is put back first.

    Called with the lock held, so no other build is using these folders. Only
    folders packgen marked as its own are removed.
    """
    for entry in sorted(_leftovers(out)):
        if ".previous-" in entry.name and not out.exists():
            # Renaming it back loses nothing, whoever made it.
            log.warning("putting back the site a stopped build had moved aside")
            entry.rename(out)
            continue
        if not (entry / MARKER).is_file() and any(entry.iterdir()):
            log.warning("%s was left as it is: it is not a folder packgen made", entry)
            continue
        log.info("removing %s, left by a build that was stopped", display_path(entry))
        shutil.rmtree(entry, ignore_errors=True)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _libc_renameat2() -> object | None:
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        function = libc.renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    function.restype = ctypes.c_int
    return function


_renameat2 = _libc_renameat2()


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the kernel or file system cannot."""
    if _renameat2 is None:
        return False
    result = _renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@contextmanager
def signals_held() -> Iterator[None]:
    """Keep SIGINT and SIGTERM waiting while the site is swapped, so a swap is never half done."""
    held = {signal.SIGINT, signal.SIGTERM}
    try:
        previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    except (AttributeError, ValueError, OSError):
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def swap_in(staging: Path, out: Path) -> None:
    """Put staging in out's place; there is a site at out at every moment when out existed."""
    with signals_held():
        if out.exists():
            if exchange(staging, out):
                shutil.rmtree(staging, ignore_errors=True)
                return
            # No exchange here: two renames, with a moment in between that the next
            # build repairs (tidy_leftovers puts a moved-aside site back).
            previous = out.parent / f".{out.name}.previous-{os.getpid()}"
            out.rename(previous)
            staging.rename(out)
            shutil.rmtree(previous, ignore_errors=True)
        else:
            staging.rename(out)


@contextmanager
def staged_output(out: Path) -> Iterator[Path]:
    """Yield a fresh folder beside out; on success it replaces out, on failure it is removed.

    The staging folder lives next to the destination so the final swap stays
    on one file system, and the previous site is only removed once the new one
    is in place. Call check_output first, and hold output_lock around this.
    """
    out = out.resolve()
    staging = out.parent / f".{out.name}.building-{os.getpid()}"
    tidy_leftovers(out)
    staging.mkdir()
    (staging / MARKER).write_text(MARKER_TEXT, encoding="utf-8")
    try:
        yield staging
    except BaseException:
        with signals_held():
            shutil.rmtree(staging, ignore_errors=True)
        raise
    swap_in(staging, out)
    log.debug("site swapped into %s", out)


def keep_unchanged(staging: Path, out: Path) -> int:
    """Make each staged file that is byte for byte the published one that very file.

    A hard link to the published file takes the staged copy's place, so after
    the swap an unchanged file has not been rewritten and keeps its time (what
    a mirror, a sync tool or a reader's cache goes by). Returns how many.
    """
    kept = 0
    if not out.is_dir():
        return kept
    for current, _dirs, names in os.walk(staging):
        for name in names:
            staged = Path(current) / name
            published = out / staged.relative_to(staging)
            try:
                before = published.lstat()
                if not stat.S_ISREG(before.st_mode) or before.st_size != staged.stat().st_size:
                    continue
                if published.read_bytes() != staged.read_bytes():
                    continue
                _replace_with_link(published, staged, before)
            except OSError:
                continue
            kept += 1
    return kept


def _replace_with_link(published: Path, staged: Path, before: os.stat_result) -> None:
    link = staged.with_name(f".{staged.name}.kept")
    try:
        os.link(published, link)
    except OSError:
        # No hard links here (another file system, a FAT stick): the copy takes the old time.
        os.utime(staged, ns=(before.st_atime_ns, before.st_mtime_ns))
        return
    os.replace(link, staged)
