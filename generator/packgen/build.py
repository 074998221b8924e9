"""The build as a row of named stages: load, validate, localise, PDFs, pages, MkDocs, swap in."""

from __future__ import annotations

import logging
import shutil
import time
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from packgen.build_state import (
    BuildState,
    Inputs,
    SiteRecord,
    build_inputs,
    forget_site_record,
    forget_state,
    read_site_record,
    read_state,
    write_site_record,
    write_state,
)
from packgen.bundle import DOWNLOADS as DOWNLOADS_FOLDER
from packgen.bundle import Bundle, bundle_names, fill_sizes, page_links, write_bundles
from packgen.errors import BuildFailed, Location, PackInvalid, Problem, Problems, UsageProblem
from packgen.forms import stage as forms
from packgen.i18n.catalog import Translator
from packgen.i18n.languages import language
from packgen.i18n.localise import load_translators, localise
from packgen.i18n.status import language_statuses
from packgen.links import check_links, located_mkdocs_warning
from packgen.loader import display_path
from packgen.output import check_output, keep_unchanged, output_lock, staged_output
from packgen.pack import Pack, find_pack_root, read_layers
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
    carry_over: bool = False,
) -> BuildReport:
    """Build the site of each language; printables=False leaves out the PDFs and their links.

    Only what changed is made again: with nothing changed since the last build
    into the same folder, nothing is read past the files' digests and nothing
    is written. carry_over builds only the given languages and keeps every
    other language's site of the last build as it was, for a quick preview;
    the next build without it brings them up to date.
    """
    timings = Timings()
    root = find_pack_root(path)
    out = (out or root / "site").resolve()
    work = (work_dir or root / WORK_DIR).resolve()
    # The layers alone (their pack.yml read, nothing else), to check --out before any lock
    # is taken and to tell an unchanged build without loading the pack.
    unread = Problems()
    read = read_layers(root, unread)
    if read is None:  # what load_pack would say, as it reads the layers the same way
        raise PackInvalid(unread.sorted())
    layers = read[0]
    check_output(out, layers, work)
    with ExitStack() as held:
        # The work folder first, then the output, always in that order: no two builds wait
        # on each other, and none writes another's build/<lang>/mkdocs.yml.
        held.enter_context(output_lock(work))
        held.enter_context(output_lock(out))
        try:
            options = {"languages": languages or [], "printables": printables, "out": str(out)}
            with timings.stage("up-to-date check"):
                state = None if carry_over else read_state(work)
                unchanged = None
                if state is not None:
                    inputs = build_inputs(layers, state.also, options)
                    unchanged = _unchanged(state, inputs, out)
            if unchanged is not None:
                timings.finish()
                return _as_before(unchanged, strict=strict, timings=timings)
            report, pack = _build_pack(
                root, out, work, languages, strict, printables, carry_over, timings
            )
            if carry_over:
                timings.finish()
                return report  # not recorded: the languages carried over may be out of date
            also = [str(p) for p in report.files_read]
            inputs = build_inputs(pack.layers, also, options)
            write_state(
                work,
                inputs,
                out=out,
                layers=pack.layers,
                also=also,
                languages=report.languages,
                untranslated=report.untranslated,
                pdfs=report.pdfs_rendered + report.pdfs_reused,
                bundles=report.bundles,
                warnings=report.warnings,
            )
            timings.finish()
            return report
        except OSError as exc:  # a full disk, a folder this user may not write
            where = display_path(Path(exc.filename)) if exc.filename else display_path(out)
            raise BuildFailed(
                f"cannot write {where}: {exc.strerror or exc}; the previous site is kept"
            ) from None


def _unchanged(state: BuildState, inputs: Inputs, out: Path) -> BuildState | None:
    """The last build's record when it is still the truth: same inputs, its site untouched."""
    if state.key != inputs.key or state.out != str(out):
        changed = state.changed_files(inputs.files)
        if changed:
            shown = ", ".join(display_path(Path(name)) for name in changed[:5])
            more = f" and {len(changed) - 5} more" if len(changed) > 5 else ""
            log.info("changed since the last build: %s%s", shown, more)
        return None
    if not state.site_intact():
        log.info("%s was changed since the last build; writing it again", display_path(out))
        return None
    return state


def _as_before(state: BuildState, *, strict: bool, timings: Timings) -> BuildReport:
    """The report of a build with nothing to do: the last build's, warnings included."""
    warnings = state.problems()
    log.info("nothing changed since the last build: the site is as it was")
    if strict and warnings:
        raise PackInvalid(warnings, "warnings in strict mode; the previous site is kept")
    return BuildReport(
        out=Path(state.out),
        languages=state.languages,
        warnings=warnings,
        untranslated=dict(state.untranslated),
        pdfs_reused=state.pdfs,
        bundles=state.bundle_list(),
        unchanged=True,
        timings=timings,
    )


def _build_pack(
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
    codes = _select_languages(pack, languages)
    check_palette(pack, problems)
    # The site is about to change: a record of the old one must not outlive it.
    forget_state(work)
    carried = []
    if carry_over:
        carried = [
            code for code in pack.languages if code not in codes and _site_whole(work / code)
        ]
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
    )
    return report, pack


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
) -> BuildReport:
    carried = carried or []
    t = t or Timings()
    # Every language the site will hold: those built now, and those kept as they were.
    site_codes = [code for code in pack.languages if code in codes or code in carried]
    report = BuildReport(out=out, languages=site_codes, timings=t)

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

    def sources() -> Iterator[tuple[str, Path]]:
        # One language at a time, each handed to MkDocs while the next one is rendered; a
        # language whose sources are what its last site was built from is not built again.
        for code, loc in locs.items():
            started = time.perf_counter()
            with t.language("page render", code):
                rendered = render_site(loc, printed.downloads[code], statuses, offered)
            pdfs = work / code / DOWNLOADS if printables else None
            with t.language("writing sources", code):
                config_file, keys[code] = write_sources(
                    pack, rendered, titles[code], work / code, site_codes, pdfs
                )
            ours[0] += time.perf_counter() - started
            record = read_site_record(work / code)
            if record is not None and record.key == keys[code] and _site_whole(work / code):
                results.append(MkDocsResult(code, warnings=record.warnings))
                report.sites_reused.append(code)
                log.info("the %s site is unchanged since the last build", code)
                continue
            forget_site_record(work / code)
            yield code, config_file

    ours = [0.0]  # the part of the MkDocs stage's time that went to rendering and writing
    started = time.perf_counter()
    built = build_languages(sources(), len(codes))
    t.add("MkDocs", time.perf_counter() - started - ours[0])
    for result in built:
        t.record("MkDocs", result.lang, result.seconds)
    for result in built:
        if not result.error:
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
        started = time.perf_counter()
        for code in site_codes:
            shutil.copytree(work / code / SITE_FOLDER, staging / code)
        _write_chooser(pack, site_codes, titles, staging)
        if digital:
            forms.write_forms(digital, staging / forms.DOWNLOADS)
        if carried:
            bundles = _last_bundles(pack.config.id, site_codes, out, staging)
        else:
            bundles = write_bundles(
                pack.layers,
                pack.config.id,
                codes,
                titles,
                staging,
                source=pack.config.source_language,
            )
        fill_sizes(staging, codes, bundles)
        report.bundles = bundles
        t.add("copy+bundles", time.perf_counter() - started)
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
