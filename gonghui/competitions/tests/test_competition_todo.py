"""The to-do item of competitions (``core.todo``): competitions with registrations
awaiting the organiser's approval, for the staff of the organising union and of those
above it; counted in a fixed number of queries, the link listing the same competitions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.competitions import services
from gonghui.competitions.todo import competitions_todo
from gonghui.core.todo import todo_for

from .helpers import competition, worker

pytestmark = pytest.mark.django_db

LABEL = "Competitions with registrations awaiting your approval"


def waiting(user) -> int | None:
    """The item's count for ``user``; None when the user gets no item."""
    items = [item for item in competitions_todo(user) if str(item.label) == LABEL]
    assert len(items) <= 1
    return items[0].count if items else None


@pytest.fixture
def competitions(county):
    """The county's competition with two registrations waiting, T1's with one waiting,
    and T1's second with its only registration approved."""
    county_wide = competition(county, name="县赛")
    t1 = competition(county, by=county.t1staff, organiser=county.t1, name="东镇赛")
    t1_done = competition(county, by=county.t1staff, organiser=county.t1, name="东镇二赛")
    for made, n in ((county_wide, 2), (t1, 1)):
        for _ in range(n):
            services.entry_register(by=None, competition=made, person=worker(county))
    done = services.entry_register(by=None, competition=t1_done, person=worker(county))
    services.entry_approve(by=county.t1staff, entry=done)
    return county_wide, t1, t1_done


def test_the_organiser_and_those_above_see_what_waits_for_them(county, competitions):
    assert waiting(county.admin) == 2  # the county's own and T1's
    assert waiting(county.superuser) == 2
    assert waiting(county.t1staff) == 1  # T1's only: the county's is not T1's to decide
    assert waiting(county.t2staff) == 0


def test_who_does_not_decide_registrations_gets_no_item(county, competitions):
    assert waiting(county.chair1) is None  # a chair registers members, does not approve
    assert waiting(county.leader) is None


def test_the_item_clears_when_the_registrations_are_decided(county, competitions):
    _, t1, _ = competitions
    entry = t1.entries.get()
    services.entry_refuse(by=county.t1staff, entry=entry, reason="不符合条件")
    assert waiting(county.t1staff) == 0
    assert waiting(county.admin) == 1


def test_registrations_still_wait_once_registration_has_closed(county, competitions):
    county_wide, _, _ = competitions
    services.competition_advance(by=county.admin, competition=county_wide)  # closed
    assert waiting(county.admin) == 2  # decided before scoring starts, so still owed


def test_the_link_lists_the_competitions_counted(county, competitions, client_for):
    item = next(i for i in todo_for(county.t1staff) if str(i.label) == LABEL)
    assert item.url == reverse("competitions:list") + "?awaiting=on"
    html = client_for(county.t1staff).get(item.url).content.decode()
    assert "东镇赛" in html and "东镇二赛" not in html and "县赛" not in html


def test_the_count_takes_the_same_queries_however_many_wait(county, competitions):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            competitions_todo(county.admin)
        return len(captured)

    county.admin.refresh_from_db()
    competitions_todo(county.admin)  # the permissions cached, as on a page
    before = queries()
    more = competition(county, name="县赛二")
    for _ in range(3):
        services.entry_register(by=None, competition=more, person=worker(county))
    assert waiting(county.admin) == 3
    assert queries() == before <= 2
