"""Markdown as print HTML: links inside the PDF, images from the pack, direction per paragraph."""

from __future__ import annotations

from packgen.model import Exercise
from packgen.printables.markup import PrintMarkdown, Scope, extensions_of
from packgen.printables.sessions import session_plan

from .conftest import PACK_YML


def converter(tmp_path, direction: str = "ltr") -> PrintMarkdown:
    (tmp_path / "img").mkdir(exist_ok=True)
    (tmp_path / "img/map.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    names, configs, problems = extensions_of({"markdown_extensions": ["admonition", "toc"]})
    assert problems == [] and "toc" not in names

    def find(path: str):
        return tmp_path / path if (tmp_path / path).is_file() else None

    return PrintMarkdown(names, configs, find, direction)


def test_links_point_inside_the_pdf_or_lose_their_target(tmp_path):
    md = converter(tmp_path)
    scope = Scope({"exercises/quick-round.md": "exercise-quick-round"})
    html = md.convert(
        "See [the round](quick-round.md#steps), [a page](../other.md), [file](/etc/passwd) "
        "and [the web](https://example.org).",
        "exercises/story.md",
        scope,
    )
    assert '<a class="pg-ref" href="#exercise-quick-round">the round</a>,' in html
    assert '<span class="pg-ref">a page</span>' in html
    assert '<span class="pg-ref">file</span>' in html
    assert '<a href="https://example.org">the web</a>' in html
    # A guide is no book: no page numbers.
    assert "pg-page-number" not in html


def test_references_in_a_book_give_their_page_and_keep_their_punctuation(tmp_path):
    md = converter(tmp_path)
    scope = Scope({"action-learning.md": "page-action-learning"}, page_refs=True)
    html = md.convert(
        "Read [What is action learning?](action-learning.md), then choose a format.",
        "index.md",
        scope,
    )
    # The words stay a reference (set in quotes by print.css), the page follows them, kept
    # with them by a no-break space, and the comma follows the page: no "?," glued on.
    assert html == (
        '<p>Read <a class="pg-ref" href="#page-action-learning">What is action learning?</a>'
        '&nbsp;<a class="pg-page-number" href="#page-action-learning"></a>'
        ", then choose a format.</p>"
    )
    inline = md.convert("See [the page](action-learning.md).", "index.md", scope, inline=True)
    assert inline.endswith('<a class="pg-page-number" href="#page-action-learning"></a>.')


def test_images_are_read_from_the_pack_and_missing_ones_reported(tmp_path):
    md = converter(tmp_path)
    scope = Scope({})
    html = md.convert("![A map](img/map.svg) ![Gone](img/gone.png)", "index.md", scope)
    assert f'src="{(tmp_path / "img/map.svg").as_uri()}"' in html
    assert "Gone" in html and "gone.png" not in html
    assert scope.assets == {tmp_path / "img/map.svg"}
    assert scope.missing == [("index.md", "img/gone.png")]
    remote = Scope({})
    md.convert("![Logo](https://example.org/logo.png)", "index.md", remote)
    assert remote.missing == [("index.md", "https://example.org/logo.png")]


def test_text_in_the_other_direction_gets_its_own(tmp_path):
    md = converter(tmp_path, "rtl")
    scope = Scope({})
    html = md.convert("Not translated yet.\n\nنص عربي.", "index.md", scope)
    assert '<p dir="ltr">Not translated yet.</p>' in html and "<p>نص عربي.</p>" in html
    assert md.convert("Plain & simple", "index.md", scope, inline=True) == (
        '<span dir="ltr">Plain &amp; simple</span>'
    )
    assert md.convert("نص *عربي*", "index.md", scope, inline=True) == "نص <em>عربي</em>"


def test_session_plan_counts_clock_times_from_the_start(write_pack):
    from packgen.resolve import load_pack

    late = write_pack({"pack.yml": PACK_YML + 'print:\n  start_time: "23:55"\n'}, name="late")
    pack, _ = load_pack(late)
    assert pack is not None
    # Resolve works the clock out once: the minute of the day each step starts, then the end.
    assert pack.clock["first-steps"] == [23 * 60 + 55, 24 * 60 + 5, 24 * 60 + 10]
    exercise = pack.definitions["first-steps"]
    assert isinstance(exercise, Exercise)
    plan = session_plan(exercise, pack.clock["first-steps"], "fr")
    assert [(row.start, row.end) for row in plan.rows] == [("23:55", "00:05"), ("00:05", "00:10")]
    assert (plan.start, plan.end, plan.minutes) == ("23:55", "00:10", 15)
    morning, _ = load_pack(write_pack(name="morning"))
    assert morning is not None
    english = session_plan(exercise, morning.clock["first-steps"], "en")
    assert english.rows[1].start == "9:10\u202fAM"  # as CLDR writes it, with a narrow space
