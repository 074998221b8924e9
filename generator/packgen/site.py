"""Build stage for the website: one MkDocs (mkdocs-material) build per language.

Each language gets its own generated docs folder and a complete config that
packgen writes itself: the settings it takes from the pack's mkdocs.yml (an
allow-list, see mkdocs_settings) and what packgen guarantees: offline search,
no web fonts, pruned navigation, relative language links, right-to-left
layout where the language needs it, and its own hook, which cleans every
page's HTML. Nothing in it points into the pack.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import material
import yaml

from packgen import site_hooks
from packgen.build_state import site_key
from packgen.bundle_parts import BundleJob, BundleParts, make_parts
from packgen.errors import Location, Problem, WarningCollector
from packgen.fingerprint import text_digest
from packgen.folder_sync import FolderWriter
from packgen.i18n.languages import Language, language
from packgen.loader import display_path
from packgen.mkdocs_settings import short_name
from packgen.pack import CONTENT_DIR, Pack
from packgen.printables.documents import DOWNLOADS
from packgen.render.pages import RenderedSite
from packgen.sanitize import clean_text
from packgen.site_hooks import AUTHORS_PAGES, SECTION_OPENERS
from packgen.site_settings import add_reader_settings, menu_features
from packgen.site_trim import trim_site
from packgen.workers import process_pool

log = logging.getLogger(__name__)

THEME_DIR = Path(__file__).parent / "theme"
MATERIAL = Path(material.__file__).parent
SHIM = "assets/javascripts/iframe-worker-shim.js"
STYLESHEET = "assets/stylesheets/packgen.css"
LOGO = "assets/images/organisation-logo"
SITE_FOLDER = "site"
"""Where in a language's work folder MkDocs writes its site, kept for the next build."""
REQUIRED_FEATURES = ["navigation.prune"]
# packgen's own page templates write admonitions, attribute lists, Markdown inside
# HTML blocks, tables and task lists: a pack's mkdocs.yml may add extensions, never
# take these away, or its pages would show their markup as text.
REQUIRED_EXTENSIONS = ["admonition", "attr_list", "md_in_html", "tables", "pymdownx.tasklist"]
HOOKS = Path(site_hooks.__file__)
"""packgen's own MkDocs hook (the only one a build runs): it cleans each page's HTML."""


def _search_languages(code: str) -> list[str]:
    lunr = MATERIAL / "templates/assets/javascripts/lunr/min"
    base = code.split("-")[0].split("_")[0]
    return [base] if base == "en" or (lunr / f"lunr.{base}.min.js").is_file() else ["en"]


def _plugins(lang: str) -> list[Any]:
    return [{"search": {"lang": _search_languages(lang)}}, "offline"]


def with_required_extensions(extensions: list[Any]) -> list[Any]:
    """The pack's extensions, then those packgen's templates need that it left out."""
    named = {short_name(e if isinstance(e, str) else next(iter(e))) for e in extensions}
    return [*extensions, *(e for e in REQUIRED_EXTENSIONS if short_name(e) not in named)]


def mkdocs_config(
    pack: Pack,
    site: RenderedSite,
    title: str,
    workdir: Path,
    site_dir: Path,
    languages: list[str] | None = None,
) -> dict[str, Any]:
    """The whole MkDocs config of one language, with the pack's allowed settings."""
    settings = pack.mkdocs
    features = menu_features(
        list(settings.theme.get("features") or []), site.nav, pack.config.site.expand_sections
    )
    features += [f for f in REQUIRED_FEATURES if f not in features]
    lang: Language = language(site.lang)
    config: dict[str, Any] = {
        **settings.top,
        "site_name": clean_text(title),
        "docs_dir": "docs",
        "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": {
            **settings.theme,
            "name": "material",
            "language": site.lang,
            "direction": lang.dir,
            "custom_dir": "overrides",
            "font": False,
            "features": features,
        },
        "markdown_extensions": with_required_extensions(settings.extensions),
        "plugins": _plugins(site.lang),
        "hooks": [str(HOOKS)],
        "extra_css": [*settings.extra_css, STYLESHEET],
        "extra": {
            **settings.extra,
            "generator": False,
            "polyfills": [SHIM],
            AUTHORS_PAGES: site.authors_pages,
            SECTION_OPENERS: site.section_openers,
        },
        "nav": [entry.to_mkdocs() for entry in site.nav],
    }
    add_reader_settings(config, settings.data, languages or list(pack.languages))
    organisation = pack.config.organisation
    if organisation:
        # The footer of every page, in the page's language, variables filled in.
        config["copyright"] = clean_text(site.footer or "")
        if organisation.logo:
            config["theme"]["logo"] = LOGO + Path(organisation.logo).suffix
    return config


