"""The built site opened from disk in Debian's Chromium, with the network cut off."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

pytestmark = pytest.mark.browser


class OfflinePage:
    """A page whose every request is recorded and every non-file request refused."""

    def __init__(self, browser: Browser) -> None:
        self.context = browser.new_context(viewport={"width": 1300, "height": 900})
        self.page: Page = self.context.new_page()
        self.blocked: list[str] = []
        self.context.route("**/*", self._route)

    def _route(self, route) -> None:
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def open(self, path: Path) -> Page:
        self.page.goto(path.as_uri())
        self.page.wait_for_load_state("load")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def offline(browser: Browser) -> Iterator[OfflinePage]:
    page = OfflinePage(browser)
    yield page
    page.close()


def heading(page: Page) -> str:
    """The page's title as a reader sees it, without the permalink sign."""
    return page.locator("h1").first.inner_text().removesuffix("¶").strip()


def search(page: Page, query: str) -> list[str]:
    page.click("input.md-search__input")
    page.keyboard.type(query)
    page.keyboard.press("End")  # Arabic typed this way sends no keyup; End makes search run
    page.wait_for_selector(".md-search-result__item", timeout=10_000)
    links = page.query_selector_all(".md-search-result__link")
    return [a.get_attribute("href") or "" for a in links]


def test_english_home_from_disk_makes_no_network_request(mini_site, offline):
    page = offline.open(mini_site / "site/en/index.html")
    assert heading(page) == "Welcome"
    assert page.evaluate("document.body.dir") == "ltr"
    assert offline.blocked == []


def test_arabic_home_is_right_to_left_and_offline(mini_site, offline):
    page = offline.open(mini_site / "site/ar/index.html")
    assert page.evaluate("document.documentElement.lang") == "ar"
    assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
    assert heading(page) == "أهلاً بكم"
    # The menu sits on the right in a right-to-left layout.
    title = page.locator(".md-header__title").bounding_box()
    search_box = page.locator(".md-search").bounding_box()
    assert title and search_box and title["x"] > search_box["x"]
    assert offline.blocked == []


def test_search_works_from_disk_in_english(mini_site, offline):
    page = offline.open(mini_site / "site/en/index.html")
    hits = search(page, "advice")
    assert any("exercises/quick-round.html" in h for h in hits)
    assert offline.blocked == []


def test_search_works_from_disk_in_arabic_with_its_own_index(mini_site, offline):
    page = offline.open(mini_site / "site/ar/index.html")
    hits = search(page, "سريعة")
    assert hits and all("/site/ar/" in h for h in hits)
    assert any("exercises/quick-round.html" in h for h in hits)
    assert offline.blocked == []


def test_language_switcher_goes_to_the_same_page(mini_site, offline):
    page = offline.open(mini_site / "site/en/exercises/quick-round.html")
    href = page.locator('a.md-select__link[hreflang="fr"]').get_attribute("href")
    page.goto((mini_site / "site/en/exercises" / href).resolve().as_uri())
    assert heading(page) == "Tour rapide"
    assert offline.blocked == []


def test_language_chooser_works_without_javascript(mini_site, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto((mini_site / "site/index.html").as_uri())
    page.click("text=العربية")
    assert page.url.endswith("/site/ar/index.html")
    context.close()


def test_untranslated_text_keeps_its_own_direction_in_an_arabic_page(mini_site, offline):
    page = offline.open(mini_site / "site/ar/exercises/quick-round.html")
    edges = page.evaluate(
        """() => {
        const box = document.querySelector('.md-content__inner').getBoundingClientRect();
        const span = (p) => { const r = document.createRange(); r.selectNodeContents(p);
                              return r.getBoundingClientRect(); };
        const ps = [...document.querySelectorAll('.md-content__inner p')];
        const english = ps.find(p => p.textContent.startsWith('Help one person'));
        const arabic = ps.find(p => p.textContent.startsWith('تحدٍّ واحد'));
        return {left: box.left, right: box.right,
                en: span(english), ar: span(arabic)};
    }"""
    )
    # English starts at the left edge, Arabic at the right edge, in the same page.
    assert abs(edges["en"]["left"] - edges["left"]) < 30
    assert abs(edges["ar"]["right"] - edges["right"]) < 30
    assert edges["en"]["right"] < edges["right"] - 100


def test_arabic_search_results_read_right_to_left(mini_site, offline):
    page = offline.open(mini_site / "site/ar/index.html")
    search(page, "سريعة")
    direction = page.evaluate(
        "getComputedStyle(document.querySelector('.md-search-result__item')).direction"
    )
    assert direction == "rtl"


def test_banner_speaks_the_readers_language_and_leads_to_the_status_page(mini_site, offline):
    page = offline.open(mini_site / "site/ar/exercises/quick-round.html")
    banner = page.locator(".admonition.pg-translation")
    assert banner.locator(".admonition-title").inner_text().strip() == "الترجمة جارية"
    assert "الإنجليزية" in banner.inner_text()
    banner.locator("a").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/site/ar/translation-status.html")
    assert heading(page) == "حالة الترجمة"
    rows = page.locator("table").first.inner_text()
    assert "Français" in rows and "العربية" in rows
    assert offline.blocked == []
