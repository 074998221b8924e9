"""Local preview: build, serve on localhost, rebuild and reload browsers when sources change."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path

from mkdocs.livereload import LiveReloadServer

from packgen.build import build
from packgen.errors import PackgenError
from packgen.pack import find_pack_root
from packgen.resolve import load_pack

log = logging.getLogger(__name__)

WATCHED = ["pack.yml", "mkdocs.yml", "exercises", "content", "templates", "locales", "overrides"]


def watched_paths(root: Path) -> list[Path]:
    """Everything in the pack (and the packs it extends) whose change should rebuild the site."""
    pack, _ = load_pack(root)
    layers = pack.layers if pack else [root]
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
    with tempfile.TemporaryDirectory(prefix="packgen-serve-") as tmp:
        out = Path(tmp) / "site"

        def rebuild() -> None:
            try:
                build(root, out, languages, work_dir=Path(tmp) / "build", printables=printables)
            except PackgenError as exc:
                on_error(exc)
                log.warning("the preview still shows the last version that built")

        rebuild()
        if not out.exists():
            out.mkdir()
        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out))
        for watched in watched_paths(root):
            server.watch(str(watched))
        log.info("previewing at %s, rebuilt on every change (press Ctrl+C to stop)", server.url)
        try:
            server.serve(open_in_browser=open_browser)  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("stopping the preview server")
        finally:
            server.shutdown()
