"""A translation must keep what machines read: placeholders, links, code, emphasis, HTML."""

from __future__ import annotations

import pytest

from packgen.i18n.checks import check_translation


def test_a_faithful_translation_passes():
    source = "See the **[set meeting](exercises/set-meeting.md)** and run `packgen check`."
    target = "Voir la **[réunion du groupe](exercises/set-meeting.md)** et lancer `packgen check`."
    assert check_translation(source, target) == []


@pytest.mark.parametrize(
    ("source", "target", "expected"),
    [
        ("%(num)s minutes", "minutes", "placeholders missing in the translation: '%(num)s'"),
        ("{name} arrived", "{nom} est arrivé", "placeholders missing"),
        ("[guide](a.md)", "[guide](b.md)", "link targets missing in the translation: 'a.md'"),
        ("Run `make`", "Lancez `faire`", "inline code missing in the translation: 'make'"),
        ("**Bold** text", "Texte en gras", "bold markers"),
        ("An *important* point", "Un point important", "italic markers"),
        ("Plain text", "Texte <script>x</script>", "HTML the source does not have: <script>"),
    ],
)
def test_broken_translations_are_named(source, target, expected):
    problems = check_translation(source, target)
    assert any(expected in p for p in problems), problems


def test_html_the_source_has_is_allowed():
    assert check_translation("Line<br>break", "Saut<br>de ligne") == []


def test_a_plural_form_may_leave_out_the_number_but_not_invent_one():
    assert check_translation("%(num)s minute", "دقيقة واحدة", plural_form=True) == []
    assert check_translation("%(num)s minute", "%(n)s دقيقة", plural_form=True)


def test_snake_case_is_not_emphasis():
    assert check_translation("Set when_to_use", "Définir when_to_use") == []