def write_sources(
    pack: Pack,
    site: RenderedSite,
    title: str,
    workdir: Path,
    languages: list[str] | None = None,
    downloads: Path | None = None,
) -> tuple[Path, str]:
    """Write the inspectable build folder of one language; returns its mkdocs.yml and key.

    Files whose bytes are unchanged are left as they are, so the folder shows
    what changed; the key is a digest of everything MkDocs will read, which
    tells whether the language's site must be built again. The PDFs in
    downloads are copied into docs/, where MkDocs publishes them and checks
    the pages' links to them.
    """
    docs = FolderWriter(workdir / "docs")
    for layer in reversed(pack.layers):
        content = layer / CONTENT_DIR
        if content.is_dir():
            docs.copy_tree(content, keep=_asset)
    for path, text in site.pages.items():
        docs.put(path, text)
    logo = pack.logo_file()
    if logo is not None:
        docs.copy(LOGO + logo.suffix, logo)
    if downloads is not None and downloads.is_dir():
        docs.copy_tree(downloads, DOWNLOADS)
    overrides = FolderWriter(workdir / "overrides")
    overrides.copy_tree(THEME_DIR)
    for layer in reversed(pack.layers):
        if (layer / "overrides").is_dir():
            overrides.copy_tree(layer / "overrides")
    for path, text in site.theme_files.items():
        if path not in overrides:  # a pack's own override of the same file wins
            overrides.put(path, text)
    workdir.mkdir(parents=True, exist_ok=True)
    config_file = workdir / "mkdocs.yml"
    config = mkdocs_config(pack, site, title, workdir, workdir / SITE_FOLDER, languages)
    config_text = yaml.safe_dump(config, allow_unicode=True, sort_keys=False)
    if not config_file.is_file() or config_file.read_text(encoding="utf-8") != config_text:
        config_file.write_text(config_text, encoding="utf-8")
    key = site_key(text_digest(docs.sync(), overrides.sync(), config_text))
    return config_file, key


def _asset(name: str) -> bool:
    # Pages are written from the rendered (translated) text; only assets are copied as they are.
    return not name.endswith(".md")


@dataclass
class MkDocsResult:
    lang: str
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    template: tuple[str, int] | None = None
    """Where a theme template (overrides/... in the work folder) failed, with its line."""
    seconds: float = 0.0
    """How long this language's MkDocs build took, in its worker."""
    built: bool = True
    """False when the site was already built and only its part of the bundles was made."""
    parts: BundleParts | None = None
    """The language's entries of the offline bundles, compressed right after its build."""
    stages: dict[str, float] = field(default_factory=dict)
    """Seconds of each of packgen's stages that ran in the worker for this language."""


def run_mkdocs(lang: str, config_file: str | None, bundle: BundleJob | None = None) -> MkDocsResult:
    """Build one language, trim its site and compress its part of the bundles.

    Runs in a worker, so that languages build in parallel; config_file None
    takes the site as it is (unchanged since the last build) and makes its
    part of the bundles only.
    """
    if config_file is None:
        result = MkDocsResult(lang, built=False)
    else:
        result = _build_site(lang, config_file)
    if bundle is not None and result.error is None:
        started = time.perf_counter()
        try:
            result.parts = make_parts(bundle)
        except OSError as exc:
            result.error = f"{exc.strerror}: {exc.filename}"
        result.stages["bundles"] = time.perf_counter() - started
    return result


