"""Many workers signing up for, and cancelling, one activity at the same moment on
PostgreSQL: the places are never exceeded, the waiting list is numbered without gaps
or repeats, and a freed place goes to exactly one waiting worker.

Threads on separate connections are released together by a barrier. SQLite
serialises every writer and ignores ``select_for_update``, so this runs in the
PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

import pytest

from gonghui.activities import services
from gonghui.activities.models import SignUp, SignUpStatus
from gonghui.core.tests.concurrency import run_together
from gonghui.inbox.models import Message
from gonghui.portal.tests.test_card import worker

from .test_activities import make_activity

pytestmark = pytest.mark.postgres

PLACES, WORKERS = 5, 20


@pytest.fixture
def crowd(on_postgres, county):
    return [worker(county, n, union=county.g1, name=f"报名{n}") for n in range(1, WORKERS + 1)]


def join_all(activity, people) -> list[SignUp]:
    results = run_together(
        [
            lambda person=person: services.signup_join(activity=activity, person=person)
            for person in people
        ]
    )
    assert all(isinstance(r, SignUp) for r in results), [
        r for r in results if not isinstance(r, SignUp)
    ]
    return results


def test_twenty_workers_at_once_for_five_places_fill_them_and_queue_the_rest_in_order(
    county, crowd
):
    activity = make_activity(county, capacity=PLACES)

    join_all(activity, crowd)

    activity.refresh_from_db()
    signups = SignUp.objects.filter(activity=activity)
    assert signups.filter(status=SignUpStatus.SIGNED_UP).count() == PLACES
    assert activity.signed_up_count == PLACES
    waiting = signups.filter(status=SignUpStatus.WAITING).order_by("waiting_position")
    assert [s.waiting_position for s in waiting] == list(range(1, WORKERS - PLACES + 1))
    assert [services.waiting_place(s) for s in waiting] == list(range(1, WORKERS - PLACES + 1))
    # Whoever got a place signed up before everyone waiting.
    last_placed = max(s.signed_up_at for s in signups.filter(status=SignUpStatus.SIGNED_UP))
    assert all(s.signed_up_at >= last_placed for s in waiting)


def test_concurrent_cancellations_of_every_place_move_the_first_five_up_once_each(county, crowd):
    activity = make_activity(county, capacity=PLACES)
    for person in crowd:
        services.signup_join(activity=activity, person=person)
    holders = list(SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP))
    queue = list(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by(
            "waiting_position"
        )
    )

    results = run_together(
        [lambda signup=signup: services.signup_cancel(signup=signup) for signup in holders]
    )

    assert all(isinstance(r, SignUp) for r in results), results
    activity.refresh_from_db()
    assert activity.signed_up_count == PLACES
    placed = set(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).values_list(
            "pk", flat=True
        )
    )
    assert placed == {s.pk for s in queue[:PLACES]}
    still_waiting = list(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by(
            "waiting_position"
        )
    )
    assert [s.pk for s in still_waiting] == [s.pk for s in queue[PLACES:]]
    assert [services.waiting_place(s) for s in still_waiting] == list(
        range(1, WORKERS - 2 * PLACES + 1)
    )
    # Each moved-up worker is told once; nobody else is.
    told = Message.objects.filter(key__startswith="activity-signup:")
    assert sorted(told.values_list("key", flat=True)) == sorted(
        f"activity-signup:{s.pk}:moved-up" for s in queue[:PLACES]
    )


def test_places_and_waiting_turns_cancelled_together_leave_the_queue_whole(county, crowd):
    """Holders and the first two waiting cancel at once: whatever the order, the places
    end with the first five of the queue left, and nobody holds a place twice."""
    activity = make_activity(county, capacity=PLACES)
    for person in crowd:
        services.signup_join(activity=activity, person=person)
    holders = list(SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP))
    queue = list(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by(
            "waiting_position"
        )
    )
    leaving = holders[:3] + queue[:2]

    results = run_together(
        [lambda signup=signup: services.signup_cancel(signup=signup) for signup in leaving]
    )

    assert all(isinstance(r, SignUp) for r in results), results
    activity.refresh_from_db()
    remaining_queue = queue[2:]
    placed = set(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.SIGNED_UP).values_list(
            "pk", flat=True
        )
    )
    assert activity.signed_up_count == len(placed) == PLACES
    assert placed == {s.pk for s in holders[3:]} | {s.pk for s in remaining_queue[:3]}
    assert SignUp.objects.filter(activity=activity, status=SignUpStatus.CANCELLED).count() == 5
    still_waiting = list(
        SignUp.objects.filter(activity=activity, status=SignUpStatus.WAITING).order_by(
            "waiting_position"
        )
    )
    assert [s.pk for s in still_waiting] == [s.pk for s in remaining_queue[3:]]
    assert [services.waiting_place(s) for s in still_waiting] == list(
        range(1, len(still_waiting) + 1)
    )
