"""The unzipped offline bundles in Debian's Chromium, as a reader with no connection opens them.

Every request that is not for a file is refused and recorded; failed requests
and console errors are recorded too. axe-core (installed by `make setup` into
tests/.node/) checks the pages; screenshots go to test-artifacts/.
"""

from __future__ import annotations

import functools
import http.server
import io
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import pytest
from playwright.sync_api import Browser, Page
from pypdf import PdfReader

from .conftest import REPO

pytestmark = pytest.mark.browser

AXE = REPO / "tests/.node/node_modules/axe-core/axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
WIDTHS = [360, 1280]


class Reader:
    """One browser tab that may read files only; what it tried beyond them is kept."""

    def __init__(self, browser: Browser, width: int = 1280, *, allow_http: bool = False) -> None:
        self.context = browser.new_context(viewport={"width": width, "height": 800})
        self.page: Page = self.context.new_page()
        self.allow_http = allow_http
        self.blocked: list[str] = []
        self.failed: list[str] = []
        self.errors: list[str] = []
        self.context.route("**/*", self._route)
        self.page.on("requestfailed", lambda r: self.failed.append(r.url))
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def _route(self, route) -> None:
        url = route.request.url
        if url.startswith(("file://", "blob:")) or (
            self.allow_http and url.startswith("http://127.0.0.1:")
        ):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def open(self, target: Path | str) -> Page:
        self.page.goto(target.as_uri() if isinstance(target, Path) else target)
        self.page.wait_for_load_state("load")
        return self.page

    def quiet(self) -> bool:
        return not (self.blocked or self.failed or self.errors)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def reader(browser: Browser) -> Iterator[Reader]:
    tab = Reader(browser)
    yield tab
    # A quiet console from disk: nothing refused, nothing failed, no error logged.
    assert (tab.blocked, tab.failed, tab.errors) == ([], [], [])
    tab.close()


@pytest.fixture(scope="module")
def bundles(readers_site: Path) -> Path:
    return readers_site / "unzipped"


def heading(page: Page) -> str:
    return page.locator("h1").first.inner_text().removesuffix("¶").strip()


def search(page: Page, query: str) -> list[str]:
    if page.viewport_size and page.viewport_size["width"] < 960:
        page.click('label.md-header__button[for="__search"]')
    else:
        page.click("input.md-search__input")
    page.fill("input.md-search__input", "")
    page.locator("input.md-search__input").press_sequentially(query)
    page.keyboard.press("End")  # Arabic typed this way sends no keyup; End makes search run
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    return [a.get_attribute("href") or "" for a in page.query_selector_all(".md-search-result a")]


def marked(page: Page) -> list[str]:
    return [m.inner_text() for m in page.query_selector_all(".md-search-result mark")]


# --- opening, navigating, switching --------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_a_language_bundle_opens_at_its_index_and_reads_offline(bundles, reader, lang):
    page = reader.open(bundles / f"readers-{lang}.zip/index.html")
    links = page.locator("a")
    assert links.count() == 1
    links.first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{lang}/index.html")
    assert page.evaluate("document.documentElement.lang") == lang
    page.locator(".md-content a[href$='quick-round.html']").first.click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/{lang}/exercises/quick-round.html")
    with page.expect_navigation():
        page.locator("nav.md-nav--primary a[href$='words.html']").first.dispatch_event("click")
    assert page.url.endswith(f"/{lang}/words.html")
    assert reader.quiet(), (reader.blocked, reader.failed, reader.errors)


def test_the_switcher_keeps_the_page_in_the_whole_site_bundle(bundles, reader):
    page = reader.open(bundles / "readers-all.zip/en/words.html")
    page.locator(".md-header__option .md-select").hover()
    page.locator('a.md-select__link[hreflang="ar"]').click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/ar/words.html")
    assert heading(page) == "إيجاد الكلمات"
    assert reader.quiet(), (reader.blocked, reader.failed, reader.errors)


def test_a_one_language_bundle_offers_no_other_language(bundles, reader):
    page = reader.open(bundles / "readers-ar.zip/ar/words.html")
    assert page.locator("a.md-select__link").evaluate_all("a => a.map(x => x.hreflang)") == ["ar"]


def test_pdfs_linked_from_the_pages_are_in_the_bundle(bundles, reader):
    page = reader.open(bundles / "readers-fr.zip/fr/exercises/quick-round.html")
    hrefs = page.locator(".pg-downloads a").evaluate_all("a => a.map(x => x.href)")
    assert hrefs and all(h.split("#")[0].endswith(".pdf") for h in hrefs)
    assert any("#nameddest=" in h for h in hrefs)
    for href in hrefs:
        path, _, fragment = href.partition("#")
        pdf = Path(unquote(path.removeprefix("file://")))
        assert pdf.read_bytes().startswith(b"%PDF")
        # A guide or checklist opens in the whole-pack PDF, at its chapter.
        if fragment:
            assert fragment.removeprefix("nameddest=") in PdfReader(pdf).named_destinations
    # Following the link, Chromium opens the file (or hands it over as a download).
    with page.expect_event("download") as download:
        page.locator(".pg-downloads a").first.click(modifiers=["Alt"])
    assert download.value.suggested_filename.endswith(".pdf")


