"""The calendar's console pages: the years and where their holidays come from, entering
and correcting a year; county administrators only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from gonghui.workdays import calendar
from gonghui.workdays.calendar import is_working_day
from gonghui.workdays.entries import parse_days
from gonghui.workdays.models import EnteredDay, EnteredYear
from gonghui.workdays.services import entered_year_save

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _package_up_to_2026(monkeypatch):
    """The calendar package as installed now, carrying years up to 2026, even once an
    upgrade carries 2027: what these pages say about a year nobody carries is tested."""
    monkeypatch.setattr(calendar, "LIBRARY_YEARS", range(2004, 2027))


LIST = reverse("workdays:year-list")
ENTER = reverse("workdays:year-enter")
LINES = "2027-01-01 元旦 休\n2027-02-06~2027-02-12 春节 休\n2027-02-14 春节 班"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(dt.datetime(2026, 11, 2, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))):
        yield


def test_the_list_says_where_each_years_holidays_come_from(county, client_for):
    entered_year_save(
        by=county.admin, year=2025, note="通知", days=parse_days("2025-10-09 休", 2025)
    )
    page = client_for(county.admin).get(LIST)
    assert page.status_code == 200
    rows = {row.year: row for row in page.context["rows"]}
    assert list(rows) == [2025, 2026, 2027]
    assert rows[2025].source == "entered"
    assert rows[2025].holidays == 1
    assert rows[2026].source == "library"
    assert (rows[2026].holidays, rows[2026].working_days) == (33, 6)
    assert rows[2027].source == ""
    text = page.content.decode()
    assert "provisional: Monday to Friday" in text
    assert "confirmed by the calendar package" in text
    assert "entered by hand" in text
    assert page.context["unconfirmed"] == [2027]


def test_a_new_year_is_entered_from_lines_and_counts_at_once(county, client_for):
    client = client_for(county.admin)
    assert client.get(ENTER).context["form"].initial["year"] == 2027

    answer = client.post(ENTER, {"year": "2027", "note": "国办发明电", "days": LINES})

    assert answer.status_code == 302
    assert answer["Location"] == LIST
    entered = EnteredYear.objects.get()
    assert (entered.year, entered.note, entered.entered_by) == (2027, "国办发明电", county.admin)
    assert EnteredDay.objects.count() == 9
    assert not is_working_day(dt.date(2027, 2, 8))


def test_the_edit_page_shows_the_entered_days_and_saving_one_change_keeps_the_rest(
    county, client_for
):
    entered_year_save(by=county.admin, year=2027, note="通知", days=parse_days(LINES, 2027))
    client = client_for(county.admin)
    form = client.get(ENTER, {"year": 2027}).context["form"]
    assert form.initial == {
        "year": 2027,
        "note": "通知",
        "days": "2027-01-01 元旦 休\n2027-02-06~2027-02-12 春节 休\n2027-02-14 春节 班",
    }
    changed = form.initial["days"].replace("2027-01-01 元旦 休", "2027-01-01~2027-01-03 元旦 休")
    # Saturday 2 and Sunday 3 January are holidays too now; nothing else moves.
    client.post(ENTER, {"year": "2027", "note": "通知", "days": changed})
    assert EnteredDay.objects.count() == 11
    assert EnteredYear.objects.get().note == "通知"


def test_a_year_the_package_carries_opens_with_its_days(county, client_for):
    days = client_for(county.admin).get(ENTER, {"year": 2026}).context["form"].initial["days"]
    assert "2026-02-15~2026-02-23 春节 休" in days
    assert "2026-02-14 春节 班" in days
    assert "2026-10-10 国庆节 班" in days


def test_a_bad_line_is_named_and_nothing_is_saved(county, client_for):
    lines = LINES + "\n2027-02-07 春节 班\n2028-01-01 元旦 休\n明年元旦 休"
    answer = client_for(county.admin).post(ENTER, {"year": "2027", "days": lines})
    assert answer.status_code == 200
    errors = answer.context["form"].errors["days"]
    assert errors == [
        "Line 4: 2027-02-07 is already listed on line 2.",
        "Line 5: the date is not in 2027.",
        "Line 6: start with a date such as 2027-02-06 (or a run such as 2027-02-06~2027-02-12).",
    ]
    assert "Line 5: the date is not in 2027." in answer.content.decode()
    assert not EnteredYear.objects.exists()
    assert not EnteredDay.objects.exists()


@pytest.mark.parametrize("persona", ["t1staff", "leader", "chair1", "outsider"])
def test_only_county_administrators_open_the_pages(county, client_for, persona):
    client = client_for(getattr(county, persona))
    assert client.get(LIST).status_code == 403
    assert client.get(ENTER).status_code == 403
    assert client.post(ENTER, {"year": "2027", "days": LINES}).status_code == 403
    assert not EnteredYear.objects.exists()


def test_a_visitor_is_sent_to_sign_in(client):
    assert client.get(LIST).url.startswith(reverse("accounts:login"))
    assert client.post(ENTER, {"year": "2027", "days": LINES}).url.startswith(
        reverse("accounts:login")
    )
    assert not EnteredYear.objects.exists()


def test_the_console_navigation_leads_county_administrators_to_the_calendar(county, client_for):
    assert LIST in client_for(county.admin).get(reverse("core:home")).content.decode()
