"""The `packgen` command: check, build and serve packs. Only this module prints."""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import ClassVar

import click

from packgen import __version__
from packgen.console import print_problems
from packgen.errors import PackgenError, PackInvalid, Problem, Severity, Stopped

log = logging.getLogger("packgen")

PACK_ARGUMENT = click.argument(
    "pack", type=click.Path(path_type=Path, file_okay=True), default=".", required=False
)


NO_PDF = click.option(
    "--no-pdf",
    is_flag=True,
    help="Leave out the printable PDFs and their links (faster while editing text).",
)


class _Formatter(logging.Formatter):
    def __init__(self, colour: bool) -> None:
        super().__init__()
        self.colour = colour

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        if record.levelno >= logging.ERROR:
            return self._paint("error: ", "red") + message
        if record.levelno >= logging.WARNING:
            return self._paint("warning: ", "yellow") + message
        return message

    def _paint(self, text: str, colour: str) -> str:
        return click.style(text, fg=colour, bold=True) if self.colour else text


def _setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else logging.DEBUG if verbose else logging.INFO
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Formatter(colour=sys.stderr.isatty()))
    for name in ("packgen",):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level)
        logger.propagate = False


def _summary(problems: list[Problem]) -> str:
    errors = sum(p.severity is Severity.ERROR for p in problems)
    warnings = len(problems) - errors
    return f"{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"


def report(exc: PackgenError) -> None:
    if isinstance(exc, PackInvalid):
        print_problems(exc.problems)
        click.echo(f"packgen: {exc} ({_summary(exc.problems)})", err=True)
    else:
        click.echo(f"packgen: error: {exc}", err=True)


def _stop(signum: int, frame: object) -> None:
    raise Stopped


def _quiet_now() -> None:
    """A second Ctrl-C or SIGTERM while the first is being answered changes nothing more."""
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, signal.SIG_IGN)


class _Group(click.Group):
    # Commands whose modules are imported only when they run: `packgen build` with nothing
    # to do should not pay for loading the translation tools.
    lazy: ClassVar[dict[str, tuple[str, str]]] = {"i18n": ("packgen.i18n_commands", "i18n")}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy and cmd_name not in self.commands:
            module_name, attribute = self.lazy[cmd_name]
            command: click.Command = getattr(importlib.import_module(module_name), attribute)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PackgenError as exc:
            report(exc)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            _quiet_now()
            click.echo("packgen: interrupted", err=True)
            sys.exit(130)
        except Stopped:
            _quiet_now()
            click.echo("packgen: stopped (SIGTERM)", err=True)
            sys.exit(143)
        except MemoryError:
            click.echo("packgen: error: out of memory", err=True)
            sys.exit(1)
        except BrokenPipeError:
            # The reader (`| head`, say) has gone; there is nobody left to tell.
            sys.stderr = sys.stdout = open(os.devnull, "w")  # noqa: SIM115
            sys.exit(141)
        except OSError as exc:  # permissions, a full disk: the machine's answer, not a bug
            where = f"{exc.filename}: " if exc.filename else ""
            click.echo(f"packgen: error: {where}{exc.strerror or exc}", err=True)
            sys.exit(2)
        except (click.ClickException, click.exceptions.Exit, click.Abort, SystemExit):
            raise
        except Exception as exc:  # a bug in packgen, not the user's mistake
            if log.isEnabledFor(logging.DEBUG):
                traceback.print_exc()
            click.echo(
                f"packgen: internal error: {type(exc).__name__}: {exc}\n"
                "Run again with -v for details, and please report it.",
                err=True,
            )
            sys.exit(3)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="packgen")
@click.option("-v", "--verbose", count=True, help="Say more (each stage, every file).")
@click.option("-q", "--quiet", is_flag=True, help="Only warnings and errors.")
def main(verbose: int, quiet: bool) -> None:
    """Build offline, multi-language learning resource packs."""
    _setup_logging(verbose, quiet)
    signal.signal(signal.SIGTERM, _stop)