# --- search that forgives -------------------------------------------------------------

FORGIVING = [
    ("en", "facilitator", "facilitator"),
    ("fr", "reunion", "réunion"),
    ("fr", "equipe", "équipe"),
    ("fr", "hopital", "hôpital"),
    ("fr", "Réunion", "réunion"),
    ("ar", "ميسر", "الميسّر"),
    ("ar", "الميسر", "الميسّر"),
    ("ar", "اسئلة", "أسئلة"),
    ("ar", "اسـئلة", "أسئلة"),
    ("ar", "مستشفي", "المستشفى"),
    ("ar", "جلسه", "الجلسة"),
]


@pytest.mark.parametrize(("lang", "query", "word"), FORGIVING)
def test_search_forgives_marks_and_letter_forms(bundles, reader, lang, query, word):
    page = reader.open(bundles / f"readers-{lang}.zip/{lang}/index.html")
    hits = search(page, query)
    assert any("/words.html" in h for h in hits), hits
    # The result marks the word as the page writes it.
    assert any(word in m or m in word for m in marked(page) if m), marked(page)
    assert reader.quiet(), (reader.blocked, reader.failed, reader.errors)


@pytest.mark.parametrize(
    ("lang", "query", "word"), [("ar", "ميسر", "الميسّر"), ("fr", "equipe", "d’équipe")]
)
def test_the_page_a_result_opens_marks_the_words_as_written(bundles, reader, lang, query, word):
    page = reader.open(bundles / f"readers-{lang}.zip/{lang}/index.html")
    search(page, query)
    with page.expect_navigation():
        page.locator(".md-search-result a[href*='/words.html']").first.click()
    page.wait_for_selector("article mark", timeout=5_000)
    marks = page.locator("article mark").all_inner_texts()
    assert any(word in m for m in marks), marks


def test_search_still_tells_words_apart(bundles, reader):
    page = reader.open(bundles / "readers-ar.zip/ar/index.html")
    page.click(".md-search__input")
    page.locator("input.md-search__input").press_sequentially("مستشفيات كثيرة")
    page.keyboard.press("End")
    page.wait_for_selector(".md-search-result__meta", timeout=10_000)
    assert page.query_selector_all(".md-search-result a[href*='words.html']") == []


def test_search_works_from_a_server_with_one_index(bundles, browser):
    with serve(bundles / "readers-all.zip") as base:
        tab = Reader(browser, allow_http=True)
        page = tab.open(f"{base}/fr/index.html")
        assert any("words.html" in h for h in search(page, "equipe"))
        assert not any(u.endswith("search_index.json") for u in tab.failed)
        assert tab.blocked == []
        tab.close()


# --- 404 page and chooser -------------------------------------------------------------


def _styled(page: Page) -> bool:
    return page.evaluate(
        """() => {
        const header = document.querySelector('.md-header');
        const logo = document.querySelector('.md-header__button.md-logo svg, .md-logo img');
        return !!header && getComputedStyle(header).position === 'sticky'
            && (!logo || logo.getBoundingClientRect().height < 60);
    }"""
    )


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_404_page_is_styled_from_disk(bundles, reader, lang):
    page = reader.open(bundles / f"readers-all.zip/{lang}/404.html")
    assert _styled(page)
    page.locator(".md-header__title, .md-logo").first.wait_for()
    assert reader.failed == []


class _Site(http.server.SimpleHTTPRequestHandler):
    """A static server that answers a missing page with its language's 404.html."""

    def log_message(self, *args: object) -> None:
        return None

    def send_error(self, code: int, message: str | None = None, explain: str | None = None):
        lang = self.path.strip("/").split("/")[0]
        page = Path(self.directory) / lang / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class serve:
    def __init__(self, root: Path) -> None:
        handler = functools.partial(_Site, directory=str(root))
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)

    def __enter__(self) -> str:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.parametrize("lang", ["en", "fr", "ar"])
def test_404_page_and_chooser_work_from_a_server(bundles, browser, lang):
    with serve(bundles / "readers-all.zip") as base:
        tab = Reader(browser, allow_http=True)
        page = tab.open(f"{base}/{lang}/exercises/no-such-page.html")
        assert _styled(page)
        home = page.locator(".md-header__button.md-logo").get_attribute("href")
        page.locator(".md-header__button.md-logo").click()
        page.wait_for_load_state("load")
        assert page.url == f"{base}/{lang}/index.html", home
        page = tab.open(f"{base}/index.html")
        page.locator(f'a[hreflang="{lang}"]').click()
        page.wait_for_load_state("load")
        assert page.url == f"{base}/{lang}/index.html"
        assert tab.blocked == []
        tab.close()


