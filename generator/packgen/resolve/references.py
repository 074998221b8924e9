"""Resolve stage: the cross-references of the merged pack, checked once.

Every id the menu, a definition or the organisation names must exist in some
layer; a problem is reported where the name is written.
"""

from __future__ import annotations

from packgen.config import CONFIG_FILE, ContentItem
from packgen.errors import Problems
from packgen.forms.names import check_log
from packgen.i18n.languages import is_known
from packgen.loader import KeyPath
from packgen.model import Exercise, LearningLog
from packgen.pack import CONTENT_DIR, DEFINITIONS_DIR, Pack
from packgen.paths import refused_reference
from packgen.validate import did_you_mean


def walk_contents(items: list[ContentItem], path: KeyPath) -> list[tuple[KeyPath, ContentItem]]:
    found: list[tuple[KeyPath, ContentItem]] = []
    for i, item in enumerate(items):
        found.append(((*path, i), item))
        if item.contents:
            found.extend(walk_contents(item.contents, (*path, i, "contents")))
    return found


def check_references(pack: Pack, problems: Problems) -> None:
    config, doc = pack.config, pack.config_doc
    ids = sorted(pack.sources)
    listed: set[str] = set()
    for where, item in walk_contents(config.contents, ("contents",)):
        if item.exercise:
            if item.exercise in pack.broken:
                continue
            if item.exercise not in pack.sources:
                problems.error(
                    doc.location((*where, "exercise")),
                    f"no exercise or log with id {item.exercise!r} in {DEFINITIONS_DIR}/"
                    f"{did_you_mean(item.exercise, ids)}",
                )
            elif item.exercise in listed:
                problems.warning(
                    doc.location((*where, "exercise")), f"{item.exercise!r} is listed twice"
                )
            listed.add(item.exercise)
        if item.page and item.page not in pack.pages:
            problems.error(
                doc.location((*where, "page")),
                f"no page {item.page!r} in {CONTENT_DIR}/"
                f"{did_you_mean(item.page, list(pack.pages))}",
            )
    logo = config.organisation.logo if config.organisation else None
    if logo and refused_reference(logo):
        problems.error(
            doc.location(("organisation", "logo")), f"logo: {logo!r}: {refused_reference(logo)}"
        )
    elif logo and pack.logo_file() is None:
        problems.error(
            doc.location(("organisation", "logo")),
            f"logo: no file {logo!r} in the pack (give a path such as content/img/logo.png)",
        )
    for code_index, code in enumerate(config.languages):
        if code in config.languages[:code_index]:
            first = doc.location(("languages", config.languages.index(code)))
            problems.error(
                doc.location(("languages", code_index)),
                f"language {code!r} is listed twice (first on line {first.line})",
            )
            continue
        if not is_known(code):
            problems.error(
                doc.location(("languages", code_index)),
                f"unknown language code {code!r}; use an ISO 639 code such as en, fr, ar, so",
            )
    for key, source in sorted(pack.sources.items()):
        definition = source.definition
        for i, ref in enumerate(definition.related):
            if ref in pack.broken:
                continue
            if ref not in pack.sources:
                problems.error(
                    source.doc.location(("related", i)),
                    f"related: no exercise or log with id {ref!r}{did_you_mean(ref, ids)}",
                )
            elif ref == key:
                problems.warning(source.doc.location(("related", i)), "an entry relates to itself")
        if isinstance(definition, Exercise) and definition.step_minutes != definition.duration:
            problems.warning(
                source.doc.location(("duration",)),
                f"duration is {definition.duration} minutes but the steps add up to "
                f"{definition.step_minutes}",
            )
        if isinstance(definition, LearningLog):
            check_log(definition, source.doc, problems)
        if isinstance(definition, LearningLog) and key == config.id:
            problems.error(
                source.doc.location(("id",)),
                f"the log's id {key!r} is also the pack's id, so both would print to "
                f"downloads/{key}.pdf; give the log another id",
            )
        if key not in listed and config.contents and source.layer == pack.root:
            problems.warning(
                source.doc.location(("id",)),
                f"{key!r} is not listed in the contents of {CONFIG_FILE}, so no page shows it",
            )
