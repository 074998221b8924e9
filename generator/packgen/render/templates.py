"""The Jinja2 environment: templates from the pack's layers, strict about undefined names."""

from __future__ import annotations

import math
import posixpath
from pathlib import Path

import jinja2
from babel.numbers import format_decimal, format_percent

from packgen.i18n.catalog import Translator

TEMPLATES_DIR = "templates"


def _autoescape(name: str | None) -> bool:
    # Markdown templates must not escape (Markdown is not HTML); HTML templates must.
    return bool(name) and name.endswith((".html.j2", ".html"))


def _number(value: int, lang: str) -> str:
    try:
        return str(format_decimal(value, locale=lang.replace("-", "_")))
    except (ValueError, LookupError):
        return str(value)


def _percent(value: float, lang: str) -> str:
    """A share out of 100, written the way the language writes percentages."""
    try:
        # Floored: a page 99.6% done must not claim 100%.
        share = math.floor(value) / 100
        return str(format_percent(share, "#,##0%", locale=lang.replace("-", "_")))
    except (ValueError, LookupError):
        return f"{value:.0f}%"


def template_dirs(layers: list[Path]) -> list[Path]:
    return [layer / TEMPLATES_DIR for layer in layers if (layer / TEMPLATES_DIR).is_dir()]


def make_environment(layers: list[Path], ui: Translator) -> jinja2.Environment:
    """An environment whose `_()` speaks ui's language; a pack's templates win over its bases'."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(layers)]),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        ui.gettext, ui.ngettext, newstyle=True
    )
    env.filters["number"] = lambda value: _number(value, ui.lang)
    env.filters["percent"] = lambda value: _percent(value, ui.lang)
    env.filters["clock"] = lambda minutes: f"{minutes // 60}:{minutes % 60:02d}"
    env.filters["md_attr"] = lambda text: str(text).replace('"', "&quot;").replace("\n", " ")
    env.globals["relpath"] = lambda target, start: posixpath.relpath(
        target, posixpath.dirname(start) or "."
    )
    return env
