"""The early-warning list of employers and the watched mark."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine

from gonghui.conftest import signed_in
from gonghui.rights.models import EmployerWatch
from gonghui.rights.prevention import festival_window, spring_festival


def at(day):
    return datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_the_spring_festival_window():
    assert spring_festival(2026) == date(2026, 2, 15)
    assert festival_window(date(2026, 1, 10)) == (date(2025, 12, 21), date(2026, 2, 15))


def test_repeated_and_pre_festival_wage_cases_list_the_employer(county, lodge, client):
    with time_machine.travel(at(date(2026, 1, 10)), tick=False):
        lodge(category="wages")
        signed_in(client, county.t1staff)
        response = client.get("/rights/warnings/")
        rows = list(response.context["page"])
        assert [e.pk for e in rows] == [county.e1.pk]
        assert rows[0].wage_cases_before_festival == 1 and rows[0].cases_12m == 1
        lodge(category="overtime")
        rows = list(client.get("/rights/warnings/").context["page"])
        assert rows[0].cases_12m == 2
        # The neighbouring township does not see the employer.
        signed_in(client, county.t2staff)
        assert list(client.get("/rights/warnings/").context["page"]) == []


def test_a_single_case_out_of_season_warns_of_nothing(county, lodge, client):
    with time_machine.travel(at(date(2026, 6, 10)), tick=False):
        lodge(category="wages")
        signed_in(client, county.t1staff)
        assert list(client.get("/rights/warnings/").context["page"]) == []


def test_staff_watch_an_employer_with_a_note_and_stop(county, client):
    signed_in(client, county.t1staff)
    url = f"/rights/warnings/{county.e1.pk}/watch/"
    assert client.post(url, {"note": ""}).status_code == 302
    assert not EmployerWatch.objects.exists()
    client.post(url, {"note": "多次欠薪投诉"})
    watch = EmployerWatch.objects.get()
    assert watch.note == "多次欠薪投诉" and watch.marked_by == county.t1staff
    rows = list(client.get("/rights/warnings/?watched=1").context["page"])
    assert [e.pk for e in rows] == [county.e1.pk]
    client.post(f"/rights/warnings/{county.e1.pk}/unwatch/")
    assert not EmployerWatch.objects.exists()
    signed_in(client, county.t2staff)
    assert client.post(url, {"note": "x"}).status_code == 404
    signed_in(client, county.leader)
    assert client.post(url, {"note": "x"}).status_code == 403
    assert not EmployerWatch.objects.exists()
