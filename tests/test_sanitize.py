"""The one HTML allow-list: what it removes, what authors' safe HTML keeps, where it says so."""

from __future__ import annotations

from pathlib import Path

from packgen.build import build, check
from packgen.i18n.checks import check_translation
from packgen.sanitize import clean_html, clean_markdown, clean_page, clean_text, html_findings

SAFE_PAGE = """\
# Safe HTML

| Role | Who |
|---|---|
| Lead | <abbr title="Team leader">TL</abbr> |

<details>
<summary>More</summary>
Press <kbd>Ctrl</kbd> and read note<sup>1</sup>.
</details>

![A map](img/map.png)

<img src="img/map.png" alt="The same map" width="40">
"""


def test_unsafe_html_is_removed():
    html = (
        '<p onclick="alert(1)">a<script>alert(2)</script></p>'
        '<a href="javascript:alert(3)">x</a><a href="JaVa&#x09;Script:alert(4)">y</a>'
        '<iframe src="https://evil.example/"></iframe><form><input type="text"></form>'
        '<img src="https://evil.example/t.png"><span style="background:url(x.png)">z</span>'
    )
    cleaned = clean_html(html)
    for gone in ("onclick", "<script", "alert(2)", "javascript", "Script:", "<iframe", "<form"):
        assert gone not in cleaned, gone
    assert "evil.example" not in cleaned
    assert "url(" not in cleaned
    assert '<a href="https://example.org/">' in clean_html('<a href="https://example.org/">x</a>')


def test_safe_html_stays():
    html = (
        '<table><tr><td style="text-align: center;">1</td></tr></table>'
        '<details open><summary>s</summary>d</details><abbr title="t">a</abbr>'
        '<kbd>K</kbd><sup id="fnref:1"><a class="footnote-ref" href="#fn:1">1</a></sup>'
        '<img src="img/map.png" alt="m"><img src="data:image/png;base64,iVBORw0KGgo=" alt="d">'
        '<input type="checkbox" disabled checked>'
    )
    cleaned = clean_html(html)
    assert html_findings(html) == []
    kept = ["<table>", "text-align:center", "<details open", "<summary>", "<abbr title", "<kbd>"]
    kept += ['<sup id="fnref:1">', 'src="img/map.png"', "data:image/png", "checkbox"]
    for part in kept:
        assert part in cleaned, part


def test_findings_name_what_is_removed():
    found = html_findings('<img src=x onerror="a()"><script></script><a href="vbscript:x">')
    assert found == ["the event handler onerror=", "a <script> element", "a vbscript: address"]


def test_titles_become_plain_text():
    assert (
        clean_text("First <script>alert(1)</script><b>steps</b> & more") == "First steps &amp; more"
    )


def test_markdown_is_cleaned_with_the_line_of_each_removal():
    text = "# Title\n\nSome `<script>` code.\n\n<b onclick='x()'>bold</b>\n\n[a](javascript:x)\n"
    cleaned, found = clean_markdown(text)
    assert found == [(5, "the event handler onclick="), (7, "a javascript: address")]
    assert "`<script>`" in cleaned  # code shows HTML, it does not run it
    assert "<b>bold</b>" in cleaned and "[a](#)" in cleaned


def test_markdown_in_html_keeps_its_marker():
    text = '<div class="grid" markdown="1">\n\n**bold**\n\n</div>\n'
    assert clean_markdown(text) == (text, [])


def test_fenced_code_is_left_alone():
    text = '```html\n<script>alert(1)</script>\n<p onclick="x">\n```\n'
    assert clean_markdown(text) == (text, [])


def test_translation_checks_compare_attributes_and_reference_targets():
    assert check_translation("Go [on][g].\n\n[g]: a.md", "Va [là][g].\n\n[g]: b.md")
    assert check_translation("Text\n{: .note }", "Texte\n{: .note }") == []
    assert any(
        "attributes" in p
        for p in check_translation("Text\n{: .note }", 'Texte\n{: .note data-x="1" }')
    )
    # Words for readers (a title, an alt text) are translated, not compared.
    assert (
        check_translation('<abbr title="World Health">WHO</abbr>', '<abbr title="Santé">OMS</abbr>')
        == []
    )


def test_safe_html_survives_a_build(write_pack, tmp_path: Path):
    root = write_pack(
        {
            "pack.yml": "id: tiny\ntitle: Tiny pack\nlanguages: [en]\ncontents:\n"
            "  - page: index.md\n  - exercise: first-steps\n",
            "content/index.md": SAFE_PAGE,
        }
    )
    (root / "content/img").mkdir()
    (root / "content/img/map.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    _, problems = check(root)
    assert problems.items == []
    report = build(root, tmp_path / "site", strict=True, printables=False)
    assert report.warnings == []
    html = (tmp_path / "site/en/index.html").read_text(encoding="utf-8")
    kept = [
        "<table>",
        '<abbr title="Team leader">TL</abbr>',
        "<details>",
        "<summary>More</summary>",
    ]
    kept += ["<kbd>Ctrl</kbd>", "<sup>1</sup>", 'src="img/map.png"', 'alt="The same map"']
    for part in kept:
        assert part in html, part


def test_a_built_page_keeps_only_the_theme_scripts():
    page = (
        '<html><body data-md-color-primary="teal" onload="alert(1)">'
        '<script src="../assets/javascripts/bundle.min.js"></script>'
        '<script src="/assets/javascripts/iframe-worker-shim.js"></script>'
        '<script src="https://evil.example/x.js"></script>'
        '<script src="assets/extra/evil.js"></script>'
        '<a href="jav&#x09;ascript:alert(2)" title="a onclick=b">x</a>'
        '<input placeholder="x" style="background:url(https://evil.example/t.png)"></body></html>'
    )
    cleaned, found = clean_page(page)
    assert "bundle.min.js" in cleaned and "iframe-worker-shim.js" in cleaned
    assert "evil" not in cleaned and "onload" not in cleaned and "alert(2)" not in cleaned
    assert 'title="a onclick=b"' in cleaned  # words inside a value are not attributes
    assert found == [
        "the script 'https://evil.example/x.js'",
        "the script 'assets/extra/evil.js'",
        "the event handler onload=",
        "a script address in href=",
        "a style that loads a resource",
    ]
