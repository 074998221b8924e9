"""Variables: `{{ variables.name }}` in a page, definition or translation, looked up.

A lookup, not a template: nothing else between braces means anything, and no
value is ever run. A name the pack does not define is an error where it is written.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from packgen.config import PackConfig
from packgen.errors import Location, Problems
from packgen.loader import KeyPath, YamlDocument, display_path
from packgen.model.walk import map_text
from packgen.pack import Pack
from packgen.sanitize import code_regions

REFERENCE = re.compile(r"\{\{\s*variables\.([A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")


def values_for(config: PackConfig, lang: str) -> dict[str, str]:
    """Each variable's value in lang; a language without its own takes the source's."""
    values: dict[str, str] = {}
    for name, value in config.variables.items():
        if isinstance(value, str):
            values[name] = value
        else:
            chosen = value.get(lang) or value.get(config.source_language)
            if chosen is not None:
                values[name] = chosen
    return values


def references(text: str) -> list[re.Match[str]]:
    """The variables text uses, outside code: in code a reference is shown as it is
    written, so that a page can teach the syntax."""
    if "variables." not in text:
        return []
    found = list(REFERENCE.finditer(text))
    if not found or "`" not in text:
        return found
    code = code_regions(text)
    return [m for m in found if not any(start <= m.start() < end for start, end in code)]


def substitute(text: str, values: dict[str, str]) -> str:
    """text with every defined variable filled in; an undefined one is left as written."""
    parts: list[str] = []
    done = 0
    for found in references(text):
        parts += [text[done : found.start()], values.get(found[1], found[0])]
        done = found.end()
    return "".join(parts) + text[done:] if parts else text


def filler(values: dict[str, str]) -> Callable[[str, KeyPath], str]:
    return lambda text, _path: substitute(text, values)


def _undefined(name: str, defined: list[str]) -> str:
    known = f"; defined: {', '.join(defined)}" if defined else ""
    return f"undefined variable {name!r}: define it under `variables:` in pack.yml{known}"


def check_variables(pack: Pack, problems: Problems) -> None:
    """Report each use of an undefined variable, and a per-language value the source lacks."""
    config, doc = pack.config, pack.config_doc
    defined = sorted(config.variables)
    for name, value in config.variables.items():
        if isinstance(value, dict) and config.source_language not in value:
            problems.error(
                doc.location(("variables", name)),
                f"variables: {name}: no value for the source language "
                f"{config.source_language!r}, which other languages fall back to",
            )

    def in_document(source: YamlDocument) -> Callable[[str, KeyPath], str]:
        def look(text: str, path: KeyPath) -> str:
            for found in references(text):
                if found[1] not in config.variables:
                    problems.error(source.location(path), _undefined(found[1], defined))
            return text

        return look

    map_text(config, in_document(doc))
    for source in pack.sources.values():
        map_text(source.definition, in_document(source.doc))
    for page in pack.pages.values():
        for found in references(page.text):
            if found[1] in config.variables:
                continue
            at = found.start()
            line = page.text.count("\n", 0, at) + 1
            column = at - (page.text.rfind("\n", 0, at) + 1) + 1
            problems.error(
                Location(display_path(page.path), line, column), _undefined(found[1], defined)
            )
