"""The printables stage: every language's PDFs, rendered again only when their input changed."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from packgen.errors import BuildFailed, Location, Problems, WarningCollector
from packgen.fingerprint import text_digest
from packgen.i18n.localise import LocalisedPack
from packgen.loader import display_path
from packgen.output import source_date_epoch
from packgen.pack import Pack
from packgen.printables.bookparts import REVISION as PARTS_REVISION
from packgen.printables.bookparts import BookJob, BookResult, cuttable, in_parts
from packgen.printables.cache import PartsCache, PdfCache, input_key
from packgen.printables.documents import Downloads, printables
from packgen.printables.fonts import find_fonts
from packgen.printables.html import STYLESHEET, PrintRenderer, asset_finder
from packgen.printables.markup import PrintMarkdown, extensions_of
from packgen.printables.parts import split_book
from packgen.printables.pdf import Job, PdfJob, render_all
from packgen.render.templates import make_environment

log = logging.getLogger(__name__)

PRINT_HTML = "print"
"""Folder of the work folder where each PDF's HTML is kept, to open when a PDF looks wrong."""
_CSS_PLACE = re.compile(r" at (\d+):(\d+)(?=[,.])")
"""Where WeasyPrint says a CSS rule it ignored stands, e.g. "Ignored `x` at 12:3, unknown"."""


@dataclass
class PrintReport:
    downloads: dict[str, Downloads] = field(default_factory=dict)
    rendered: int = 0
    reused: int = 0
    drawn: list[str] = field(default_factory=list)
    """The PDFs drawn in this build, as lang/name."""
    files_read: set[Path] = field(default_factory=set)
    """The font files the PDFs were drawn with: a changed font file draws them again."""
    parts_drawn: list[str] = field(default_factory=list)
    """The parts of whole-pack books drawn in this build, as lang/name#the part's first anchor
    (bookparts.py)."""


def source_date() -> str | None:
    """SOURCE_DATE_EPOCH as a W3C date for the PDFs' metadata; None when it is not set."""
    moment = source_date_epoch()
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def _source_location(pack: Pack, source: str) -> Location:
    """The file an author edits for the page at source (a path under docs/)."""
    if source in pack.pages:
        return Location(display_path(pack.pages[source].path))
    key = Path(source).stem
    if key in pack.sources:
        return Location(pack.sources[key].doc.shown)
    return Location(source)


