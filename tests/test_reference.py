"""The authors' reference page is generated from the schema, so it lists every key."""

from __future__ import annotations

from packgen.config import PackConfig, PrintSettings
from packgen.model import Exercise, LearningLog, LogField, Step
from packgen.render.reference import reference


def test_reference_covers_every_field_of_every_model():
    documented = {model.title: {f.name for f in model.fields} for model in reference()["models"]}
    assert documented["Exercise or tool"] == set(Exercise.model_fields)
    assert documented["Step"] == set(Step.model_fields)
    assert documented["Learning log"] == set(LearningLog.model_fields)
    assert documented["Learning log field"] == set(LogField.model_fields)
    assert documented["pack.yml"] == set(PackConfig.model_fields)
    assert documented["pack.yml: print"] == set(PrintSettings.model_fields)


def test_every_field_has_a_description():
    for model in reference()["models"]:
        for field in model.fields:
            assert field.description, f"{model.title}.{field.name} has no description"


def test_types_read_like_prose():
    fields = {f.name: f for m in reference()["models"] for f in m.fields if m.title == "Step"}
    assert fields["minutes"].type == "whole number"
    assert fields["questions"].type == "list of text"
    assert fields["title"].required and not fields["facilitator_notes"].required


def test_built_reference_page_shows_the_schema(write_pack):
    from packgen.i18n.localise import localise
    from packgen.render.pages import render_site
    from packgen.resolve import load_pack

    from .conftest import PACK_YML

    root = write_pack({"pack.yml": PACK_YML + "  - generated: schema-reference\n"})
    pack, problems = load_pack(root)
    assert pack is not None and not problems.errors
    page = render_site(localise(pack, "en", problems)).pages["reference/schema.md"]
    assert "| `facilitator_notes` | text | no |" in page
    assert "`low-literacy`" in page
    # Exercise kinds, from the schema: not the pack's own exercises.
    assert "`set-meeting`" in page and "`tacit-tool`" in page
    assert "| `audience` |" in page
