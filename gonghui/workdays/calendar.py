"""Working days (工作日): the one calendar every deadline counts on.

China's public holidays and the weekend days worked in lieu of them (调休) are set
each year by the State Council; ``chinesecalendar`` carries them year by year. For a
year it does not carry yet (its release for a new year follows the announcement,
usually in November or December), Monday to Friday are counted as working days, so a
deadline then ignores that year's holidays: upgrade the package each December
(``make lock LOCK_ARGS="--upgrade-package chinesecalendar"``, docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # a year the library does not carry yet
        return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    day = start
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        count += is_working_day(day)
    return count


@dataclass(frozen=True)
class Deadline:
    """A due day, and whether a day counted lies in a year whose holidays are not known yet."""

    day: date
    provisional: bool


def year_is_confirmed(year: int) -> bool:
    try:
        chinese_calendar.is_workday(date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def deadline(start: date, days: int) -> Deadline:
    """The ``days``-th working day after ``start``, provisional if it counts an unknown year."""
    day = add_working_days(start, days)
    unknown = any(not year_is_confirmed(y) for y in range(start.year, day.year + 1))
    return Deadline(day, provisional=unknown)
