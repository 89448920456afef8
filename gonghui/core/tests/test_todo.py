"""The home page's to-do list (core.todo): each item's count is the number of rows
its link shows, for the reader and not their neighbour; nothing waiting is said once;
the page's queries do not grow with the rows."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from gonghui.aid.tests.conftest import aid, relief_application  # noqa: F401  (fixture)
from gonghui.conftest import make_user
from gonghui.core import todo
from gonghui.counselling.tests.conftest import care  # noqa: F401  (fixture)
from gonghui.jobs.models import Job
from gonghui.needy import services as needy_services
from gonghui.needy.tests.conftest import open_file, to_notice
from gonghui.people import services as people_services
from gonghui.people.tests.conftest import valid_id

HOME = reverse("core:home")


def items_for(user) -> dict[str, todo.TodoItem]:
    return {str(item.label): item for item in todo.todo_for(user)}


def rows_behind(client, url: str) -> int:
    """How many rows the list at ``url`` shows (all its pages)."""
    response = client.get(url)
    assert response.status_code == 200
    return response.context["paginator"].count


def join_application(county, seq: int, employer):
    person = people_services.person_create(
        by=county.superuser, name=f"申请人{seq}", id_number=valid_id(600 + seq), employer=employer
    )
    return people_services.join_application_submit(
        employer=employer, channel="staff", person=person, by=county.superuser
    )


def assert_item_matches_its_list(client_for, user, label: str, expected: int) -> None:
    item = items_for(user).get(label)
    assert item is not None, f"{user} has no item {label!r}"
    assert item.count == expected, (user, label)
    assert rows_behind(client_for(user), item.url) == expected, (user, label)


# --- providers -------------------------------------------------------------------------


JOIN = "Join applications to decide"


def test_join_applications_are_counted_for_the_union_and_above_not_the_sibling(county, client_for):
    join_application(county, 1, county.e1)
    join_application(county, 2, county.e1)
    join_application(county, 3, county.e2)

    for user, expected in (
        (county.chair1, 2),
        (county.chair2, 1),
        (county.t1staff, 3),
        (county.t2staff, 0),
        (county.admin, 3),
    ):
        assert_item_matches_its_list(client_for, user, JOIN, expected)
    # Reading without deciding: no item.
    assert JOIN not in items_for(county.leader)


AID = "Aid applications awaiting your decision"


def test_aid_counts_the_awaiting_my_decision_queue(county, aid, client_for):  # noqa: F811
    # Entered by a second G1 account: waiting at G1 for chair1's decision.
    relief_application(county, aid, by=aid.g1clerk)
    relief_application(county, aid, person=aid.p2, by=county.chair2, account="6222020200002222")

    for user in (county.chair1, county.chair2, county.t1staff, county.admin):
        item = items_for(user)[AID]
        assert item.url == "/aid/?show=awaiting"
        assert item.count == rows_behind(client_for(user), item.url), user
    assert items_for(county.chair1)[AID].count == 1
    # chair2, G2's only account, entered the other: G2 passed it up to the township
    # (aid.duties). Nothing waits at the county yet, nor at the sibling for chair1's work.
    assert items_for(county.chair2)[AID].count == 0
    assert items_for(county.t1staff)[AID].count == 1
    assert items_for(county.admin)[AID].count == 0
    assert AID not in items_for(county.leader)


OBJECTIONS = "Needy-worker files with an objection to settle"


def test_objections_to_settle_are_counted_where_the_file_is_established(
    county, settings, client_for
):
    settings.NEEDY_DEFAULT_THRESHOLD = "1000"
    worker = people_services.person_create(
        by=county.superuser, name="张困", id_number=valid_id(700), employer=county.e1
    )
    file = to_notice(open_file(county.t1staff, worker), county.t1staff)
    for text in ("收入不实", "另有住房"):  # two objections, one file
        needy_services.needy_objection_record(
            by=county.t1staff, file=file, received_on=timezone.localdate(), content=text
        )

    for user, expected in ((county.t1staff, 1), (county.admin, 1), (county.t2staff, 0)):
        assert_item_matches_its_list(client_for, user, OBJECTIONS, expected)
    # Chairs do not settle objections.
    assert OBJECTIONS not in items_for(county.chair1)


DONE = "Your background jobs finished in the last 7 days"
FAILED = "Your background jobs that failed in the last 7 days"


def test_only_the_readers_own_recent_jobs_are_counted(county, client_for):
    now = timezone.now()

    def job(user, status, days_ago):
        return Job.objects.create(
            kind="export",
            title=f"{status} {days_ago}",
            started_by=user,
            status=status,
            finished_at=now - timedelta(days=days_ago),
        )

    job(county.t1staff, "done", 1)
    job(county.t1staff, "done", 2)
    job(county.t1staff, "done", 30)  # long ago: waits for nobody
    job(county.t1staff, "failed", 0)
    job(county.t1staff, "running", 0)
    job(county.t2staff, "done", 1)  # the neighbour's

    assert_item_matches_its_list(client_for, county.t1staff, DONE, 2)
    assert_item_matches_its_list(client_for, county.t1staff, FAILED, 1)
    assert_item_matches_its_list(client_for, county.t2staff, DONE, 1)
    assert_item_matches_its_list(client_for, county.t2staff, FAILED, 0)


TODAY_BOOKINGS = "Counselling bookings for today"
TODAY_SESSIONS = "Your counselling sessions booked for today"


def test_counselling_bookings_for_today_in_scope_and_the_counsellors_sessions(
    county,
    care,  # noqa: F811
    client_for,
):
    # The care bookings are tomorrow at 09:00 (w1, T1) and 10:00 (w3, T2).
    with time_machine.travel(care.s1.starts_at - timedelta(hours=2)):
        for user, expected in (
            (county.chair1, 1),
            (county.chair2, 0),
            (county.t1staff, 1),
            (county.t2staff, 1),
            (county.admin, 2),
        ):
            assert_item_matches_its_list(client_for, user, TODAY_BOOKINGS, expected)
        for user, expected in ((care.counsellor, 2), (care.counsellor2, 0)):
            item = items_for(user)[TODAY_SESSIONS]
            assert item.count == expected
            page = client_for(user).get(item.url)
            assert len(page.context["slots"]) == expected
        assert TODAY_BOOKINGS not in items_for(care.counsellor)
    # Today (the day before) nothing is booked.
    assert items_for(county.admin)[TODAY_BOOKINGS].count == 0


# --- the home page ---------------------------------------------------------------------


def test_the_home_page_shows_what_waits_with_counts_and_links(county, client_for):
    join_application(county, 1, county.e1)
    join_application(county, 2, county.e1)

    html = client_for(county.chair1).get(HOME).content.decode()

    assert 'id="todo"' in html
    assert '<span class="todo-count">2</span> <span class="todo-label">' + JOIN in html
    assert 'href="/people/applications/?status=pending"' in html
    # Items with nothing waiting are left out, and "nothing waiting" is not said.
    assert AID not in html
    assert "Nothing is waiting for you." not in html


def test_a_reader_with_nothing_waiting_is_told_so_once(county, client_for):
    for user in (county.chair2, county.leader, county.outsider):
        html = client_for(user).get(HOME).content.decode()
        assert html.count("Nothing is waiting for you.") == 1
        assert "todo-count" not in html


def test_the_home_pages_queries_do_not_grow_with_the_rows(county, client_for):
    client = client_for(county.t1staff)
    client.get(HOME)  # sessions, permissions and the like settle on the first request

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(HOME).status_code == 200
        return len(captured)

    join_application(county, 1, county.e1)
    few = queries()
    for seq in range(2, 8):
        join_application(county, seq, county.e1 if seq % 2 else county.e2)
    Job.objects.create(
        kind="export",
        title="x",
        started_by=county.t1staff,
        status="done",
        finished_at=timezone.now(),
    )
    assert queries() == few
    assert '<span class="todo-count">7</span>' in client.get(HOME).content.decode()


def test_a_provider_registers_once_and_a_visitor_has_nothing(county):
    def provider(user):
        return [todo.TodoItem("x", 1, "/")]

    try:
        todo.register(provider)
        todo.register(provider)
        assert todo.PROVIDERS.count(provider) == 1
        assert str(todo.todo_for(county.chair1)[-1].label) == "x"
        from django.contrib.auth.models import AnonymousUser

        assert todo.todo_for(AnonymousUser()) == []
    finally:
        todo.PROVIDERS.remove(provider)


# --- navigation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "present", "absent"),
    [
        (
            "chair1",
            ["/counselling/", "/counselling/slots/", "/aid/", "/people/applications/"],
            ["/counselling/mine/"],
        ),
        ("t1staff", ["/counselling/", "/counselling/slots/"], ["/counselling/mine/"]),
        ("counsellor", ["/counselling/mine/"], ["/counselling/", "/people/"]),
        ("leader", ["/aid/"], ["/counselling/", "/counselling/slots/"]),
    ],
)
def test_each_roles_navigation(county, client_for, persona, present, absent):
    from gonghui.accounts.models import Role

    user = (
        make_user("counsellor", county.root, Role.COUNSELLOR)
        if persona == "counsellor"
        else getattr(county, persona)
    )
    html = client_for(user).get(HOME).content.decode()
    sidebar = html[html.index('<nav class="sidebar"') : html.index("</nav>")]
    for url in present:
        assert f'href="{url}"' in sidebar, (persona, url)
    for url in absent:
        assert f'href="{url}"' not in sidebar, (persona, url)
