"""A year entered by hand: it takes precedence over the calendar package, makes its
deadlines confirmed, and bad input is refused with nothing written."""

import datetime as dt
from datetime import date
from zoneinfo import ZoneInfo

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gonghui.workdays import calendar
from gonghui.workdays.calendar import (
    add_working_days,
    deadline,
    is_working_day,
    year_is_confirmed,
    year_source,
)
from gonghui.workdays.entries import BadLines, DayEntry, parse_days
from gonghui.workdays.models import DayKind, EnteredDay, EnteredYear
from gonghui.workdays.services import entered_year_save

pytestmark = pytest.mark.django_db

#: The test's own entries for 2027 (not the State Council's: only what the test says).
LINES_2027 = """
# 元旦
2027-01-01 元旦 休
2027-02-06~2027-02-12 春节 休
2027-02-14 春节 班
"""


def enter_2027(by):
    return entered_year_save(by=by, year=2027, note="测试通知", days=parse_days(LINES_2027, 2027))


def test_an_entered_year_counts_its_holidays_and_saturdays_in_lieu(county):
    enter_2027(county.admin)

    assert year_source(2027) == "entered"
    assert not is_working_day(date(2027, 1, 1))  # a Friday, entered as a holiday
    assert not is_working_day(date(2027, 2, 8))  # a Monday inside the run
    assert is_working_day(date(2027, 2, 14))  # a Sunday, entered as worked
    assert not is_working_day(date(2027, 2, 13))  # an ordinary Saturday
    # From Friday 5 February: the 6th–12th off, Sunday the 14th worked, then 15–18.
    assert add_working_days(date(2027, 2, 5), 5) == date(2027, 2, 18)


def test_entering_the_next_year_makes_a_deadline_across_new_year_confirmed(county):
    enter_2027(county.admin)

    # From Thursday 24 December 2026: 25, 28–31 December, then (1 January 2027 entered as
    # a holiday) 4–8 January.
    assert deadline(date(2026, 12, 24), 10) == calendar.Deadline(date(2027, 1, 8), False)


def test_entering_an_unknown_year_makes_its_deadlines_confirmed(county):
    # 2031: a year neither the package nor anyone carries, counted Monday to Friday.
    assert deadline(date(2031, 9, 30), 1) == calendar.Deadline(date(2031, 10, 1), True)
    with time_machine.travel(dt.datetime(2030, 11, 2, 9, tzinfo=ZoneInfo("Asia/Shanghai"))):
        entered_year_save(
            by=county.admin,
            year=2031,
            days=parse_days("2031-10-01~2031-10-07 国庆节 休\n2031-10-11 国庆节 班", 2031),
        )
    assert deadline(date(2031, 9, 30), 1) == calendar.Deadline(date(2031, 10, 8), False)
    assert deadline(date(2031, 10, 9), 2) == calendar.Deadline(date(2031, 10, 11), False)
    # A count that starts in 2030, which nobody entered, stays provisional.
    assert deadline(date(2030, 12, 30), 5).provisional is True


def test_an_entered_year_takes_precedence_over_the_package(county):
    # The package has 16 February 2026 (a Monday) off for the Spring Festival.
    assert not is_working_day(date(2026, 2, 16))
    entered_year_save(
        by=county.admin, year=2026, days=[DayEntry(date(2026, 3, 2), DayKind.HOLIDAY, "测试")]
    )
    assert year_source(2026) == "entered"
    assert is_working_day(date(2026, 2, 16))
    assert not is_working_day(date(2026, 3, 2))


def test_saving_again_replaces_the_days_and_keeps_who_entered_the_year(county):
    entered = enter_2027(county.admin)
    entered_year_save(
        by=county.superuser,
        year=2027,
        note="更正",
        days=parse_days("2027-01-01 元旦 休\n2027-02-14 春节 休", 2027),
    )
    entered.refresh_from_db()
    assert entered.note == "更正"
    assert entered.entered_by == county.admin
    assert list(EnteredDay.objects.values_list("day", "kind")) == [
        (date(2027, 1, 1), DayKind.HOLIDAY),
        (date(2027, 2, 14), DayKind.HOLIDAY),
    ]
    assert is_working_day(date(2027, 2, 8))
    assert not is_working_day(date(2027, 2, 14))


