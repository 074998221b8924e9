"""Markdown is cut into translation units the way Sphinx does, and put back around them."""

from __future__ import annotations

import textwrap

from packgen.i18n.segments import segments, translate

PAGE = textwrap.dedent(
    """\
    # Title {#anchor}

    A paragraph that runs
    over two lines.

    - First item
      continues here
    - [ ] A task
        - Nested item

    1. Numbered

    | Step | Time |
    |---|--:|
    | Ask `a|b` | 10 min |

    !!! tip "Before you start"
        Read the *whole* guide.

    Term
    :   Its definition.

    > Quoted wisdom.

    ```
    code is not text
    ```

    [^1]: A footnote.

    ---
    {: .lead }
    """
)


def units(text: str) -> list[tuple[str, str]]:
    return [(s.kind, s.text) for s in segments(text)]


def test_each_block_is_one_unit_without_its_markup():
    assert units(PAGE) == [
        ("heading", "Title"),
        ("paragraph", "A paragraph that runs over two lines."),
        ("list item", "First item continues here"),
        ("list item", "A task"),
        ("list item", "Nested item"),
        ("list item", "Numbered"),
        ("table cell", "Step"),
        ("table cell", "Time"),
        ("table cell", "Ask `a|b`"),
        ("table cell", "10 min"),
        ("admonition title", "Before you start"),
        ("paragraph", "Read the *whole* guide."),
        ("paragraph", "Term"),
        ("definition", "Its definition."),
        ("paragraph", "Quoted wisdom."),
        ("footnote", "A footnote."),
    ]


def test_units_know_their_line():
    lines = {s.text: s.line + 1 for s in segments(PAGE)}
    assert lines["A paragraph that runs over two lines."] == 3
    assert lines["Nested item"] == 9
    assert lines["10 min"] == 15


def test_translation_replaces_only_the_units():
    out = translate(PAGE, lambda text: f"<{text}>")
    assert out.startswith("# <Title> {#anchor}\n")
    assert "\n<A paragraph that runs over two lines.>\n" in out
    assert "\n- [ ] <A task>\n    - <Nested item>\n" in out
    assert "\n| <Ask `a|b`> | <10 min> |\n|---|--:|" not in out
    assert "\n|---|--:|\n| <Ask `a|b`> | <10 min> |\n" in out
    assert '!!! tip "<Before you start>"\n    <Read the *whole* guide.>\n' in out
    assert ":   <Its definition.>" in out
    assert "> <Quoted wisdom.>" in out
    assert "```\ncode is not text\n```" in out
    assert "[^1]: <A footnote.>" in out
    assert out.endswith("---\n{: .lead }\n")


def test_untranslated_text_comes_back_byte_for_byte():
    assert translate(PAGE, lambda text: text) == PAGE


def test_a_translation_with_line_breaks_stays_in_its_unit():
    out = translate("- one\n- two\n", lambda text: "un\ndeux" if text == "one" else text)
    assert out == "- un deux\n- two\n"


def test_plain_strings_are_one_unit_and_symbols_none():
    assert units("Topic holder") == [("paragraph", "Topic holder")]
    assert units("15 - 20") == []
