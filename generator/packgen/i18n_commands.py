"""The `packgen i18n` commands: extract, update, add and status."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from packgen.errors import PackInvalid, UsageProblem
from packgen.i18n.catalog import State
from packgen.loader import display_path
from packgen.pack import Pack
from packgen.resolve import load_pack

if TYPE_CHECKING:
    from packgen.i18n.localise import Tally
    from packgen.i18n.status import LanguageStatus

log = logging.getLogger("packgen")

STATES = (State.TRANSLATED, State.FUZZY, State.UNTRANSLATED)
PACK_ARGUMENT = click.argument(
    "pack", type=click.Path(path_type=Path, file_okay=True), default=".", required=False
)


def _load(path: Path) -> Pack:
    pack, problems = load_pack(path)
    if pack is None or problems.errors:
        raise PackInvalid(problems.sorted(), "the pack has errors; fix them first")
    return pack


@click.group()
def i18n() -> None:
    """Translation catalogs: extract strings, update languages, add one, see progress.

    Catalogs are gettext PO files in locales/<lang>/LC_MESSAGES/, beside the
    templates locales/<domain>.pot; edit them in Poedit, Weblate or Crowdin.
    """


@i18n.command()
@PACK_ARGUMENT
def extract(pack: Path) -> None:
    """Write the templates (locales/*.pot) from the pack's sources."""
    from packgen.i18n.update import extract as run_extract

    loaded = _load(pack)
    for path, changed in run_extract(loaded).items():
        log.info("%s: %s", display_path(path), "written" if changed else "unchanged")


@i18n.command()
@PACK_ARGUMENT
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language.")
def update(pack: Path, languages: tuple[str, ...]) -> None:
    """Extract, then merge the templates into every language's catalogs.

    New strings are added, changed ones keep their translation marked fuzzy,
    removed ones are kept at the end of the file as obsolete.
    """
    from packgen.i18n.update import update as run_update

    loaded = _load(pack)
    unknown = [code for code in languages if code not in loaded.languages[1:]]
    if unknown:
        raise UsageProblem(
            f"--lang {', '.join(unknown)}: not a translation language of this pack "
            f"(it has {', '.join(loaded.languages[1:]) or 'none'})"
        )
    for change in run_update(loaded, list(languages) or None):
        what = [f"{change.added} new", f"{change.fuzzy} fuzzy", f"{change.obsolete} obsolete"]
        state = "created" if change.created else "updated" if change.written else "unchanged"
        log.info("%s: %s (%s)", display_path(change.path), state, ", ".join(what))


@i18n.command()
@click.argument("code", metavar="LANG")
@PACK_ARGUMENT
def add(code: str, pack: Path) -> None:
    """Add language LANG: create its catalogs and list it in pack.yml.

    The next build includes it; until strings are translated they show in the
    source language.
    """
    from packgen.i18n.update import add_language

    loaded = _load(pack)
    for change in add_language(loaded, code):
        log.info("%s: created (%d strings to translate)", display_path(change.path), change.added)
    log.info("added %s to %s", code, display_path(loaded.root / "pack.yml"))


@i18n.command()
@PACK_ARGUMENT
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language.")
@click.option(
    "--min",
    "minimum",
    type=click.FloatRange(0, 100),
    default=None,
    help="Exit 1 if a language is less than this percent translated (for CI).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Table for people, JSON for scripts.",
)
def status(pack: Path, languages: tuple[str, ...], minimum: float | None, output: str) -> None:
    """How much of each language is translated, per language and per page."""
    from packgen.errors import Problems
    from packgen.i18n.localise import localise
    from packgen.i18n.status import as_json, language_statuses

    loaded = _load(pack)
    codes = [c for c in loaded.languages[1:] if not languages or c in languages]
    unknown = [code for code in languages if code not in loaded.languages[1:]]
    if unknown:
        raise UsageProblem(f"--lang {', '.join(unknown)}: not a translation language of this pack")
    problems = Problems()
    statuses = language_statuses(loaded, (localise(loaded, code, problems) for code in codes))
    if output == "json":
        click.echo(json.dumps(as_json(loaded.config.source_language, statuses), indent=2))
    else:
        _print_status(statuses)
    from packgen.console import print_problems

    print_problems(problems.sorted())
    if minimum is None:
        return
    below = [s for s in statuses if s.total.percent < minimum]
    for item in below:
        log.error(
            "%s is %.1f%% translated, below the minimum of %g%%",
            item.language.code,
            item.total.percent,
            minimum,
        )
    if below:
        sys.exit(1)


def _print_status(statuses: list[LanguageStatus]) -> None:
    if not statuses:
        click.echo("This pack has no translation languages yet; add one with `packgen i18n add`.")
        return
    for status in statuses:
        click.echo(f"{'':40} {'done':>6} {'fuzzy':>6} {'to do':>6} {'%':>6}")
        name = f"{status.language.code}  {status.language.english_name}"
        click.echo(_row(name, status.total, bold=True))
        for domain, tally in status.domains.items():
            click.echo(_row(f"  {domain} catalog", tally))
        click.echo("  pages:")
        for page in status.pages:
            click.echo(_row(f"    {page.source}", page.tally))
        click.echo()


def _row(label: str, tally: Tally, *, bold: bool = False) -> str:
    if len(label) > 40:
        indent = len(label) - len(label.lstrip())
        label = " " * indent + "…" + label[-(39 - indent) :]
    done, fuzzy, todo = (
        tally.count(s) for s in (State.TRANSLATED, State.FUZZY, State.UNTRANSLATED)
    )
    text = f"{label:40} {done:6} {fuzzy:6} {todo:6} {tally.percent:5.1f}%"
    return click.style(text, bold=True) if bold and sys.stdout.isatty() else text
