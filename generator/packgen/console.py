"""How the commands show problems on the terminal; shared by `cli` and `i18n_commands`."""

from __future__ import annotations

import sys

import click

from packgen.errors import Problem, Severity


def print_problems(problems: list[Problem]) -> None:
    colour = sys.stderr.isatty()
    for problem in problems:
        text = str(problem)
        if colour:
            head, sep, rest = text.partition("\n")
            tint = "yellow" if problem.severity is Severity.WARNING else "red"
            text = click.style(head, fg=tint) + sep + rest
        click.echo(text, err=True)
