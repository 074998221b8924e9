"""The build as a row of named stages: load, validate, localise, PDFs, pages, MkDocs, swap in."""

from __future__ import annotations

import logging
import shutil
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from packgen.bundle import Bundle, fill_sizes, page_links, write_bundles
from packgen.errors import BuildFailed, Location, PackInvalid, Problem, Problems, UsageProblem
from packgen.forms import stage as forms
from packgen.i18n.catalog import Translator
from packgen.i18n.languages import language
from packgen.i18n.localise import load_translators, localise
from packgen.i18n.status import language_statuses
from packgen.links import check_links, located_mkdocs_warning
from packgen.loader import display_path
from packgen.output import check_output, output_lock, staged_output
from packgen.pack import Pack
from packgen.palette import check_palette
from packgen.printables.documents import DOWNLOADS, Downloads
from packgen.printables.documents import printables as planned_printables
from packgen.printables.render import PrintReport, render_printables, stylesheet_problems
from packgen.render.pages import render_site
from packgen.render.templates import make_environment, render_template
from packgen.resolve import load_pack
from packgen.site import build_languages, template_problems, write_sources
from packgen.site_trim import trim_site
from packgen.timings import Timings

log = logging.getLogger(__name__)

WORK_DIR = "build"
RENDERED_AT_CHECK = 300
"""Up to this many definitions, check renders every page as build does (about a second per
hundred); a larger pack keeps check within seconds and leaves the template run to build."""


@dataclass
class BuildReport:
    out: Path
    languages: list[str]
    warnings: list[Problem] = field(default_factory=list)
    untranslated: dict[str, int] = field(default_factory=dict)
    pdfs_rendered: int = 0
    """PDFs drawn in this build; the others were still current and were reused."""
    pdfs_reused: int = 0
    bundles: list[Bundle] = field(default_factory=list)
    """The offline zips written into the site's downloads/ folder, with their sizes."""
    timings: Timings = field(default_factory=Timings)
    """How long each stage took, and each language within it (`build --timings`)."""


def check(path: Path) -> tuple[Pack | None, Problems]:
    """Load and validate without writing anything, translations included.

    Links between pages are checked too, as a build checks them.
    """
    pack, problems = load_pack(path)
    if pack is not None:
        check_palette(pack, problems)
        for code in pack.languages[1:]:
            load_translators(pack, code, problems)  # reads and checks every catalog
        if not problems.errors:
            check_links(pack, problems)
        if not problems.errors and len(pack.definitions) <= RENDERED_AT_CHECK:
            _render_pages(pack, problems)
        elif not problems.errors:
            log.info(
                "%d definitions: the pages are rendered by build only (check renders them "
                "for packs of up to %d)",
                len(pack.definitions),
                RENDERED_AT_CHECK,
            )
    return pack, problems


def _render_pages(pack: Pack, problems: Problems) -> None:
    """Render the source language's pages in memory, so template errors show at check.

    The templates are the same in every language, so one language finds what the
    build would; nothing is written.
    """
    source = pack.languages[0]
    loc = localise(pack, source, problems)
    try:
        render_site(
            loc,
            Downloads(planned_printables(loc)),
            language_statuses(pack, [loc]),
            page_links(pack.config.id, list(pack.languages)),
        )
    except PackInvalid as exc:
        for problem in exc.problems:
            problems.add(problem)
    except BuildFailed as exc:
        problems.error(Location("templates"), str(exc))
    stylesheet_problems(loc, problems)


def _select_languages(pack: Pack, wanted: list[str] | None) -> list[str]:
    if not wanted:
        return list(pack.languages)
    unknown = [code for code in wanted if code not in pack.languages]
    if unknown:
        raise UsageProblem(
            f"--lang {', '.join(unknown)}: not a language of this pack "
            f"(it has {', '.join(pack.languages)})"
        )
    return [code for code in pack.languages if code in wanted]


def build(
    path: Path,
    out: Path | None = None,
    languages: list[str] | None = None,
    *,
    strict: bool = False,
    work_dir: Path | None = None,
    printables: bool = True,
) -> BuildReport:
    """Build the site of each language; printables=False leaves out the PDFs and their links."""
    timings = Timings()
    with timings.stage("load+resolve"):
        pack, problems = load_pack(path)
    if pack is None or problems.errors:
        raise PackInvalid(problems.sorted())
    codes = _select_languages(pack, languages)
    check_palette(pack, problems)
    out = (out or pack.root / "site").resolve()
    work = (work_dir or pack.root / WORK_DIR).resolve()
    check_output(out, pack.layers, work)
    with ExitStack() as held:
        # The work folder first, then the output, always in that order: no two builds wait
        # on each other, and none writes another's build/<lang>/mkdocs.yml.
        held.enter_context(output_lock(work))
        held.enter_context(output_lock(out))
        try:
            report = _build(
                pack, problems, codes, out, work, strict=strict, printables=printables, t=timings
            )
            timings.finish()
            return report
        except OSError as exc:  # a full disk, a folder this user may not write
            where = display_path(Path(exc.filename)) if exc.filename else display_path(out)
            raise BuildFailed(
                f"cannot write {where}: {exc.strerror or exc}; the previous site is kept"
            ) from None


