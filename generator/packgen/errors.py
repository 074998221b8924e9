"""Problems found in a pack and the small exception hierarchy the CLI turns into exit codes."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; line and column count from 1."""

    path: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        if not self.line:
            return self.path
        if not self.column:
            return f"{self.path}:{self.line}"
        return f"{self.path}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or suspicious) in a pack, with where it is."""

    location: Location
    message: str
    severity: Severity = Severity.ERROR
    source_line: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity is Severity.WARNING else ""
        text = f"{self.location}: {prefix}{self.message}"
        if self.source_line is not None and self.location.column:
            caret = " " * (self.location.column - 1) + "^"
            text += f"\n    {self.source_line}\n    {caret}"
        return text


class Problems:
    """Collects every problem of a run so they can be reported together."""

    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def error(self, location: Location, message: str) -> None:
        self.add(Problem(location, message, Severity.ERROR, _line_of(location)))

    def warning(self, location: Location, message: str) -> None:
        self.add(Problem(location, message, Severity.WARNING, _line_of(location)))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity is Severity.WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(self.items, key=lambda p: (p.location, p.message))


def _line_of(location: Location) -> str | None:
    """The offending source line, so a message can show it under the location."""
    if not location.line:
        return None
    try:
        lines = Path(location.path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return None
    if location.line > len(lines):
        return None
    return lines[location.line - 1]


class WarningCollector(logging.Handler):
    """Keeps the warnings a library logs during one task, to report them as the pack's problems."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


class PackgenError(Exception):
    """Base of every error a user can cause; the CLI prints it without a traceback."""

    exit_code = 1


class PackInvalid(PackgenError):
    """The pack has errors (or warnings, in strict mode)."""

    def __init__(self, problems: list[Problem], reason: str = "the pack has errors") -> None:
        super().__init__(reason)
        self.problems = problems


class BuildFailed(PackgenError):
    """A later stage (MkDocs, writing files) failed; the previous site is left as it was."""

    exit_code = 2


class UsageProblem(PackgenError):
    """The command was asked for something that cannot be done (unknown language, no pack)."""

    exit_code = 2


class Stopped(BaseException):
    """SIGTERM arrived (from `timeout`, CI or `kill`); unwinds the build like Ctrl-C does."""
