"""Working days (工作日): the one calendar every deadline counts on.

China's public holidays and the weekend days worked in lieu of them (调休) are set
each year by the State Council; ``chinesecalendar`` carries them year by year, and a
county administrator enters a year by hand (``models.EnteredYear``, the console's
calendar pages) when the package does not carry it yet or carries it wrongly: an
entered year takes precedence over the package. For a year neither carries, Monday to
Friday are counted as working days and a deadline in it is provisional
(``Deadline.provisional``) until the year is entered or the package upgraded
(``make lock LOCK_ARGS="--upgrade-package chinesecalendar"``, docs/workdays.md).

Deadline arithmetic runs over every open case of the county each night, so the entered
years are read once per process and kept (``_entered``). Each process checks the
table's stamp (how many years, their latest change) at most every
``REFRESH_SECONDS`` and reloads when it moved: a year saved in one gunicorn worker
reaches the others within that time, and the worker that saved it at once
(``forget_entered_years``, called by the service that saves).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

#: How long a process trusts its copy of the entered years before checking the stamp.
REFRESH_SECONDS = 30.0

#: The years the package carries (it refuses any other with NotImplementedError).
LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@dataclass(frozen=True)
class _Snapshot:
    stamp: tuple
    #: year -> {date: True for an adjusted working day, False for a holiday}
    years: dict[int, dict[date, bool]]
    checked_at: float


_snapshot: _Snapshot | None = None


def forget_entered_years() -> None:
    """Drop this process's copy of the entered years: the next lookup reads them again."""
    global _snapshot
    _snapshot = None


def _stamp() -> tuple:
    from django.db.models import Count, Max

    from .models import EnteredYear

    found = EnteredYear.objects.aggregate(years=Count("pk"), changed=Max("changed_at"))
    return (found["years"], found["changed"])


def _entered() -> dict[int, dict[date, bool]]:
    """The entered years' days, read at most once per change (see the module's docstring)."""
    global _snapshot
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - snapshot.checked_at < REFRESH_SECONDS:
        return snapshot.years
    stamp = _stamp()
    if snapshot is not None and snapshot.stamp == stamp:
        years = snapshot.years
    else:
        from .models import DayKind, EnteredDay, EnteredYear

        years = {year: {} for year in EnteredYear.objects.values_list("year", flat=True)}
        for year, day, kind in EnteredDay.objects.values_list("year_id", "day", "kind"):
            years.setdefault(year, {})[day] = kind == DayKind.WORKING
    _snapshot = _Snapshot(stamp, years, now)
    return years


def is_working_day(day: date) -> bool:
    entered = _entered().get(day.year)
    if entered is not None:
        # An entered year replaces the package's: a day it does not list is an ordinary day.
        listed = entered.get(day)
        return listed if listed is not None else day.weekday() < 5
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


def year_source(year: int) -> str:
    """Where ``year``'s holidays come from: "entered", "library" or "" (none: Monday–Friday)."""
    if year in _entered():
        return "entered"
    if year in LIBRARY_YEARS:
        return "library"
    return ""


def year_is_confirmed(year: int) -> bool:
    return bool(year_source(year))


def deadline(start: date, days: int) -> Deadline:
    """The ``days``-th working day after ``start``, provisional if it counts an unknown year."""
    day = add_working_days(start, days)
    return Deadline(day, provisional=_counts_unknown_year(min(start + timedelta(days=1), day), day))


def period_end(first_day: date, days: int) -> Deadline:
    """The last of ``days`` working days counted from ``first_day`` itself (a period such
    as a public notice, 公示, whose first day is the day it starts; a first day that is
    not a working day is not counted)."""
    if days < 1:
        raise ValueError("a period lasts at least one day")
    day = add_working_days(first_day - timedelta(days=1), days)
    return Deadline(day, provisional=_counts_unknown_year(first_day, day))


def _counts_unknown_year(first: date, last: date) -> bool:
    """Whether a day from ``first`` to ``last`` lies in a year nobody confirmed."""
    return any(not year_is_confirmed(year) for year in range(first.year, last.year + 1))