class _Stage:
    """One build's PDFs: what each language needs, which are due, and how drawing them went."""

    def __init__(self, pack: Pack, work: Path, problems: Problems) -> None:
        self.pack = pack
        self.work = work
        self.problems = problems
        self.fonts = find_fonts(work)
        self.created = source_date()
        moment = source_date_epoch()
        self.issued = moment.date() if moment else None
        self.extensions, self.configs, issues = extensions_of(pack.mkdocs.data)
        for issue in issues:
            where = display_path(pack.mkdocs.path) if pack.mkdocs.path else "mkdocs.yml"
            problems.warning(Location(where), issue)
        self.find_asset = asset_finder(pack.layers)
        self.readable_folders = tuple(
            str(layer / folder) for layer in pack.layers for folder in ("content", "templates")
        )
        self.report = PrintReport()
        self.caches: dict[str, PdfCache] = {}
        self.replayed: list[tuple[str, str, str]] = []
        self.jobs: list[Job] = []
        self.parts: dict[str, PartsCache] = {}
        self.keys: dict[tuple[str, str], str] = {}
        self.missing_images: set[tuple[str, str]] = set()
        self.stylesheet_file = ""

    def html_file(self, lang: str, name: str) -> Path:
        return (self.work / lang / PRINT_HTML / name).with_suffix(".html")

    def prepare(self, loc: LocalisedPack) -> None:
        """Write one language's print HTML; queue the PDFs whose input changed."""
        code = loc.language.code
        markdown = PrintMarkdown(self.extensions, self.configs, self.find_asset, loc.language.dir)
        renderer = PrintRenderer(
            loc, markdown, created=self.created, logo=self.pack.logo_file(), issued=self.issued
        )
        css, self.stylesheet_file = renderer.stylesheet()
        settings = f"@page {{ size: {loc.config.print.paper}; }}\n{self.fonts.css(code)}"
        origin = Path(self.stylesheet_file).as_uri() if self.stylesheet_file else ""
        sheets = ((settings, ""), (css, origin))
        cache = self.caches[code] = PdfCache(self.work / code)
        items = printables(loc)
        for printable in items:
            document = renderer.render(printable)
            self.missing_images.update(document.missing_images)
            html_file = self.html_file(code, printable.name)
            html_file.parent.mkdir(parents=True, exist_ok=True)
            html_file.write_text(document.html, encoding="utf-8")
            files = [*self.fonts.files(code), *document.assets]
            self.report.files_read.update(self.fonts.files(code))
            key = input_key(document.html, sheets, files, document.forms)
            book = None
            if printable.kind == "pack" and in_parts() and cuttable(sheets, document.html):
                book = split_book(document.html, len(renderer.chapters) + 1)
            if book is not None:
                # Bound from parts, the book's bytes are the binding's too.
                key = text_digest(key, f"parts={PARTS_REVISION}")
            if cache.fresh(printable.name, key):
                self.report.reused += 1
                self.replayed.extend(
                    (code, printable.name, said) for said in cache.warnings.get(printable.name, [])
                )
                continue
            cache.forget(printable.name)
            self.keys[(code, printable.name)] = key
            target = cache.path(printable.name)
            # What the PDF may read: these files, and the pack's content and templates.
            readable = (*(str(f) for f in files), *self.readable_folders)
            job = PdfJob(
                code,
                printable.name,
                document.html,
                sheets,
                document.forms,
                key[:32],
                target,
                readable,
            )
            if book is not None:
                parts = self.parts[code] = PartsCache(self.work / code)
                bases = tuple(
                    input_key(book.alone(i), sheets, files, document.forms)
                    for i in range(len(book.parts))
                )
                self.jobs.append(BookJob(job, book, bases, tuple(parts.entries), parts.folder))
            else:
                self.jobs.append(job)
        cache.keep_only({p.name for p in items})
        _remove_stale_html(self.work / code / PRINT_HTML, {p.name for p in items})
        self.report.downloads[code] = Downloads(items)

    def render(self) -> None:
        """Draw the queued PDFs; the manifest records each one that succeeded."""
        jobs, report = self.jobs, self.report
        if jobs:
            log.info(
                "rendering %d PDFs (%d unchanged since the last build)", len(jobs), report.reused
            )
        started = time.perf_counter()
        failures: list[str] = []
        warnings: dict[str, list[str]] = {}
        for code, name, said in self.replayed:
            warnings.setdefault(said, []).append(display_path(self.html_file(code, name)))
        for done, result in enumerate(render_all(jobs), start=1):
            where = f"{result.lang}/downloads/{result.name}"
            for message in result.warnings:
                warnings.setdefault(message, []).append(
                    display_path(self.html_file(result.lang, result.name))
                )
            if result.error:
                failures.append(f"{where}: {result.error}")
                continue
            self.caches[result.lang].record(
                result.name, self.keys[(result.lang, result.name)], list(result.warnings)
            )
            report.rendered += 1
            report.drawn.append(f"{result.lang}/{result.name}")
            if isinstance(result, BookResult):
                self.parts[result.lang].save(result.parts)
                report.parts_drawn.extend(
                    f"{result.lang}/{result.name}#{result.parts[i].first}" for i in result.drawn
                )
            log.debug(
                "[%d/%d] %s: %d bytes in %.2f s",
                done,
                len(jobs),
                where,
                result.size,
                result.seconds,
            )
        for cache in self.caches.values():
            cache.save()
        self._warn(warnings)
        if failures:
            raise BuildFailed(
                f"the PDFs could not be made ({'; '.join(sorted(failures))}); "
                "the previous site is kept"
            )
        if jobs:
            log.info("rendered %d PDFs in %.1f s", report.rendered, time.perf_counter() - started)
        for code, downloads in report.downloads.items():
            downloads.sizes = {p.name: self.caches[code].size(p.name) for p in downloads.items}

    def _warn(self, warnings: dict[str, list[str]]) -> None:
        for source, src in sorted(self.missing_images):
            self.problems.warning(
                _source_location(self.pack, source),
                f"image {src!r} not found in content/; the PDFs show its description instead",
            )
        # The same stylesheet serves every PDF: say each thing once, where it can be fixed.
        for message, files in sorted(warnings.items()):
            css = _CSS_PLACE.search(message)
            if css and self.stylesheet_file:
                line, column = int(css[1]), int(css[2])
                where = Location(display_path(Path(self.stylesheet_file)), line, column)
                message = _CSS_PLACE.sub("", message)
            else:
                where = Location(files[0])
            also = f" (in {len(files)} PDFs)" if len(files) > 1 else ""
            self.problems.warning(where, f"WeasyPrint: {message}{also}")


def render_printables(
    pack: Pack, locs: dict[str, LocalisedPack], work: Path, problems: Problems
) -> PrintReport:
    """Render each language's PDFs into work/<lang>/downloads/, reusing those still current."""
    stage = _Stage(pack, work, problems)
    for loc in locs.values():
        stage.prepare(loc)
    stage.render()
    return stage.report


def _remove_stale_html(folder: Path, names: set[str]) -> None:
    """Keep the print HTML folder a true picture of this build's PDFs."""
    wanted = {Path(name).with_suffix(".html").as_posix() for name in names}
    for path in folder.rglob("*.html"):
        if path.relative_to(folder).as_posix() not in wanted:
            path.unlink()


def stylesheet_problems(loc: LocalisedPack, problems: Problems) -> None:
    """The print stylesheet read as WeasyPrint reads it: check reports the CSS a build ignores.

    Only the stylesheet is parsed, no PDF is drawn and nothing is written.
    """
    import weasyprint  # loaded here alone: it takes a moment, and only this needs it

    env = make_environment(loc.pack.layers, loc.ui)
    try:
        text, filename, _ = env.loader.get_source(env, STYLESHEET)  # type: ignore[union-attr]
    except jinja2.TemplateNotFound:
        problems.error(Location("templates"), f"{STYLESHEET} not found in templates/")
        return
    collector = WarningCollector()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(collector)
    try:
        weasyprint.CSS(string=text)
    finally:
        logger.removeHandler(collector)
    shown = display_path(Path(filename)) if filename else STYLESHEET
    for message in dict.fromkeys(collector.messages):
        place = _CSS_PLACE.search(message)
        if place:
            where = Location(shown, int(place[1]), int(place[2]))
            message = _CSS_PLACE.sub("", message)
        else:
            where = Location(shown)
        problems.warning(where, f"WeasyPrint: {message}")
