"""Build stage for the website: one MkDocs (mkdocs-material) build per language.

Each language gets its own generated docs folder and config, which inherits
the pack's mkdocs.yml and adds what packgen guarantees: offline search, no
web fonts, pruned navigation, relative language links and right-to-left
layout where the language needs it.
"""

from __future__ import annotations

import logging
import os
import shutil
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import material
import yaml

from packgen.errors import WarningCollector
from packgen.i18n.languages import Language, language
from packgen.pack import CONTENT_DIR, Pack
from packgen.render.pages import RenderedSite
from packgen.workers import process_pool

log = logging.getLogger(__name__)

THEME_DIR = Path(__file__).parent / "theme"
MATERIAL = Path(material.__file__).parent
SHIM = "assets/javascripts/iframe-worker-shim.js"
STYLESHEET = "assets/stylesheets/packgen.css"
LOGO = "assets/images/organisation-logo"
REQUIRED_FEATURES = ["navigation.prune"]
OWN_PLUGINS = {"search", "offline"}


class _TolerantLoader(yaml.SafeLoader):
    """Reads mkdocs.yml safely; Python and !ENV tags are read as nothing."""


_TolerantLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_mkdocs_yml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        data = yaml.load(handle, Loader=_TolerantLoader)
    if not isinstance(data, dict):
        return {}
    if "INHERIT" in data:
        parent = read_mkdocs_yml((path.parent / str(data.pop("INHERIT"))).resolve())
        parent.update(data)
        data = parent
    return data


def _search_languages(code: str) -> list[str]:
    lunr = MATERIAL / "templates/assets/javascripts/lunr/min"
    base = code.split("-")[0].split("_")[0]
    return [base] if base == "en" or (lunr / f"lunr.{base}.min.js").is_file() else ["en"]


def _plugins(base: dict[str, Any], lang: str) -> list[Any]:
    plugins: list[Any] = []
    for entry in base.get("plugins") or []:
        name = next(iter(entry)) if isinstance(entry, dict) else str(entry)
        if name not in OWN_PLUGINS:
            plugins.append(entry)
    return [*plugins, {"search": {"lang": _search_languages(lang)}}, "offline"]


def mkdocs_config(
    pack: Pack, site: RenderedSite, title: str, workdir: Path, site_dir: Path
) -> dict[str, Any]:
    """The overrides for one language; everything else comes from the pack's mkdocs.yml."""
    base_file = pack.mkdocs_file()
    base = read_mkdocs_yml(base_file)
    theme = base.get("theme") or {}
    features = list(theme.get("features") or [])
    features += [f for f in REQUIRED_FEATURES if f not in features]
    lang: Language = language(site.lang)
    config: dict[str, Any] = {
        "INHERIT": str(base_file),
        "site_name": title,
        "docs_dir": "docs",
        "site_dir": str(site_dir),
        "use_directory_urls": False,
        "theme": {
            "name": "material",
            "language": site.lang,
            "direction": lang.dir,
            "custom_dir": "overrides",
            "font": False,
            "features": features,
        },
        "plugins": _plugins(base, site.lang),
        "extra_css": [*(base.get("extra_css") or []), STYLESHEET],
        "extra": {
            "generator": False,
            "polyfills": [SHIM],
            "alternate": [
                {"name": language(code).name, "lang": code, "link": f"../{code}/index.html"}
                for code in pack.languages
            ],
        },
        "nav": [entry.to_mkdocs() for entry in site.nav],
    }
    organisation = pack.config.organisation
    if organisation:
        config["copyright"] = organisation.name
        if organisation.logo:
            config["theme"]["logo"] = LOGO + Path(organisation.logo).suffix
    return config


def write_sources(
    pack: Pack, site: RenderedSite, title: str, workdir: Path, site_dir: Path
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
    config = mkdocs_config(pack, site, title, workdir, site_dir)
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
    try:
        config = load_config(config_file)
        build(config)
    except MkDocsException as exc:
        result.error = str(exc) or type(exc).__name__
    except OSError as exc:
        result.error = f"{exc.strerror}: {exc.filename}"
    finally:
        mkdocs_log.removeHandler(handler)
    result.warnings = [m for m in handler.messages if m.strip()]
    return result


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
