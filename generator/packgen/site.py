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
import shutil
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import material
import yaml

from packgen import site_hooks
from packgen.errors import Location, Problem, WarningCollector
from packgen.i18n.languages import Language, language
from packgen.loader import display_path
from packgen.mkdocs_settings import short_name
from packgen.pack import CONTENT_DIR, Pack
from packgen.render.pages import RenderedSite
from packgen.sanitize import clean_text
from packgen.site_hooks import AUTHORS_PAGES, SECTION_OPENERS
from packgen.site_settings import add_reader_settings
from packgen.workers import process_pool

log = logging.getLogger(__name__)

THEME_DIR = Path(__file__).parent / "theme"
MATERIAL = Path(material.__file__).parent
SHIM = "assets/javascripts/iframe-worker-shim.js"
STYLESHEET = "assets/stylesheets/packgen.css"
LOGO = "assets/images/organisation-logo"
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
    features = list(settings.theme.get("features") or [])
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
        # The footer of every page: who publishes it, where to find them, how to reach them.
        parts = [organisation.name, organisation.web_address, organisation.contact]
        config["copyright"] = clean_text(" · ".join(part for part in parts if part))
        if organisation.logo:
            config["theme"]["logo"] = LOGO + Path(organisation.logo).suffix
    return config


def write_sources(
    pack: Pack,
    site: RenderedSite,
    title: str,
    workdir: Path,
    site_dir: Path,
    languages: list[str] | None = None,
) -> Path:
    """Write the inspectable build folder for one language; returns its mkdocs.yml.

    Only what this function writes is replaced: the folder also keeps the
    PDFs of the last build, which the next build reuses when still current.
    """
    for written in (workdir / "docs", workdir / "overrides"):
        if written.exists():
            shutil.rmtree(written)
    docs = workdir / "docs"
    for layer in reversed(pack.layers):
        content = layer / CONTENT_DIR
        if content.is_dir():
            shutil.copytree(content, docs, dirs_exist_ok=True, ignore=_markdown)
    for path, text in site.pages.items():
        target = docs / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    logo = pack.logo_file()
    if logo is not None:
        target = docs / (LOGO + logo.suffix)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(logo, target)
    shutil.copytree(THEME_DIR, workdir / "overrides")
    for layer in reversed(pack.layers):
        if (layer / "overrides").is_dir():
            shutil.copytree(layer / "overrides", workdir / "overrides", dirs_exist_ok=True)
    for path, text in site.theme_files.items():
        target = workdir / "overrides" / path
        if not target.exists():  # a pack's own override of the same file wins
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    config_file = workdir / "mkdocs.yml"
    config = mkdocs_config(pack, site, title, workdir, site_dir, languages)
    config_file.write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return config_file


def _markdown(folder: str, names: list[str]) -> list[str]:
    # Pages are written from the rendered (translated) text; only assets are copied as they are.
    return [name for name in names if name.endswith(".md")]


@dataclass
class MkDocsResult:
    lang: str
    warnings: list[str] = field(default_factory=list)
    error: str | None = None
    template: tuple[str, int] | None = None
    """Where a theme template (overrides/... in the work folder) failed, with its line."""
    seconds: float = 0.0
    """How long this language's MkDocs build took, in its worker."""


def run_mkdocs(lang: str, config_file: str) -> MkDocsResult:
    """Build one language; runs in a worker process so languages build in parallel."""
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


def build_languages(jobs: dict[str, Path], workers: int | None = None) -> list[MkDocsResult]:
    """Run every language's MkDocs build, several at once; results in the order they finish."""
    if len(jobs) == 1:
        lang, path = next(iter(jobs.items()))
        log.info("building the %s site", lang)
        return [run_mkdocs(lang, str(path))]
    workers = workers or min(len(jobs), os.cpu_count() or 1)
    results: list[MkDocsResult] = []
    with process_pool(workers) as pool:
        futures = {pool.submit(run_mkdocs, lang, str(path)): lang for lang, path in jobs.items()}
        for done, future in enumerate(as_completed(futures), start=1):
            result = future.result()
            log.info("[%d/%d] built the %s site", done, len(jobs), result.lang)
            results.append(result)
    return results
