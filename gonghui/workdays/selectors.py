"""Reads of the working-day calendar for its console pages and its warning."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import chinese_calendar

from . import calendar
from .entries import DayEntry
from .models import DayKind, EnteredDay, EnteredYear

#: The first year the console lists: the project counts no deadline before it.
FIRST_LISTED_YEAR = 2025
#: From this day of the year (1 November) next year's holidays are due: the State
#: Council announces them in the autumn, and deadlines set in December reach into it.
NEXT_YEAR_DUE = (11, 1)

#: The package names holidays in English; the console shows them as the notice does.
LIBRARY_NAMES = {holiday.value: holiday.chinese for holiday in chinese_calendar.Holiday}


@dataclass(frozen=True)
class YearRow:
    year: int
    source: str  # calendar.year_source: "entered", "library" or "" (Monday–Friday)
    entered: EnteredYear | None
    holidays: int
    working_days: int


def listed_years(today: date) -> list[int]:
    """The years the console lists: from FIRST_LISTED_YEAR to next year, and any entered."""
    entered = set(EnteredYear.objects.values_list("year", flat=True))
    return sorted(set(range(FIRST_LISTED_YEAR, today.year + 2)) | entered)


def years_overview(today: date) -> list[YearRow]:
    years = listed_years(today)
    entered = {row.year: row for row in EnteredYear.objects.select_related("entered_by")}
    counts: dict[tuple[int, str], int] = {}
    for year, kind in EnteredDay.objects.values_list("year_id", "kind"):
        counts[year, kind] = counts.get((year, kind), 0) + 1
    rows = []
    for year in years:
        source = calendar.year_source(year)
        if source == "entered":
            holidays = counts.get((year, DayKind.HOLIDAY), 0)
            working = counts.get((year, DayKind.WORKING), 0)
        elif source == "library":
            days = library_days(year)
            holidays = sum(entry.kind == DayKind.HOLIDAY for entry in days)
            working = len(days) - holidays
        else:
            holidays = working = 0
        rows.append(YearRow(year, source, entered.get(year), holidays, working))
    return rows


def library_days(year: int) -> list[DayEntry]:
    """The package's holidays and adjusted working days of ``year`` (none if it lacks it)."""
    if year not in calendar.LIBRARY_YEARS:
        return []
    days = [
        DayEntry(day, DayKind.HOLIDAY, LIBRARY_NAMES.get(name, name))
        for day, name in chinese_calendar.holidays.items()
        if day.year == year
    ]
    days += [
        DayEntry(day, DayKind.WORKING, LIBRARY_NAMES.get(name, name))
        for day, name in chinese_calendar.workdays.items()
        if day.year == year
    ]
    return sorted(days, key=lambda entry: entry.day)


def entered_days(year: int) -> list[EnteredDay]:
    return list(EnteredDay.objects.filter(year_id=year).order_by("day"))


def unconfirmed_years(today: date) -> list[int]:
    """The years whose deadlines are provisional and should be entered now: this year,
    and next year from 1 November."""
    years = [today.year]
    if (today.month, today.day) >= NEXT_YEAR_DUE:
        years.append(today.year + 1)
    return [year for year in years if not calendar.year_is_confirmed(year)]
