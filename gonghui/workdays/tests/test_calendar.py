"""Working-day arithmetic over the calendar package's years (2025 and 2026, as the
State Council announced them) and over a year neither it nor anyone entered."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.workdays.calendar import (
    add_working_days,
    deadline,
    is_working_day,
    period_end,
    working_days_between,
    year_is_confirmed,
)

pytestmark = pytest.mark.django_db


def test_the_national_day_holiday_and_its_weekend_in_lieu():
    # 2025: 1–8 October off; Sunday 28 September and Saturday 11 October worked in lieu.
    assert not is_working_day(date(2025, 10, 1))
    assert not is_working_day(date(2025, 10, 8))
    assert is_working_day(date(2025, 9, 28))
    assert is_working_day(date(2025, 10, 11))


def test_fifteen_working_days_skip_weekends_and_holidays():
    # From Friday 26 September 2025: 28–30 September, then 9–10, 11 (Saturday, worked),
    # 13–17 and 20–23 October.
    assert add_working_days(date(2025, 9, 26), 15) == date(2025, 10, 23)
    assert working_days_between(date(2025, 9, 26), date(2025, 10, 23)) == 15


def test_the_spring_festival_of_2025_and_its_sunday_and_saturday_in_lieu():
    # 28 January – 4 February off; Sunday 26 January and Saturday 8 February worked.
    assert all(not is_working_day(date(2025, 1, d)) for d in range(28, 32))
    assert all(not is_working_day(date(2025, 2, d)) for d in range(1, 5))
    assert is_working_day(date(2025, 1, 26))
    assert is_working_day(date(2025, 2, 8))
    # From Friday 24 January: the 26th, the 27th, then 5, 6, 7, 8 (Saturday), 10…13 February.
    assert add_working_days(date(2025, 1, 24), 5) == date(2025, 2, 7)
    assert add_working_days(date(2025, 1, 24), 10) == date(2025, 2, 13)
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 13)) == 10
    assert deadline(date(2025, 1, 24), 10).provisional is False


def test_the_spring_festival_of_2026_and_its_two_saturdays_in_lieu():
    # 国办发明电〔2025〕7号: 15–23 February off; Saturdays 14 and 28 February worked.
    assert all(not is_working_day(date(2026, 2, d)) for d in range(15, 24))
    assert is_working_day(date(2026, 2, 14))
    assert is_working_day(date(2026, 2, 28))
    # From Friday 13 February: the 14th, 24–27, the 28th (Saturday), Monday 2 March.
    assert add_working_days(date(2026, 2, 13), 7) == date(2026, 3, 2)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_the_mid_autumn_and_national_day_of_2026_and_their_weekend_days_in_lieu():
    # 25–27 September and 1–7 October off; Sunday 20 September, Saturday 10 October worked.
    assert not is_working_day(date(2026, 9, 25))
    assert all(not is_working_day(date(2026, 10, d)) for d in range(1, 8))
    assert is_working_day(date(2026, 9, 20))
    assert is_working_day(date(2026, 10, 10))
    assert not is_working_day(date(2026, 10, 11))  # an ordinary Sunday
    # From Friday 18 September: 20, 21–24, 28–30 September, 8, 9, 10 (Saturday), 12 October.
    assert add_working_days(date(2026, 9, 18), 12) == date(2026, 10, 12)
    assert deadline(date(2026, 9, 18), 12).day == date(2026, 10, 12)


def test_a_year_the_calendar_does_not_carry_counts_monday_to_friday():
    assert is_working_day(date(2031, 3, 3))  # a Monday
    assert not is_working_day(date(2031, 3, 1))  # a Saturday
    assert add_working_days(date(2031, 2, 28), 5) == date(2031, 3, 7)
    assert not year_is_confirmed(2031)
    assert year_is_confirmed(2026)


def test_a_deadline_reaching_into_an_unknown_year_is_provisional():
    # From Tuesday 24 December 2030 (a year no one carries): 25–27, 30, 31 December, then
    # 1 January 2031 (counted: nobody has said it is a holiday), 2, 3, 6 and 7 January.
    due = deadline(date(2030, 12, 24), 10)
    assert due.day == date(2031, 1, 7)
    assert due.provisional is True
    # Within 2026 the same count is confirmed.
    assert deadline(date(2026, 12, 1), 10).provisional is False


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(date(2025, 5, 6), 0) == date(2025, 5, 6)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 5, 6), -1)


def test_a_period_counts_its_first_day_when_that_is_a_working_day():
    # A five-day notice from Wednesday 30 September 2026: the 30th, then 8, 9, 10 (Saturday
    # worked) and Monday 12 October.
    assert period_end(date(2026, 9, 30), 5).day == date(2026, 10, 12)
    # From a holiday, the first working day after it is the first day counted.
    assert period_end(date(2026, 10, 1), 1).day == date(2026, 10, 8)
    assert period_end(date(2030, 12, 30), 5).provisional is True
    assert period_end(date(2026, 12, 1), 5).provisional is False
    with pytest.raises(ValueError):
        period_end(date(2026, 3, 2), 0)


@settings(max_examples=300, deadline=None)
@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 10, 31)),
    st.integers(min_value=0, max_value=40),
)
def test_counting_agrees_with_the_package_day_by_day(start, days):
    # The calendar counts by binary search in each year's working days; the package, asked
    # about each day in turn, must give the same answer.
    day, left = start, days
    while left:
        day += timedelta(days=1)
        left -= chinese_calendar.is_workday(day)
    assert add_working_days(start, days) == day
    assert working_days_between(start, day) == days
    assert is_working_day(start) == chinese_calendar.is_workday(start)