@main.command()
@PACK_ARGUMENT
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
def check(pack: Path, strict: bool) -> None:
    """Validate a pack and report every problem; writes nothing.

    Exits 0 when the pack is valid, 1 when it has errors (or warnings, with --strict).
    """
    from packgen.build import check as run_check

    started = time.perf_counter()
    loaded, problems = run_check(pack)
    found = problems.sorted()
    print_problems(found)
    failing = bool(problems.errors) or (strict and bool(problems.warnings)) or loaded is None
    if failing:
        click.echo(f"packgen: the pack has problems ({_summary(found)})", err=True)
        sys.exit(1)
    assert loaded is not None
    log.info(
        "%s is valid: %d definitions, %d pages, %d languages (%s) in %.1f s",
        loaded.config.id,
        len(loaded.sources),
        len(loaded.pages),
        len(loaded.languages),
        _summary(found),
        time.perf_counter() - started,
    )


@main.command()
@PACK_ARGUMENT
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write the site (default: site/ in the pack).",
)
@click.option(
    "--lang",
    "languages",
    multiple=True,
    metavar="CODE",
    help="Build only this language (repeat for several).",
)
@click.option("--strict", is_flag=True, help="Fail on any warning; the previous site is kept.")
@NO_PDF
@click.option("--timings", is_flag=True, help="Print how long each stage and each language took.")
def build(
    pack: Path,
    out: Path | None,
    languages: tuple[str, ...],
    strict: bool,
    no_pdf: bool,
    timings: bool,
) -> None:
    """Build the site of every language into OUT/<lang>/, with a language chooser at OUT/."""
    from packgen.build import build as run_build

    started = time.perf_counter()
    result = run_build(pack, out, list(languages) or None, strict=strict, printables=not no_pdf)
    print_problems(result.warnings)
    for code, missing in result.untranslated.items():
        if missing:
            log.info(
                "%s: %d strings not translated yet (shown in the source language)", code, missing
            )
    if result.pdfs_rendered or result.pdfs_reused:
        log.info(
            "PDFs: %d rendered, %d unchanged and reused",
            result.pdfs_rendered,
            result.pdfs_reused,
        )
    for bundle in result.bundles:
        log.info("offline bundle downloads/%s: %.2f MB", bundle.name, bundle.size / 1_000_000)
    log.info(
        "built %s in %.1f s: open %s",
        ", ".join(result.languages),
        time.perf_counter() - started,
        result.out / "index.html",
    )
    if timings:
        from packgen.timings import timing_lines

        click.echo("\n".join(timing_lines(result.timings)))


@main.command()
@PACK_ARGUMENT
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--lang", "languages", multiple=True, metavar="CODE", help="Only this language.")
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in a browser.")
@NO_PDF
def serve(
    pack: Path, host: str, port: int, languages: tuple[str, ...], open_browser: bool, no_pdf: bool
) -> None:
    """Preview the pack at http://HOST:PORT/, rebuilding and reloading on every change."""
    from packgen.serve import serve as run_serve

    run_serve(
        pack,
        host=host,
        port=port,
        languages=list(languages) or None,
        on_error=report,
        open_browser=open_browser,
        printables=not no_pdf,
    )


@main.command()
@PACK_ARGUMENT
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Where to write the forms (default: build/forms/ in the pack).",
)
def xlsform(pack: Path, out: Path | None) -> None:
    """Write each learning log as an XLSForm (.xlsx) and XForm (.xml), for KoboToolbox and ODK."""
    from packgen.forms.stage import write_pack_forms

    started = time.perf_counter()
    written, problems = write_pack_forms(pack, out)
    print_problems(problems)
    for path in written:
        click.echo(str(path))
    count, seconds = len(written) // 2, time.perf_counter() - started
    log.info("wrote %d digital form%s in %.1f s", count, "s" * (count != 1), seconds)


@main.command()
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--from",
    "base",
    type=click.Path(path_type=Path),
    default=None,
    help="The pack to extend (default: the flagship pack that comes with packgen).",
)
def init(folder: Path, base: Path | None) -> None:
    """Start a tailored pack in FOLDER that extends a base pack and holds only its changes."""
    from packgen.scaffold import init_pack

    written = init_pack(folder, base)
    click.echo(str(written))
