"""Writes to the working-day calendar: a year's holidays entered by hand."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .calendar import forget_entered_years
from .entries import DayEntry
from .models import DayKind, EnteredDay, EnteredYear

CHANGE = "workdays.change_enteredyear"
#: The first year that may be entered: the package carries every year before it.
FIRST_YEAR = 2004


def _check_days(year: int, days: Sequence[DayEntry]) -> None:
    if not days:
        raise ValidationError({"days": _("List the year's holidays and adjusted working days.")})
    seen: set = set()
    for entry in days:
        if entry.day.year != year:
            raise ValidationError(
                {"days": _("%(date)s is not in %(year)s.") % {"date": entry.day, "year": year}}
            )
        if entry.day in seen:
            raise ValidationError(
                {
                    "days": _(
                        "%(date)s is listed twice: a date is either a holiday or a working day."
                    )
                    % {"date": entry.day}
                }
            )
        if entry.kind not in DayKind.values:
            raise ValidationError(
                {"days": _("Unknown kind of day: %(kind)s.") % {"kind": entry.kind}}
            )
        seen.add(entry.day)


def entered_year_save(*, by, year: int, note: str = "", days: Sequence[DayEntry]) -> EnteredYear:
    """Enter ``year``'s holidays and adjusted working days, or replace those entered.

    The year then takes precedence over the ``chinesecalendar`` package. Rows are
    written one by one (a year has some forty) so that each change is in the audit
    trail; every process drops its copy of the entered years (at once here, within
    ``calendar.REFRESH_SECONDS`` elsewhere).
    """
    if not by.has_perm(CHANGE):
        raise PermissionDenied(_("Only county administrators enter holiday years."))
    latest = timezone.localdate().year + 2
    if not FIRST_YEAR <= year <= latest:
        raise ValidationError(
            {
                "year": _("Enter a year from %(first)s to %(last)s.")
                % {"first": FIRST_YEAR, "last": latest}
            }
        )
    _check_days(year, days)
    try:
        with transaction.atomic():
            entered = _write(by=by, year=year, note=note.strip(), days=days)
    except IntegrityError as exc:
        # The constraints guard what _check_days checked; a race with another save lands here.
        raise ValidationError(
            _("The days could not be saved: a date is listed twice or lies outside the year.")
        ) from exc
    forget_entered_years()
    transaction.on_commit(forget_entered_years)
    return entered


def _write(*, by, year: int, note: str, days: Sequence[DayEntry]) -> EnteredYear:
    now = timezone.now()
    entered = EnteredYear.objects.select_for_update().filter(year=year).first()
    if entered is None:
        entered = EnteredYear.objects.create(
            year=year, note=note, entered_by=by, entered_at=now, changed_at=now
        )
    else:
        entered.note, entered.changed_at = note, now
        entered.save(update_fields=["note", "changed_at"])
    wanted = {entry.day: entry for entry in days}
    for row in EnteredDay.objects.filter(year=entered):
        entry = wanted.pop(row.day, None)
        if entry is None:
            row.delete()
        elif (row.kind, row.name) != (entry.kind, entry.name):
            row.kind, row.name = entry.kind, entry.name
            row.save(update_fields=["kind", "name"])
    for entry in wanted.values():
        EnteredDay.objects.create(year=entered, day=entry.day, kind=entry.kind, name=entry.name)
    return entered