# --- accessibility, sizes, focus, print -----------------------------------------------

PAGES = {
    "chooser": "index.html",
    "home": "{lang}/index.html",
    "exercise": "{lang}/exercises/quick-round.html",
    "log": "{lang}/exercises/mini-log.html",
    "downloads": "{lang}/downloads.html",
    "search": "{lang}/index.html",
}


def axe(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("critical", "serious")
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["en", "ar"])
def test_pages_have_no_serious_accessibility_violation(bundles, browser, lang, width):
    # make test installs axe-core; without it the check must fail, not pass unseen.
    assert AXE.is_file(), "axe-core is not installed: run `make setup`"
    tab = Reader(browser, width)
    problems = {}
    ARTIFACTS.mkdir(exist_ok=True)
    for name, path in PAGES.items():
        page = tab.open(bundles / "readers-all.zip" / path.format(lang=lang))
        if name == "search":
            search(page, "ميسر" if lang == "ar" else "facilitator")
            # The search panel fades in: colours measured mid-fade are blends, not the page's.
            page.wait_for_function(
                "() => document.getAnimations().every(a => a.playState !== 'running')"
            )
        found = axe(page)
        if found:
            problems[name] = found
        page.screenshot(path=str(ARTIFACTS / f"{lang}-{width}-{name}.png"), full_page=True)
    assert tab.blocked == []
    tab.close()
    assert problems == {}


def test_boxes_and_tables_are_not_smaller_than_body_text_on_phones(bundles, browser):
    tab = Reader(browser, 360)
    page = tab.open(bundles / "readers-all.zip/en/exercises/quick-round.html")
    sizes = page.evaluate(
        """() => {
        const size = (el) => parseFloat(getComputedStyle(el).fontSize);
        const body = size(document.querySelector('.md-content__inner'));
        const boxes = [...document.querySelectorAll('.admonition p, .admonition li')].map(size);
        return {body, boxes};
    }"""
    )
    assert sizes["boxes"] and min(sizes["boxes"]) >= sizes["body"]
    page = tab.open(bundles / "readers-all.zip/en/downloads.html")
    body = page.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('.md-content__inner')).fontSize)"
    )
    cell = page.evaluate("parseFloat(getComputedStyle(document.querySelector('td')).fontSize)")
    assert cell >= body
    tab.close()


def test_keyboard_focus_is_visible(bundles, reader):
    page = reader.open(bundles / "readers-all.zip/en/words.html")
    page.locator(".md-content a").first.focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    outline = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"""
    )
    assert outline[0] != "none" and outline[1] >= 2


def test_printing_shows_the_text_alone_and_keeps_steps_whole(bundles, reader):
    page = reader.open(bundles / "readers-all.zip/en/exercises/quick-round.html")
    page.emulate_media(media="print")
    styles = page.evaluate(
        """() => {
        const css = (sel, prop, pseudo) => {
            const el = document.querySelector(sel);
            return el ? getComputedStyle(el, pseudo || null)[prop] : null;
        };
        return {
            header: css('.md-header', 'display'),
            sidebar: css('.md-sidebar--primary', 'display'),
            pdfs: css('.pg-downloads', 'display'),
            heading: css('.md-typeset h2', 'breakAfter'),
            step: css('.pg-step', 'breakInside'),
            box: css('.task-list-indicator', 'borderTopStyle', '::before'),
            mask: css('.task-list-indicator', 'maskImage', '::before'),
        };
    }"""
    )
    assert styles == {
        "header": "none",
        "sidebar": "none",
        "pdfs": "none",
        "heading": "avoid",
        "step": "avoid",
        "box": "solid",
        "mask": "none",
    }


def test_printed_pages_never_end_on_a_heading(bundles, reader):
    page = reader.open(bundles / "readers-all.zip/en/exercises/quick-round.html")
    headings = {
        h.strip().removesuffix("¶").strip()
        for h in page.locator("article h2, article h3, .admonition-title").all_inner_texts()
    }
    # A small paper size, so that the page breaks in many places.
    pdf = PdfReader(io.BytesIO(page.pdf(width="105mm", height="148mm")))
    assert len(pdf.pages) > 3
    for number, printed in enumerate(pdf.pages, start=1):
        text = printed.extract_text(extraction_mode="layout")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if number < len(pdf.pages):
            assert lines and lines[-1] not in headings, (number, lines[-3:])
        assert not any("(PDF)" in line for line in lines), "PDF links print on paper"
