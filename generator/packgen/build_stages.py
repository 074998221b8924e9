"""The build's stages, in order: load and resolve, localise, PDFs, forms, pages, MkDocs, swap in.

Imported only once a build has work to do (see build.py): these stages, and the
libraries they stand on, take longer to import than a build with nothing to do takes.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import yaml

from packgen.build_report import BuildReport
from packgen.build_state import (
    Bundle,
    SiteRecord,
    forget_site_record,
    forget_state,
    read_site_record,
    write_site_record,
)
from packgen.bundle import DOWNLOADS as DOWNLOADS_FOLDER
from packgen.bundle import bundle_names, fill_sizes, page_links
from packgen.bundle_parts import BundleJob, assemble_bundles
from packgen.errors import BuildFailed, Location, PackInvalid, Problems, UsageProblem
from packgen.forms import stage as forms
from packgen.i18n.catalog import Translator
from packgen.i18n.languages import language
from packgen.i18n.localise import load_translators, localise, read_ahead
from packgen.i18n.status import language_statuses
from packgen.links import check_links, located_mkdocs_warning
from packgen.loader import display_path
from packgen.output import keep_unchanged, staged_output
from packgen.pack import Pack
from packgen.palette import check_palette
from packgen.printables.documents import DOWNLOADS, Downloads
from packgen.printables.documents import printables as planned_printables
from packgen.printables.render import PrintReport, render_printables, stylesheet_problems
from packgen.render.pages import render_site
from packgen.render.templates import make_environment, render_template
from packgen.resolve import load_pack
from packgen.site import (
    SITE_FOLDER,
    MkDocsResult,
    build_languages,
    template_problems,
    write_sources,
)
from packgen.timings import Timings
from packgen.workers import process_pool

log = logging.getLogger(__name__)

BUNDLE_PARTS = "bundle-parts.bin"
"""In a language's work folder: its entries of the offline bundles, compressed, for the zips."""
RENDERED_AT_CHECK = 300
"""Up to this many definitions, check renders every page as build does (about a second per
hundred); a larger pack keeps check within seconds and leaves the template run to build."""


def check_pack(path: Path) -> tuple[Pack | None, Problems]:
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


def select_languages(pack: Pack, wanted: list[str] | None) -> list[str]:
    if not wanted:
        return list(pack.languages)
    unknown = [code for code in wanted if code not in pack.languages]
    if unknown:
        raise UsageProblem(
            f"--lang {', '.join(unknown)}: not a language of this pack "
            f"(it has {', '.join(pack.languages)})"
        )
    return [code for code in pack.languages if code in wanted]


def build_pack(
    root: Path,
    out: Path,
    work: Path,
    languages: list[str] | None,
    strict: bool,
    printables: bool,
    carry_over: bool,
    timings: Timings,
) -> tuple[BuildReport, Pack]:
    with timings.stage("load+resolve"):
        pack, problems = load_pack(root)
    if pack is None or problems.errors:
        raise PackInvalid(problems.sorted())
    codes = select_languages(pack, languages)
    check_palette(pack, problems)
    # The site is about to change: a record of the old one must not outlive it.
    forget_state(work)
    carried = []
    if carry_over:
        carried = [
            code for code in pack.languages if code not in codes and _site_whole(work / code)
        ]
    with _workers(len(codes)) as pool:
        report = _build(
            pack,
            problems,
            codes,
            out,
            work,
            strict=strict,
            printables=printables,
            carried=carried,
            t=timings,
            pool=pool,
        )
    return report, pack


@contextmanager
def _workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """The workers that build the languages, started before the languages are localised:
    they read the catalogs ahead meanwhile. None when one language is built, in process."""
    if count < 2:
        yield None
        return
    with process_pool(min(count, os.cpu_count() or 1)) as pool:
        yield pool


