"""The printables stage: every language's PDFs, rendered again only when their input changed."""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from packgen.errors import BuildFailed, Location, Problems, UsageProblem
from packgen.i18n.localise import LocalisedPack
from packgen.loader import display_path
from packgen.pack import Pack
from packgen.printables.cache import PdfCache, input_key
from packgen.printables.documents import Downloads, printables
from packgen.printables.fonts import find_fonts
from packgen.printables.html import PrintRenderer, asset_finder
from packgen.printables.markup import PrintMarkdown, extensions_of
from packgen.printables.pdf import PdfJob, render_all
from packgen.site import read_mkdocs_yml

log = logging.getLogger(__name__)

PRINT_HTML = "print"
"""Folder of the work folder where each PDF's HTML is kept, to open when a PDF looks wrong."""


@dataclass
class PrintReport:
    downloads: dict[str, Downloads] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date for the PDFs' metadata; None when it is not set."""
    raw = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not raw:
        return None
    try:
        moment = datetime.fromtimestamp(int(raw), tz=UTC)
    except (ValueError, OverflowError, OSError):
        raise UsageProblem(
            f"SOURCE_DATE_EPOCH={raw!r}: expected a whole number of seconds since "
            "1970-01-01 UTC, such as the output of `git log -1 --format=%ct`"
        ) from None
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _source_location(pack: Pack, source: str) -> Location:
    """The file an author edits for the page at source (a path under docs/)."""
    if source in pack.pages:
        return Location(display_path(pack.pages[source].path))
    key = Path(source).stem
    if key in pack.sources:
        return Location(pack.sources[key].doc.shown)
    return Location(source)


def render_printables(
    pack: Pack, locs: dict[str, LocalisedPack], work: Path, problems: Problems
) -> PrintReport:
    """Render each language's PDFs into work/<lang>/downloads/, reusing those still current."""
    fonts = find_fonts(work)
    created = source_date()
    mkdocs_file = pack.mkdocs_file()
    extensions, configs, issues = extensions_of(read_mkdocs_yml(mkdocs_file))
    for issue in issues:
        problems.warning(Location(display_path(mkdocs_file)), issue)
    find_asset = asset_finder(pack.layers)
    logo = pack.logo_file()
    report = PrintReport()
    caches: dict[str, PdfCache] = {}
    jobs: list[PdfJob] = []
    keys: dict[tuple[str, str], str] = {}
    missing_images: set[tuple[str, str]] = set()
    for code, loc in locs.items():
        markdown = PrintMarkdown(extensions, configs, find_asset, loc.language.dir)
        renderer = PrintRenderer(loc, markdown, created=created, logo=logo)
        css, css_file = renderer.stylesheet()
        settings = f"@page {{ size: {loc.config.print.paper}; }}\n{fonts.css(code)}"
        sheets = ((settings, ""), (css, Path(css_file).as_uri() if css_file else ""))
        cache = caches[code] = PdfCache(work / code)
        items = printables(loc)
        for printable in items:
            document = renderer.render(printable)
            missing_images.update(document.missing_images)
            html_file = (work / code / PRINT_HTML / printable.name).with_suffix(".html")
            html_file.parent.mkdir(parents=True, exist_ok=True)
            html_file.write_text(document.html, encoding="utf-8")
            key = input_key(
                document.html, sheets, [*fonts.files(code), *document.assets], document.forms
            )
            if cache.fresh(printable.name, key):
                report.reused += 1
                continue
            cache.forget(printable.name)
            keys[(code, printable.name)] = key
            jobs.append(
                PdfJob(
                    code,
                    printable.name,
                    document.html,
                    sheets,
                    document.forms,
                    key[:32],
                    cache.path(printable.name),
                )
            )
        cache.keep_only({p.name for p in items})
        _remove_stale_html(work / code / PRINT_HTML, {p.name for p in items})
        report.downloads[code] = Downloads(items)
    for source, src in sorted(missing_images):
        problems.warning(
            _source_location(pack, source),
            f"image {src!r} not found in content/; the PDFs show its description instead",
        )
    _render(jobs, keys, caches, work, problems, report)
    for code, downloads in report.downloads.items():
        downloads.sizes = {p.name: caches[code].size(p.name) for p in downloads.items}
    return report


def _remove_stale_html(folder: Path, names: set[str]) -> None:
    """Keep the print HTML folder a true picture of this build's PDFs."""
    wanted = {Path(name).with_suffix(".html").as_posix() for name in names}
    for path in folder.rglob("*.html"):
        if path.relative_to(folder).as_posix() not in wanted:
            path.unlink()


def _render(
    jobs: list[PdfJob],
    keys: dict[tuple[str, str], str],
    caches: dict[str, PdfCache],
    work: Path,
    problems: Problems,
    report: PrintReport,
) -> None:
    if jobs:
        log.info("rendering %d PDFs (%d unchanged since the last build)", len(jobs), report.reused)
    started = time.perf_counter()
    failures: list[str] = []
    for done, result in enumerate(render_all(jobs), start=1):
        where = f"{result.lang}/downloads/{result.name}"
        html_file = (work / result.lang / PRINT_HTML / result.name).with_suffix(".html")
        for message in result.warnings:
            problems.warning(Location(display_path(html_file)), f"WeasyPrint: {message}")
        if result.error:
            failures.append(f"{where}: {result.error}")
            continue
        caches[result.lang].record(result.name, keys[(result.lang, result.name)])
        report.rendered += 1
        log.debug(
            "[%d/%d] %s: %d bytes in %.2f s", done, len(jobs), where, result.size, result.seconds
        )
    for cache in caches.values():
        cache.save()
    if failures:
        raise BuildFailed(
            f"the PDFs could not be made ({'; '.join(sorted(failures))}); the previous site is kept"
        )
    if jobs:
        log.info("rendered %d PDFs in %.1f s", report.rendered, time.perf_counter() - started)
