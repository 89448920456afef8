"""The warning on county administrators' home page while this year, or from 1 November
next year, has no confirmed holidays."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gonghui.workdays import calendar
from gonghui.workdays.entries import parse_days
from gonghui.workdays.services import entered_year_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _package_up_to_2026(monkeypatch):
    """The calendar package as installed now, carrying years up to 2026, even once an
    upgrade carries 2027: what these pages say about a year nobody carries is tested."""
    monkeypatch.setattr(calendar, "LIBRARY_YEARS", range(2004, 2027))


HOME = reverse("core:home")
LABEL = "Holiday years to enter"


def at(year, month, day):
    return time_machine.travel(dt.datetime(year, month, day, 9, tzinfo=ZoneInfo("Asia/Shanghai")))


def waiting(client):
    return {str(item.label): item for item in client.get(HOME).context["waiting"]}


def test_next_year_is_asked_for_from_the_first_of_november(county, client_for):
    client = client_for(county.admin)
    with at(2026, 10, 31):
        assert not any(LABEL in label for label in waiting(client))
    with at(2026, 11, 1):
        item = next(item for label, item in waiting(client).items() if LABEL in label)
        assert item.count == 1
        assert item.url == reverse("workdays:year-list")


def test_an_unconfirmed_current_year_and_next_year_both_count(county, client_for, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 3650  # a year on, the password is still good
    with at(2027, 11, 5):
        item = next(i for label, i in waiting(client_for(county.admin)).items() if LABEL in label)
        assert item.count == 2


def test_the_warning_goes_once_the_year_is_entered(county, client_for):
    client = client_for(county.admin)
    with at(2026, 12, 5):
        entered_year_save(by=county.admin, year=2027, days=parse_days("2027-01-01 元旦 休", 2027))
        assert not any(LABEL in label for label in waiting(client))


def test_only_those_who_keep_the_calendar_are_warned(county, client_for):
    with at(2026, 12, 5):
        assert not any(LABEL in label for label in waiting(client_for(county.t1staff)))