def _build_site(lang: str, config_file: str) -> MkDocsResult:
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    handler = WarningCollector()
    mkdocs_log = logging.getLogger("mkdocs")
    mkdocs_log.addHandler(handler)
    mkdocs_log.propagate = False
    result = MkDocsResult(lang)
    started = time.perf_counter()
    try:
        config = load_config(config_file)
        build(config)
        result.seconds = time.perf_counter() - started
        # Here, in the worker, so that languages are trimmed in parallel too.
        trimming = time.perf_counter()
        trim_site(Path(config.site_dir))
        result.stages["trim"] = time.perf_counter() - trimming
    except MkDocsException as exc:
        result.error = str(exc) or type(exc).__name__
    except OSError as exc:
        result.error = f"{exc.strerror}: {exc.filename}"
    except jinja2.TemplateError as exc:
        # A theme template (a pack's overrides/ included) failed, or reached past the sandbox.
        result.template = _theme_template_place(exc, Path(config_file).parent)
        where = f"{result.template[0]}:{result.template[1]}" if result.template else "the theme"
        result.error = f"{where}: {exc}"
    finally:
        mkdocs_log.removeHandler(handler)
        if not result.seconds:
            result.seconds = time.perf_counter() - started
    result.warnings = [m for m in handler.messages if m.strip()]
    return result


def _theme_template_place(exc: BaseException, workdir: Path) -> tuple[str, int] | None:
    """The pack's theme override (its path under the work folder) and line an error came from."""
    place = None
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        if filename.is_relative_to(workdir / "overrides"):
            place = (filename.relative_to(workdir).as_posix(), tb.tb_lineno)
        tb = tb.tb_next
    return place


def template_problems(pack: Pack, failed: list[MkDocsResult]) -> list[Problem]:
    """The failures of the pack's theme overrides, located in the pack's own files."""
    problems: dict[tuple[Location, str], Problem] = {}
    for result in failed:
        assert result.template is not None
        rel, line = result.template
        owner = next((layer / rel for layer in pack.layers if (layer / rel).is_file()), None)
        where = Location(display_path(owner) if owner else rel, line)
        message = (result.error or "").split(": ", 1)[-1]
        problems.setdefault((where, message), Problem(where, f"theme template: {message}"))
    return list(problems.values())


def build_languages(
    jobs: Mapping[str, Path] | Iterable[tuple[str, Path]],
    count: int | None = None,
    workers: int | None = None,
    *,
    bundles: Mapping[str, BundleJob] | None = None,
    pool: ProcessPoolExecutor | None = None,
) -> list[MkDocsResult]:
    """Run every language's MkDocs build, several at once; results in the order they finish.

    jobs may be a generator of (language, mkdocs.yml) that writes each language's sources
    as it is asked for the next: each build starts as soon as its sources are written, while
    the next language's pages are rendered. count is how many it may yield at most.
    bundles holds the bundle job of each language (filled in by the time a language is
    yielded): a built language's worker goes on to compress its part of the bundles, and
    each language not yielded (its site unchanged) has its part made on its own.
    pool is the build's own pool of workers, if it has one already.
    """
    pairs = iter(jobs.items() if isinstance(jobs, Mapping) else jobs)
    count = len(jobs) if isinstance(jobs, Mapping) else count
    bundles = bundles if bundles is not None else {}
    if count == 0:
        return []
    if count == 1:
        results = []
        for lang, path in pairs:
            log.info("building the %s site", lang)
            results.append(run_mkdocs(lang, str(path), bundles.get(lang)))
        results += [
            run_mkdocs(lang, None, job)
            for lang, job in bundles.items()
            if lang not in {r.lang for r in results}
        ]
        return results
    workers = workers or min(count or os.cpu_count() or 1, os.cpu_count() or 1)
    if pool is not None:
        return _run_all(pool, pairs, bundles)
    with process_pool(workers) as own:
        return _run_all(own, pairs, bundles)


def _run_all(
    pool: ProcessPoolExecutor, pairs: Iterator[tuple[str, Path]], bundles: Mapping[str, BundleJob]
) -> list[MkDocsResult]:
    futures: list[Future[MkDocsResult]] = []
    submitted: set[str] = set()
    for lang, path in pairs:
        futures.append(pool.submit(run_mkdocs, lang, str(path), bundles.get(lang)))
        submitted.add(lang)
    building = len(futures)
    for lang, job in bundles.items():
        if lang not in submitted:  # its site is unchanged: only its part of the bundles
            futures.append(pool.submit(run_mkdocs, lang, None, job))
    results: list[MkDocsResult] = []
    done = 0
    for future in as_completed(futures):
        result = future.result()
        if result.built:
            done += 1
            log.info("[%d/%d] built the %s site", done, building, result.lang)
        results.append(result)
    return results