def _build(
    pack: Pack,
    problems: Problems,
    codes: list[str],
    out: Path,
    work: Path,
    *,
    strict: bool,
    printables: bool,
    carried: list[str] | None = None,
    t: Timings | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> BuildReport:
    carried = carried or []
    t = t or Timings()
    # Every language the site will hold: those built now, and those kept as they were.
    site_codes = [code for code in pack.languages if code in codes or code in carried]
    report = BuildReport(out=out, languages=site_codes, timings=t)

    locs = {}
    source = pack.config.source_language
    ahead = {}
    if pool is not None:  # a cold catalog takes seconds to read: the workers read them meanwhile
        ahead = {c: pool.submit(read_ahead, pack.layers, c, source) for c in codes if c != source}
    for code in codes:
        if code in ahead:
            with contextlib.suppress(Exception):  # the catalogs are read again just below
                ahead[code].result()
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
    report.pdfs_drawn = sorted(printed.drawn)
    report.book_parts_drawn = sorted(printed.parts_drawn)
    report.files_read = sorted(printed.files_read)
    logo = pack.logo_file()
    if logo is not None:
        report.files_read.append(logo)
    # A preview that carries languages over keeps the last build's forms: making them
    # reads every language's catalogs.
    with t.stage("forms"):
        digital = [] if carried else forms.make_forms(pack, problems, locs)
    links = forms.planned_links(pack) if carried else forms.form_links(digital)
    for downloads in printed.downloads.values():
        downloads.forms = links

    log.info("rendering pages for %s", ", ".join(codes))
    statuses = language_statuses(pack, locs.values())
    offered = page_links(pack.config.id, site_codes)
    with t.stage("links"):
        check_links(pack, problems)
    titles = {code: loc.config.title for code, loc in locs.items()}
    report.untranslated = {code: loc.missing for code, loc in locs.items()}

    results: list[MkDocsResult] = []
    keys: dict[str, str] = {}
    # Each language's worker compresses its part of the offline bundles right after its
    # build, so that the end of the build only copies compressed entries into the zips.
    bundle_jobs: dict[str, BundleJob] = {}
    extras = sorted(name for form in digital for name in form.files())

    def sources() -> Iterator[tuple[str, Path]]:
        # One language at a time, each handed to MkDocs while the next one is rendered; a
        # language whose sources are what its last site was built from is not built again.
        for code, loc in locs.items():
            if not carried:
                bundle_jobs[code] = BundleJob(
                    code,
                    work / code / SITE_FOLDER,
                    work / code / BUNDLE_PARTS,
                    codes,
                    pack.config.id,
                    pack.layers,
                    pack.config.source_language,
                    titles[code],
                    extras,
                )
            with t.language("page render", code):
                rendered = render_site(loc, printed.downloads[code], statuses, offered)
            pdfs = work / code / DOWNLOADS if printables else None
            with t.language("writing sources", code):
                config_file, keys[code] = write_sources(
                    pack, rendered, titles[code], work / code, site_codes, pdfs
                )
            record = read_site_record(work / code)
            if record is not None and record.key == keys[code] and _site_whole(work / code):
                results.append(MkDocsResult(code, warnings=record.warnings))
                report.sites_reused.append(code)
                log.info("the %s site is unchanged since the last build", code)
                continue
            forget_site_record(work / code)
            yield code, config_file

    built = build_languages(sources(), len(codes), bundles=bundle_jobs, pool=pool)
    for result in built:
        if result.built:
            t.worker("MkDocs", result.lang, result.seconds)
        for name, seconds in result.stages.items():
            t.worker(name, result.lang, seconds)
    for result in built:
        if result.built and not result.error:
            write_site_record(work / result.lang, SiteRecord(keys[result.lang], result.warnings))
            report.sites_built.append(result.lang)
    results += built
    report.sites_built.sort(key=codes.index)
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
        raise PackInvalid(problems.sorted(), "warnings in strict mode; the previous site is kept")

    for code in carried:
        titles[code] = _title_of(work / code / SITE_FOLDER, pack.config.title)
    with staged_output(out) as staging:
        with t.stage("copy"):
            for code in site_codes:
                shutil.copytree(work / code / SITE_FOLDER, staging / code)
        with t.stage("zips"):
            _write_chooser(pack, site_codes, titles, staging)
            if digital:
                forms.write_forms(digital, staging / forms.DOWNLOADS)
            if carried:
                bundles = _last_bundles(pack.config.id, site_codes, out, staging)
            else:
                made = {r.lang: r.parts for r in results if r.parts is not None}
                bundles = assemble_bundles(
                    pack.config.id,
                    codes,
                    titles,
                    staging,
                    made,
                    layers=pack.layers,
                    source=pack.config.source_language,
                )
            fill_sizes(staging, codes, bundles)
        report.bundles = bundles
        with t.stage("keeping unchanged files"):
            kept = keep_unchanged(staging, out)
        log.debug("%d files of the site are unchanged and kept as they were", kept)
        swapping = time.perf_counter()
    t.add("swap", time.perf_counter() - swapping)
    report.warnings = problems.warnings
    return report


def _site_whole(workdir: Path) -> bool:
    return (workdir / SITE_FOLDER / "index.html").is_file()


def _title_of(site: Path, default: str) -> str:
    """The title a language's built site carries (for the chooser), read back from its config."""
    config = site.parent / "mkdocs.yml"
    try:
        loaded = yaml.safe_load(config.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError):
        return default
    name = loaded.get("site_name") if isinstance(loaded, dict) else None
    return name if isinstance(name, str) else default


def _last_bundles(pack_id: str, codes: list[str], out: Path, staging: Path) -> list[Bundle]:
    """The zips and forms of the last build, kept while some languages are carried over."""
    if (out / DOWNLOADS_FOLDER).is_dir():
        shutil.copytree(out / DOWNLOADS_FOLDER, staging / DOWNLOADS_FOLDER, dirs_exist_ok=True)
    bundles = bundle_names(pack_id, codes)
    for bundle in bundles:
        kept = staging / DOWNLOADS_FOLDER / bundle.name
        bundle.size = kept.stat().st_size if kept.is_file() else 0
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
