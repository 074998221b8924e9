"""A session's steps on the clock, from the pack's start time, and dates in the reader's words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

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


def session_plan(exercise: Exercise, start: time, lang: str) -> SessionPlan:
    """Clock times as readers of lang write them (9:00 AM, 09:00, 9:00 ص); past midnight wraps."""
    locale = _babel_locale(lang)
    first = datetime.combine(date(2000, 1, 1), start)

    def shown(moment: datetime) -> str:
        return str(format_time(moment.time(), format="short", locale=locale))

    rows = []
    clock = first
    for number, step in enumerate(exercise.steps, start=1):
        end = clock + timedelta(minutes=step.minutes)
        rows.append(PlanRow(number, step, shown(clock), shown(end)))
        clock = end
    return SessionPlan(rows, shown(first), shown(clock), exercise.step_minutes)


def long_date(day: date, lang: str) -> str:
    """A date as readers of lang write it in full: 2 December 2026, 2 décembre 2026."""
    return str(format_date(day, format="long", locale=_babel_locale(lang)))
