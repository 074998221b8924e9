"""The Jinja2 environment: templates from the pack's layers, strict about undefined names.

A pack's templates are untrusted: they render in Jinja's immutable sandbox,
so a template cannot reach Python internals (`__class__`, `__globals__`) or
change the data it is given, and every error it makes is reported as the
template's file and line.
"""

from __future__ import annotations

import math
import os
import posixpath
from pathlib import Path
from typing import Any

import jinja2
import jinja2.exceptions
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from packgen.errors import BuildFailed, Location, PackInvalid, Problem
from packgen.i18n.catalog import Translator
from packgen.loader import display_path
from packgen.paths import TEMPLATES_DIR
from packgen.render.sandbox import ImmutableSandboxedEnvironment
from packgen.template_cache import MemoryBytecodeCache


def _autoescape(name: str | None) -> bool:
    # Markdown templates must not escape (Markdown is not HTML); HTML templates must.
    return name is not None and name.endswith((".html.j2", ".html"))


_NUMBERS: dict[tuple[int, str], str] = {}
"""Whole numbers as each language writes them: a site shows the same few thousands of times."""


def _number(value: int, lang: str) -> str:
    if type(value) is int and (value, lang) in _NUMBERS:
        return _NUMBERS[value, lang]
    try:
        written = str(format_decimal(value, locale=lang.replace("-", "_")))
    except (ValueError, LookupError):
        return str(value)
    if type(value) is int and len(_NUMBERS) < 10_000:
        _NUMBERS[value, lang] = written
    return written


def _percent(value: float, lang: str) -> str:
    """A share out of 100, written the way the language writes percentages."""
    try:
        # Floored: a page 99.6% done must not claim 100%.
        share = math.floor(value) / 100
        return str(format_percent(share, "#,##0%", locale=lang.replace("-", "_")))
    except (ValueError, LookupError):
        return f"{value:.0f}%"


def _filesize(size: int, lang: str) -> str:
    """A file size as readers of lang write it: kB below a megabyte, MB with one decimal above."""
    if size >= 1_000_000:
        value, unit = round(size / 1_000_000, 1), "digital-megabyte"
    else:
        value, unit = max(1, round(size / 1_000)), "digital-kilobyte"
    try:
        return str(format_unit(value, unit, length="short", locale=lang.replace("-", "_")))
    except (ValueError, LookupError):
        return f"{value} {'MB' if unit == 'digital-megabyte' else 'kB'}"


# Compiled templates shared by the environments of every language in this process: each
# language needs its own environment (its `_()`), and compiling the same templates again
# for each one cost more than rendering them.
_COMPILED = MemoryBytecodeCache()


def template_dirs(layers: list[Path]) -> list[Path]:
    return [layer / TEMPLATES_DIR for layer in layers if (layer / TEMPLATES_DIR).is_dir()]


def make_environment(layers: list[Path], ui: Translator) -> jinja2.Environment:
    """An environment whose `_()` speaks ui's language; a pack's templates win over its bases'."""
    env = ImmutableSandboxedEnvironment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(layers)]),
        undefined=jinja2.StrictUndefined,
        autoescape=_autoescape,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        ui.gettext, ui.ngettext, newstyle=True
    )
    env.filters["number"] = lambda value: _number(value, ui.lang)
    env.filters["percent"] = lambda value: _percent(value, ui.lang)
    env.filters["filesize"] = lambda size: _filesize(size, ui.lang)
    env.filters["clock"] = lambda minutes: f"{minutes // 60}:{minutes % 60:02d}"
    env.filters["md_attr"] = lambda text: str(text).replace('"', "&quot;").replace("\n", " ")
    env.globals["relpath"] = lambda target, start: posixpath.relpath(
        target, posixpath.dirname(start) or "."
    )
    return env


def _template_line(exc: BaseException) -> tuple[str, int] | None:
    """The template file and line an error was raised at, from the frames Jinja rewrote."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2") or "/templates/" in filename.replace(os.sep, "/"):
            found = (filename, tb.tb_lineno)
        tb = tb.tb_next
    return found


def _located(name: str, exc: BaseException, message: str) -> PackInvalid:
    place = _template_line(exc)
    where = Location(name) if place is None else Location(display_path(Path(place[0])), place[1])
    return PackInvalid([Problem(where, message)], "a template has errors")


def render_template(env: jinja2.Environment, name: str, what: str, **context: Any) -> str:
    """Render one template; any error in it stops the build with the template's file and line.

    A template is the pack's, so its mistakes are the pack's errors (exit 1), never a crash.
    """
    try:
        return env.get_template(name).render(**context)
    except jinja2.TemplateNotFound as exc:
        raise BuildFailed(
            f"template {exc.name!r} not found in templates/ of the pack or its bases"
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        where = Location(display_path(Path(exc.filename)) if exc.filename else name, exc.lineno)
        problem = Problem(where, f"template error: {exc.message}")
        raise PackInvalid([problem], "a template has errors") from None
    except jinja2.exceptions.SecurityError as exc:
        raise _located(name, exc, f"rendering {what}: not allowed in a template: {exc}") from None
    except jinja2.UndefinedError as exc:
        raise _located(name, exc, f"rendering {what}: {exc.message}") from None
    except (ArithmeticError, LookupError, TypeError, ValueError, AttributeError) as exc:
        # A template's own mistake ({{ 1/0 }}, a wrong filter argument), not packgen's.
        raise _located(name, exc, f"rendering {what}: {type(exc).__name__}: {exc}") from None
