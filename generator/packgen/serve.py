"""Local preview: build, serve on localhost, rebuild and reload browsers when sources change."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from packgen.build import build
from packgen.errors import PackgenError
from packgen.layers import find_pack_root
from packgen.paths import CHECKED_FILES, CHECKED_FOLDERS
from packgen.resolve import load_pack

log = logging.getLogger(__name__)

WATCHED = [*CHECKED_FILES, *CHECKED_FOLDERS]
"""What a build reads from each layer (the files the incremental build's key covers too)."""


def watched_paths(layers: list[Path]) -> list[Path]:
    """Everything in the pack (and the packs it extends) whose change should rebuild the site."""
    return [layer / name for layer in layers for name in WATCHED if (layer / name).exists()]


def serve(
    path: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    languages: list[str] | None = None,
    on_error: Callable[[PackgenError], None],
    open_browser: bool = False,
    printables: bool = True,
) -> None:
    root = find_pack_root(path)
    loaded, _ = load_pack(root)
    shown = languages or (list(loaded.languages) if loaded else [])
    source = shown[:1]
    # A first pass shows an edit in the language being written, without the PDFs; a
    # second brings the other languages and the PDFs up to date.
    two_passes = bool(source) and (printables or len(shown) > 1)
    with tempfile.TemporaryDirectory(prefix="packgen-serve-") as tmp:
        out, work = Path(tmp) / "site", Path(tmp) / "build"
        due = {"full": False}
        holder: list[LiveReloadServer] = []

        def full() -> None:
            build(root, out, languages, work_dir=work, printables=printables)

        def rebuild() -> None:
            try:
                if due["full"] or not two_passes or not out.exists():
                    due["full"] = False
                    full()
                    return
                build(root, out, source, work_dir=work, printables=False, carry_over=True)
                log.info("showing the change in %s; bringing the rest up to date", source[0])
                if holder and _build_again(holder[0]):
                    due["full"] = True
                else:
                    full()
            except PackgenError as exc:
                due["full"] = False
                on_error(exc)
                log.warning("the preview still shows the last version that built")

        rebuild()
        if not out.exists():
            out.mkdir()
        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out))
        holder.append(server)
        for watched in watched_paths(loaded.layers if loaded else [root]):
            server.watch(str(watched))
        log.info("previewing at %s, rebuilt on every change (press Ctrl+C to stop)", server.url)
        try:
            server.serve(open_in_browser=open_browser)  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("stopping the preview server")
        finally:
            server.shutdown()


def _build_again(server: LiveReloadServer) -> bool:
    """Ask the preview server to run its builder once more, as if a file had changed.

    The server (MkDocs' own, pinned with it) has no public call for this; without
    the attributes it has today, False, and the caller builds at once instead.
    """
    condition = getattr(server, "_rebuild_cond", None)
    if condition is None or not hasattr(server, "_want_rebuild"):
        return False
    with condition:
        server._want_rebuild = True
        condition.notify_all()
    return True
