"""Working days (工作日): the one calendar every deadline counts on.

China's public holidays and the weekend days worked in lieu of them (调休) are set
each year by the State Council; ``chinesecalendar`` carries them year by year, and a
county administrator enters a year by hand (``models.EnteredYear``, the console's
calendar pages) when the package does not carry it yet or carries it wrongly: an
entered year takes precedence over the package. For a year neither carries, Monday to
Friday are counted as working days and a deadline in it is provisional
(``Deadline.provisional``) until the year is entered or the package upgraded
(``make lock LOCK_ARGS="--upgrade-package chinesecalendar"``, docs/workdays.md).

Deadline arithmetic runs over every open case of the county each night (100,000
deadlines), so each year is turned once per process into the sorted list of its
working days (``_Year``), and counting is a binary search in it, not a walk day by
day. The entered years are read once per process and kept: each process checks the
table's stamp (how many years, their latest change) at most every
``REFRESH_SECONDS`` and reloads when it moved, so a year saved in one gunicorn worker
reaches the others within that time, and the worker that saved it at once
(``forget_entered_years``, called by the service that saves; a test that enters a year
calls it too, its rolled-back year being otherwise kept that long).
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar

#: How long a process trusts its copy of the entered years before checking the stamp.
REFRESH_SECONDS = 30.0

#: The years the package carries (it refuses any other with NotImplementedError).
LIBRARY_YEARS = range(min(chinese_calendar.holidays).year, max(chinese_calendar.holidays).year + 1)


@dataclass(frozen=True)
class _Year:
    """One year's working days as day ordinals, in order, and the same as a set."""

    ordinals: list[int]
    members: frozenset[int]


@dataclass
class _Snapshot:
    stamp: tuple
    #: year -> {date: True for an adjusted working day, False for a holiday}
    entered: dict[int, dict[date, bool]]
    checked_at: float
    years: dict[int, _Year] = field(default_factory=dict)


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


def _current() -> _Snapshot:
    """This process's copy, checked against the stamp at most every REFRESH_SECONDS."""
    global _snapshot
    now = time.monotonic()
    snapshot = _snapshot
    if snapshot is not None and now - snapshot.checked_at < REFRESH_SECONDS:
        return snapshot
    stamp = _stamp()
    if snapshot is not None and snapshot.stamp == stamp:
        snapshot.checked_at = now
        return snapshot
    from .models import DayKind, EnteredDay, EnteredYear

    entered: dict[int, dict[date, bool]] = {
        year: {} for year in EnteredYear.objects.values_list("year", flat=True)
    }
    for year, day, kind in EnteredDay.objects.values_list("year_id", "day", "kind"):
        entered.setdefault(year, {})[day] = kind == DayKind.WORKING
    _snapshot = _Snapshot(stamp, entered, now)
    return _snapshot


def _entered() -> dict[int, dict[date, bool]]:
    return _current().entered


def _year(year: int) -> _Year:
    snapshot = _current()
    found = snapshot.years.get(year)
    if found is None:
        found = snapshot.years[year] = _build_year(year, snapshot.entered.get(year))
    return found


def _build_year(year: int, entered: dict[date, bool] | None) -> _Year:
    if entered is not None:
        # An entered year replaces the package's: a day it does not list is an ordinary day.
        listed = entered
    elif year in LIBRARY_YEARS:
        listed = {day: False for day in chinese_calendar.holidays if day.year == year}
        listed |= {day: True for day in chinese_calendar.workdays if day.year == year}
    else:
        listed = {}  # a year nobody carries: Monday to Friday
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    ordinals = [
        n
        for n in range(first, last + 1)
        if listed.get(day := date.fromordinal(n), day.weekday() < 5)
    ]
    return _Year(ordinals, frozenset(ordinals))


def is_working_day(day: date) -> bool:
    return day.toordinal() in _year(day.year).members


def add_working_days(start: date, days: int) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    if days == 0:
        return start
    after, year = start.toordinal(), start.year
    while True:
        ordinals = _year(year).ordinals
        first = bisect_right(ordinals, after)
        if first + days <= len(ordinals):
            return date.fromordinal(ordinals[first + days - 1])
        days -= len(ordinals) - first
        year += 1


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 if ``end`` is not later)."""
    if end <= start:
        return 0
    count = 0
    for year in range(start.year, end.year + 1):
        ordinals = _year(year).ordinals
        count += bisect_right(ordinals, end.toordinal()) - bisect_right(ordinals, start.toordinal())
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
