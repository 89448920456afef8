"""The lines a county clerk types or pastes to enter a year's holidays.

One line per day or run of days, as the State Council's notice lists them::

    2027-02-06 春节 休
    2027-02-06~2027-02-12 春节 休
    2027-02-14 春节 班

a date (``2027-02-06``, ``2027/2/6``, ``2027.2.6`` or ``2027年2月6日``) or two joined
by ``~``, ``～`` or ``至`` (every day from the first to the second), an optional name,
and the kind last: 休 (or 假, off, holiday) for a holiday, 班 (or work, working) for a
weekend day worked in lieu. Blank lines and lines starting with ``#`` are skipped.
Every bad line is reported with its number; nothing is kept unless every line is good.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from .models import DayKind

DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
DAYS = re.compile(rf"^{DATE}(?:\s*[~～至]\s*{DATE})?(?:\s+|$)")

KINDS = {
    "休": DayKind.HOLIDAY,
    "假": DayKind.HOLIDAY,
    "off": DayKind.HOLIDAY,
    "holiday": DayKind.HOLIDAY,
    "班": DayKind.WORKING,
    "work": DayKind.WORKING,
    "working": DayKind.WORKING,
}
#: What the form writes back for each kind (the clerk's own words).
KIND_WORDS = {DayKind.HOLIDAY: "休", DayKind.WORKING: "班"}

#: A run longer than this is a typo (the longest holiday, the Spring Festival, is 9 days).
LONGEST_RUN = 15
NAME_LENGTH = 50


@dataclass(frozen=True)
class DayEntry:
    day: date
    kind: str
    name: str = ""
    line: int = 0  # the line it was typed on (0: not typed)


class BadLines(Exception):
    """Lines that could not be read: ``errors`` is a list of (line number, message)."""

    def __init__(self, errors: list[tuple[int, str]]):
        super().__init__(errors)
        self.errors = errors

    def messages(self) -> list[str]:
        return [
            _("Line %(number)s: %(message)s") % {"number": number, "message": message}
            for number, message in self.errors
        ]


def _date(year: str, month: str, day: str) -> date | None:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def parse_days(text: str, year: int) -> list[DayEntry]:
    """The days the lines list, in date order; raises ``BadLines`` naming every bad line.

    A line is bad when it cannot be read, names a date outside ``year``, lists a date
    another line lists too (a date is either a holiday or a working day, once), or
    makes a Monday to Friday an adjusted working day (those are working days anyway:
    such a line is a typo for another date).
    """
    errors: list[tuple[int, str]] = []
    entries: list[DayEntry] = []
    first_line: dict[date, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        days, error = _read_line(line, year)
        if error:
            errors.append((number, error))
            continue
        for entry in days:
            if entry.day in first_line:
                errors.append(
                    (
                        number,
                        _("%(date)s is already listed on line %(line)s.")
                        % {"date": entry.day.isoformat(), "line": first_line[entry.day]},
                    )
                )
                break
            first_line[entry.day] = number
            entries.append(DayEntry(entry.day, entry.kind, entry.name, number))
    if errors:
        raise BadLines(errors)
    return sorted(entries, key=lambda entry: entry.day)


def _read_line(line: str, year: int) -> tuple[list[DayEntry], str]:
    """The days of one line, or why it cannot be read."""
    match = DAYS.match(line)
    if not match:
        return [], _(
            "start with a date such as 2027-02-06 (or a run such as 2027-02-06~2027-02-12)."
        )
    first = _date(*match.group(1, 2, 3))
    last = _date(*match.group(4, 5, 6)) if match.group(4) else first
    if first is None or last is None:
        return [], _("this date does not exist.")
    words = line[match.end() :].split()
    if not words or words[-1].lower() not in KINDS:
        return [], _("end the line with 休 (a holiday) or 班 (a working day).")
    kind = KINDS[words[-1].lower()]
    name = " ".join(words[:-1])
    if len(name) > NAME_LENGTH:
        return [], _("the name is longer than %(length)s characters.") % {"length": NAME_LENGTH}
    if last < first:
        return [], _("the run ends before it starts.")
    if (last - first).days >= LONGEST_RUN:
        return [], _("a run of more than %(days)s days.") % {"days": LONGEST_RUN}
    if first.year != year or last.year != year:
        return [], _("the date is not in %(year)s.") % {"year": year}
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    if kind == DayKind.WORKING:
        weekday = next((day for day in days if day.weekday() < 5), None)
        if weekday is not None:
            return [], _(
                "%(date)s is a Monday to Friday, a working day anyway: only a Saturday or "
                "Sunday can be an adjusted working day."
            ) % {"date": weekday.isoformat()}
    return [DayEntry(day, kind, name) for day in days], ""


def format_days(entries) -> str:
    """The lines that list ``entries`` (anything with ``day``, ``kind`` and ``name``),
    consecutive days of one name and kind as one run: what the edit form shows."""
    lines = []
    ordered = sorted(entries, key=lambda entry: entry.day)
    runs: list[list] = []
    for entry in ordered:
        previous = runs[-1][-1] if runs else None
        if (
            previous is not None
            and previous.kind == entry.kind
            and previous.name == entry.name
            and entry.day - previous.day == timedelta(days=1)
        ):
            runs[-1].append(entry)
        else:
            runs.append([entry])
    for run in runs:
        first, last = run[0], run[-1]
        days = first.day.isoformat()
        if last.day != first.day:
            days += f"~{last.day.isoformat()}"
        words = [days, first.name, KIND_WORDS[first.kind]]
        lines.append(" ".join(word for word in words if word))
    return "\n".join(lines)