def test_every_change_is_in_the_audit_trail(county):
    entered = enter_2027(county.admin)
    entered_year_save(by=county.admin, year=2027, days=parse_days("2027-02-14 春节 休", 2027))
    day = EnteredDay.objects.get()
    assert LogEntry.objects.get_for_object(entered).count() == 2  # created, changed
    actions = list(
        LogEntry.objects.filter(content_type__model="enteredday").values_list("action", flat=True)
    )
    # 9 days created, 8 deleted, the kept one's kind changed.
    assert actions.count(LogEntry.Action.CREATE) == 9
    assert actions.count(LogEntry.Action.DELETE) == 8
    assert LogEntry.objects.get_for_object(day).filter(action=LogEntry.Action.UPDATE).exists()


def test_a_date_both_holiday_and_working_day_is_refused_line_by_line():
    with pytest.raises(BadLines) as refused:
        parse_days("2027-02-06~2027-02-12 春节 休\n\n2027-02-07 春节 班", 2027)
    assert refused.value.errors == [(3, "2027-02-07 is already listed on line 1.")]


def test_every_bad_line_is_named_with_its_number():
    text = "\n".join(
        [
            "2027-01-01 元旦 休",  # good
            "2026-12-31 元旦 休",  # another year
            "2027-02-30 春节 休",  # no such date
            "二〇二七年一月一日 元旦 休",  # not a date
            "2027-02-06 春节",  # no kind
            "2027-02-10 春节 班",  # a Wednesday as an adjusted working day
            "2027-03-01~2027-02-01 春节 休",  # backwards
        ]
    )
    with pytest.raises(BadLines) as refused:
        parse_days(text, 2027)
    assert [number for number, _message in refused.value.errors] == [2, 3, 4, 5, 6, 7]
    assert "not in 2027" in refused.value.errors[0][1]
    assert "Saturday or Sunday" in refused.value.errors[4][1]


def test_the_service_refuses_a_date_of_another_year_and_a_date_twice_writing_nothing(county):
    with pytest.raises(ValidationError, match="not in 2027"):
        entered_year_save(
            by=county.admin, year=2027, days=[DayEntry(date(2026, 12, 31), DayKind.HOLIDAY)]
        )
    with pytest.raises(ValidationError, match="listed twice"):
        entered_year_save(
            by=county.admin,
            year=2027,
            days=[
                DayEntry(date(2027, 2, 6), DayKind.HOLIDAY),
                DayEntry(date(2027, 2, 6), DayKind.WORKING),
            ],
        )
    with pytest.raises(ValidationError, match="List the year"):
        entered_year_save(by=county.admin, year=2027, days=[])
    assert not EnteredYear.objects.exists()
    assert not EnteredDay.objects.exists()
    assert not year_is_confirmed(2027)


def test_the_database_refuses_a_date_twice_and_a_date_outside_its_year(county):
    entered = enter_2027(county.admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnteredDay.objects.create(year=entered, day=date(2027, 2, 6), kind=DayKind.WORKING)
    with pytest.raises(IntegrityError), transaction.atomic():
        EnteredDay.objects.create(year=entered, day=date(2028, 1, 1), kind=DayKind.HOLIDAY)
    assert EnteredDay.objects.count() == 9


def test_only_those_who_keep_the_calendar_enter_a_year(county):
    with pytest.raises(PermissionDenied):
        enter_2027(county.t1staff)
    assert not EnteredYear.objects.exists()


def test_lookups_read_the_database_once_per_change(county, django_assert_num_queries):
    enter_2027(county.admin)
    with django_assert_num_queries(3):  # the stamp, the years and their days, once
        for start in range(1, 300):
            deadline(date.fromordinal(date(2026, 6, 1).toordinal() + start), 20)


def test_another_process_sees_a_saved_year_once_its_copy_is_due_for_a_check(county, monkeypatch):
    assert is_working_day(date(2027, 1, 1))  # this process now holds its copy
    # Another gunicorn worker saves the year: this process is not told.
    EnteredDay.objects.create(
        year=EnteredYear.objects.create(year=2027, entered_by=county.admin),
        day=date(2027, 1, 1),
        kind=DayKind.HOLIDAY,
    )
    assert is_working_day(date(2027, 1, 1))  # within REFRESH_SECONDS: the old copy
    monkeypatch.setattr(calendar, "REFRESH_SECONDS", 0)
    assert not is_working_day(date(2027, 1, 1))
