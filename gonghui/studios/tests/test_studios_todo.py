"""The to-do item of mentoring (``core.todo``): pairs whose agreement has ended without
the evaluation that closes them, for the union the pair is placed at and those above
it; counted in a fixed number of queries, the link listing the same pairs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.core.todo import todo_for
from gonghui.studios import services
from gonghui.studios.todo import studios_todo

from .test_studios import pair_for, worker

pytestmark = pytest.mark.django_db

LABEL = "Mentoring pairs ended without an evaluation"


def due(user) -> int | None:
    items = [item for item in studios_todo(user) if str(item.label) == LABEL]
    assert len(items) <= 1
    return items[0].count if items else None


def ended_pair(county, employer, *, days_ago=1, name="徒弟"):
    """A pair at ``employer``'s union whose agreement ended ``days_ago`` days ago."""
    today = timezone.localdate()
    return pair_for(
        county,
        mentor=worker(county, "师傅", employer=employer),
        apprentice=worker(county, name, employer=employer),
        starts_on=today - timedelta(days=365),
        ends_on=today - timedelta(days=days_ago),
    )


@pytest.fixture
def pairs(county):
    """At G1 (E1): one ended yesterday, one ending today, one ended and evaluated;
    at G2 (E2): one ended a month ago."""
    g1_due = ended_pair(county, county.e1, name="徒弟甲")
    ended_pair(county, county.e1, days_ago=0, name="徒弟乙")
    evaluated = ended_pair(county, county.e1, name="徒弟丙")
    services.mentoring_pair_evaluate(
        by=county.admin, pair=evaluated, status="completed", result="取得高级工证书"
    )
    g2_due = ended_pair(county, county.e2, days_ago=30, name="徒弟丁")
    return g1_due, g2_due


def test_each_union_and_those_above_count_their_pairs_awaiting_evaluation(county, pairs):
    assert due(county.chair1) == 1
    assert due(county.chair2) == 1
    assert due(county.t1staff) == 2
    assert due(county.admin) == 2
    assert due(county.t2staff) == 0


def test_a_reader_gets_no_item(county, pairs):
    assert due(county.leader) is None


def test_the_item_clears_once_the_pair_is_evaluated(county, pairs):
    g1_due, _ = pairs
    services.mentoring_pair_evaluate(
        by=county.chair1, pair=g1_due, status="completed", result="达到目标"
    )
    assert due(county.chair1) == 0
    assert due(county.admin) == 1


def test_the_link_lists_the_pairs_counted(county, pairs, client_for):
    item = next(i for i in todo_for(county.chair1) if str(i.label) == LABEL)
    assert item.url == reverse("studios:pair-list") + "?evaluation_due=on"
    html = client_for(county.chair1).get(item.url).content.decode()
    assert "徒弟甲" in html
    assert "徒弟乙" not in html and "徒弟丙" not in html and "徒弟丁" not in html


def test_the_count_takes_the_same_queries_however_many_are_due(county, pairs):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            studios_todo(county.admin)
        return len(captured)

    county.admin.refresh_from_db()
    studios_todo(county.admin)  # the permissions cached, as on a page
    before = queries()
    for n in range(3):
        ended_pair(county, county.e2, name=f"新徒{n}")
    assert due(county.admin) == 5
    assert queries() == before <= 2
