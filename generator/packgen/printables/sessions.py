"""A session's steps on the clock, from the pack's start time, and dates in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time

from packgen.model import Exercise, Step


@dataclass(frozen=True)
class PlanRow:
    number: int
    step: Step
    start: str
    end: str


@dataclass(frozen=True)
class SessionPlan:
    """A session's steps on the clock, counted from the pack's start time."""

    rows: list[PlanRow]
    start: str
    end: str
    minutes: int


def _babel_locale(lang: str) -> Locale:
    try:
        return Locale.parse(lang.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def session_plan(exercise: Exercise, clock: list[int], lang: str) -> SessionPlan:
    """The steps at the clock times resolve worked out (the minute of the day each starts,
    then the end), as readers of lang write them (9:00 AM, 09:00, 9:00 ص); past midnight wraps."""
    locale = _babel_locale(lang)

    def shown(minute: int) -> str:
        moment = time((minute // 60) % 24, minute % 60)
        return str(format_time(moment, format="short", locale=locale))

    rows = [
        PlanRow(number, step, shown(clock[number - 1]), shown(clock[number]))
        for number, step in enumerate(exercise.steps, start=1)
    ]
    return SessionPlan(rows, shown(clock[0]), shown(clock[-1]), exercise.step_minutes)


def long_date(day: date, lang: str) -> str:
    """A date as readers of lang write it in full: 2 December 2026, 2 décembre 2026."""
    return str(format_date(day, format="long", locale=_babel_locale(lang)))