def _build(
    pack: Pack,
    problems: Problems,
    codes: list[str],
    out: Path,
    work: Path,
    *,
    strict: bool,
    printables: bool,
    t: Timings,
) -> BuildReport:
    report = BuildReport(out=out, languages=codes, timings=t)

    locs = {}
    for code in codes:
        with t.language("localise", code):
            locs[code] = localise(pack, code, problems)
    if problems.errors:  # a broken catalog: its language can't be published as it is
        raise PackInvalid(problems.sorted())
    if printables:
        with t.stage("PDFs"):
            printed = render_printables(pack, locs, work, problems)
    else:
        printed = PrintReport({code: Downloads() for code in codes})
    report.pdfs_rendered, report.pdfs_reused = printed.rendered, printed.reused
    with t.stage("forms"):
        digital = forms.make_forms(pack, problems, locs)
    for downloads in printed.downloads.values():
        downloads.forms = forms.form_links(digital)

    log.info("rendering pages for %s", ", ".join(codes))
    statuses = language_statuses(pack, locs.values())
    offered = page_links(pack.config.id, codes)
    rendered = {}
    for code, loc in locs.items():
        with t.language("page render", code):
            rendered[code] = render_site(loc, printed.downloads[code], statuses, offered)
    with t.stage("links"):
        check_links(pack, problems)
    titles = {code: loc.config.title for code, loc in locs.items()}
    report.untranslated = {code: loc.missing for code, loc in locs.items()}

    with staged_output(out) as staging:
        jobs = {}
        for code in codes:
            with t.language("writing sources", code):
                jobs[code] = write_sources(
                    pack, rendered[code], titles[code], work / code, staging / code, codes
                )
                if printables:
                    # Into docs/, so that MkDocs copies them and checks the pages' links to them.
                    shutil.copytree(
                        work / code / DOWNLOADS,
                        work / code / "docs" / DOWNLOADS,
                        dirs_exist_ok=True,
                    )
        with t.stage("MkDocs"):
            results = build_languages(jobs)
        for result in results:
            t.record("MkDocs", result.lang, result.seconds)
        failures = [r for r in results if r.error]
        seen = {(p.location, p.message) for p in problems.items}
        for result in sorted(results, key=lambda r: r.lang):
            for message in result.warnings:
                located = located_mkdocs_warning(pack, message)
                if located is None:
                    located = (_site_location(work, result.lang), f"MkDocs: {message}")
                if located not in seen:  # a broken link is reported once, not once a language
                    seen.add(located)
                    problems.warning(*located)
        if failures and all(r.template for r in failures):
            raise PackInvalid(template_problems(pack, failures), "a theme template has errors")
        if failures:
            details = "; ".join(f"{r.lang}: {r.error}" for r in failures)
            raise BuildFailed(f"the site could not be built ({details}); the previous site is kept")
        if strict and problems.warnings:
            raise PackInvalid(
                problems.sorted(), "warnings in strict mode; the previous site is kept"
            )
        _write_chooser(pack, codes, titles, staging)
        forms.write_forms(digital, staging / forms.DOWNLOADS)
        with t.stage("trim+bundles"):
            report.bundles = _readers_copies(pack, codes, titles, staging)
        swapping = time.perf_counter()
    t.add("swap", time.perf_counter() - swapping)
    report.warnings = problems.warnings
    return report


def _readers_copies(
    pack: Pack, codes: list[str], titles: dict[str, str], staging: Path
) -> list[Bundle]:
    """Trim each language's site, zip the site for offline readers, then give pages the sizes."""
    for code in codes:
        trim_site(staging / code)
    bundles = write_bundles(pack.layers, pack.config.id, codes, titles, staging)
    fill_sizes(staging, codes, bundles)
    return bundles


def _site_location(work: Path, lang: str) -> Location:
    return Location(display_path(work / lang / "mkdocs.yml"))


def _write_chooser(pack: Pack, codes: list[str], titles: dict[str, str], staging: Path) -> None:
    """A plain page at the site's root that lets readers pick a language, with no JavaScript."""
    env = make_environment(pack.layers, Translator(pack.config.source_language))
    html = render_template(
        env,
        "chooser.html.j2",
        "the language chooser",
        source=language(codes[0]),
        languages=[language(code) for code in codes],
        titles=titles,
    )
    (staging / "index.html").write_text(html, encoding="utf-8")
