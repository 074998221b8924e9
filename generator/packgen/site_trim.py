"""After MkDocs: make one language's site light and right from disk.

MkDocs and mkdocs-material write more than an offline reader needs: source
maps, a word splitter for every language lunr knows, the search index twice
(and with non-ASCII letters escaped), and a 404 page whose links start at the
server's root. This stage removes what the pages never load and rewrites the
rest, and teaches the search worker to forgive missing accents and marks.
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

ASSETS = "assets/javascripts"
LUNR = f"{ASSETS}/lunr"
WORKERS = f"{ASSETS}/workers"
INDEX_JS = "search/search_index.js"
INDEX_JSON = "search/search_index.json"
FOLD_SCRIPT = Path(__file__).parent / "theme/assets/javascripts/search-fold.js"
FOLD_MARK = "packgen: forgiving search"
SEGMENTERS = {"ja": "tinyseg.js", "hi": "wordcut.js", "th": "wordcut.js"}
_MAP_COMMENT = re.compile(rb"\n?/[/*][#@] sourceMappingURL=[^\s*]+(?: ?\*/)?\s*$")
_ROOT_ATTR = re.compile(r'\b(href|src)="/+(?!/)')
_TASK = re.compile(
    r'<label class="task-list-control">(<input type="checkbox"[^>]*>)'
    r'<span class="task-list-indicator"></span></label>\s*'
    r"((?:(?!<(?:/?li|ul|ol|p|div|label)\b).)*?)</li>",
    re.DOTALL,
)
_DIALOG = '<div class="md-search" data-md-component="search" role="dialog"'
_SEARCH_LABEL = re.compile(r'<input [^>]*class="md-search__input"[^>]*\baria-label="([^"]*)"')
_VERBATIM = re.compile(
    r"(<pre\b.*?</pre>|<textarea\b.*?</textarea>|<script\b.*?</script>)", re.DOTALL
)
_INDENT = re.compile(r"\n[ \t\n]+")
_HTML_LANG = re.compile(r'<html[^>]*\blang="([^"]+)"')


@dataclass
class TrimReport:
    removed_files: int = 0
    removed_bytes: int = 0


def trim_site(site: Path) -> TrimReport:
    """Trim one built language folder in place (it is the staging copy packgen made)."""
    report = TrimReport()
    _drop_source_maps(site, report)
    languages = _one_search_index(site, report)
    _drop_unused_search_languages(site, languages, report)
    _fold_search(site)
    _relative_404(site)
    for page in sorted(site.rglob("*.html")):
        _tidy_page(page)
    log.debug(
        "%s: removed %d files (%d bytes) the pages never load",
        site.name,
        report.removed_files,
        report.removed_bytes,
    )
    return report


def _remove(path: Path, report: TrimReport) -> None:
    report.removed_files += 1
    report.removed_bytes += path.stat().st_size
    path.unlink()


def _drop_source_maps(site: Path, report: TrimReport) -> None:
    for path in sorted((site / "assets").rglob("*.map")):
        _remove(path, report)
    # Without their maps, the comments pointing at them would only make failed requests.
    for path in sorted((site / "assets").rglob("*")):
        if path.suffix in {".js", ".css"} and path.is_file():
            data = path.read_bytes()
            stripped = _MAP_COMMENT.sub(b"\n", data)
            if stripped != data:
                path.write_bytes(stripped)


def _one_search_index(site: Path, report: TrimReport) -> list[str]:
    """Keep the index as the .js the offline site loads, in plain UTF-8; return its languages.

    Served over http, the theme asks for the .json instead: packgen's shim
    answers that request from the .js, so one file serves both.
    """
    json_file, js_file = site / INDEX_JSON, site / INDEX_JS
    if not json_file.is_file():
        return []
    index = json.loads(json_file.read_text(encoding="utf-8"))
    text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # U+2028 and U+2029 end a line in older JavaScript; keep them escaped.
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    js_file.write_text(f"var __index = {text}\n", encoding="utf-8")
    _remove(json_file, report)
    return [str(code) for code in index.get("config", {}).get("lang", [])]


def _drop_unused_search_languages(site: Path, languages: list[str], report: TrimReport) -> None:
    lunr = site / LUNR
    if not lunr.is_dir():
        return
    keep = {"min/lunr.stemmer.support.min.js"} if languages != ["en"] else set()
    keep |= {f"min/lunr.{code}.min.js" for code in languages if code != "en"}
    if len(languages) > 1:
        keep.add("min/lunr.multi.min.js")
    keep |= {SEGMENTERS[code] for code in languages if code in SEGMENTERS}
    for path in sorted(lunr.rglob("*")):
        if path.is_file() and path.relative_to(lunr).as_posix() not in keep:
            _remove(path, report)


def _fold_search(site: Path) -> None:
    """Append packgen's folding to the search worker, which builds the index and queries it."""
    fold = FOLD_SCRIPT.read_text(encoding="utf-8")
    for worker in sorted((site / WORKERS).glob("search.*.js")):
        text = worker.read_text(encoding="utf-8")
        if FOLD_MARK not in text:
            worker.write_text(text.rstrip("\n") + "\n" + fold, encoding="utf-8")


def _relative_404(site: Path) -> None:
    """Make the 404 page's links relative to its own folder, as on every other page.

    MkDocs writes them from the server's root ("/assets/..."), which from disk
    is the root of the file system. Served at a deeper address than its own
    (a server answers /en/a/b/missing.html with it), a small script first
    points the page's base at the language's folder.
    """
    page = site / "404.html"
    if not page.is_file():
        return
    html = page.read_text(encoding="utf-8")
    html = html.replace('"base": "/"', '"base": "."')
    html = html.replace('"search": "/assets/', '"search": "assets/')
    html = html.replace('new URL("/",location)', 'new URL(".",location)')
    html = _ROOT_ATTR.sub(r'\1="', html)
    html = html.replace('href=""', 'href="index.html"')
    found = _HTML_LANG.search(html)
    if found and "<head>" in html:
        folder = json.dumps(f"/{found.group(1)}/")
        script = (
            "<script>(function(){var f=" + folder + ",p=location.pathname,i=p.indexOf(f);"
            'if(location.protocol!=="file:"&&i>=0&&p.slice(i+f.length).indexOf("/")>=0)'
            "document.write('<base href=\"'+p.slice(0,i+f.length)+'\">')})()</script>"
        )
        html = html.replace("<head>", "<head>" + script, 1)
    page.write_text(html, encoding="utf-8")


def _tidy_page(page: Path) -> None:
    """Name what the theme leaves unnamed: checklist boxes (by their text) and the search dialog.

    And drop the theme's indentation, a sixth of a page: outside <pre> and
    <textarea> a browser shows a run of spaces after a line break as nothing.
    """
    html = page.read_text(encoding="utf-8")
    fixed = "".join(
        part if index % 2 else _INDENT.sub("\n", part)
        for index, part in enumerate(_VERBATIM.split(html))
    )
    fixed = _TASK.sub(
        r'<label class="task-list-control">\1<span class="task-list-indicator"></span>'
        r'<span class="pg-task">\2</span></label></li>',
        fixed,
    )
    label = _SEARCH_LABEL.search(fixed)
    if label and _DIALOG + ">" in fixed:
        fixed = fixed.replace(_DIALOG + ">", f'{_DIALOG} aria-label="{label.group(1)}">', 1)
    if fixed != html:
        page.write_text(fixed, encoding="utf-8")
