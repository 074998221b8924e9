"""Check a pack's theme colours for readers: a warning for each that fails WCAG AA contrast."""

from __future__ import annotations

from packgen.contrast import custom_colours, palette_problems
from packgen.errors import Location, Problems
from packgen.loader import display_path
from packgen.pack import CONTENT_DIR, Pack


def check_palette(pack: Pack, problems: Problems) -> None:
    """Warn about theme colours in the pack's mkdocs.yml that readers would struggle to read."""
    settings = pack.mkdocs
    custom = custom_colours(_own_stylesheets(pack, settings.extra_css))
    where = display_path(settings.path) if settings.path else "mkdocs.yml"
    for problem in palette_problems(settings.theme, custom):
        problems.warning(Location(where), problem.message())


def _own_stylesheets(pack: Pack, names: list[str]) -> list[str]:
    """The text of the pack's extra_css files, found in its content/ as MkDocs would."""
    texts = []
    for name in names:
        for layer in pack.layers:
            folder = (layer / CONTENT_DIR).resolve()
            path = (folder / str(name)).resolve()
            if path.is_relative_to(folder) and path.is_file():
                texts.append(path.read_text(encoding="utf-8", errors="replace")[:1_000_000])
                break
    return texts
