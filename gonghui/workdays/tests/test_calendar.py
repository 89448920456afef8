from datetime import date

import pytest

from gonghui.workdays.calendar import add_working_days, is_working_day, working_days_between


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


def test_a_year_the_calendar_does_not_carry_counts_monday_to_friday():
    assert is_working_day(date(2031, 3, 3))  # a Monday
    assert not is_working_day(date(2031, 3, 1))  # a Saturday
    assert add_working_days(date(2031, 2, 28), 5) == date(2031, 3, 7)


def test_zero_days_is_the_start_and_negative_is_refused():
    assert add_working_days(date(2025, 5, 6), 0) == date(2025, 5, 6)
    with pytest.raises(ValueError):
        add_working_days(date(2025, 5, 6), -1)
