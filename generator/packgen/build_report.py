"""What a build did: the report `packgen build` prints, kept light for the no-op path."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from packgen.build_state import Bundle
from packgen.errors import Problem
from packgen.timings import Timings


@dataclass
class BuildReport:
    out: Path
    languages: list[str]
    warnings: list[Problem] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    pdfs_rendered: int = 0
    """PDFs drawn in this build; the others were still current and were reused."""
    pdfs_reused: int = 0
    pdfs_drawn: list[str] = field(default_factory=list)
    """lang/name of each PDF drawn in this build."""
    book_parts_drawn: list[str] = field(default_factory=list)
    """lang/name#anchor of each part of a whole-pack book drawn in this build."""
    bundles: list[Bundle] = field(default_factory=list)
    """The offline zips written into the site's downloads/ folder, with their sizes."""
    unchanged: bool = False
    """Nothing had changed since the last build: nothing was made and nothing written."""
    sites_built: list[str] = field(default_factory=list)
    """The languages whose site MkDocs built; the others were unchanged and reused."""
    sites_reused: list[str] = field(default_factory=list)
    files_read: list[Path] = field(default_factory=list)
    """Files the build read outside the pack's own folders (fonts, a logo kept elsewhere)."""
    timings: Timings = field(default_factory=Timings)
    """How long each stage took, and each language within it (`build --timings`)."""
