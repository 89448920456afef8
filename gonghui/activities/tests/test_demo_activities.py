"""The demo county's activities: past ones held with attendance, upcoming ones open
(some full with a waiting list), and the rules the services keep held by the bulk
build (places never exceeded, every worker in the activity's audience)."""

import pytest
from django.db.models import Count, Q

from gonghui.accounts.models import User
from gonghui.activities import selectors, services
from gonghui.activities.models import Activity, ActivityStatus, SignUp, SignUpStatus
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_past_activities_with_attendance_and_full_ones_with_a_waiting_list(demo):
    held = Activity.objects.filter(status=ActivityStatus.HELD)
    assert SignUp.objects.filter(activity__in=held, status=SignUpStatus.ATTENDED).exists()
    full = Activity.objects.filter(
        status=ActivityStatus.OPEN, signups__status=SignUpStatus.WAITING
    ).distinct()
    assert full.exists()
    for activity in Activity.objects.annotate(
        holding=Count("signups", filter=Q(signups__status__in=["signed_up", "attended"]))
    ):
        assert activity.holding == activity.signed_up_count <= activity.capacity
    for signup in SignUp.objects.select_related("activity__organiser", "person__employer")[:300]:
        assert services.eligibility_problem(signup.activity, signup.person) is None
    everyone = User(is_superuser=True, is_active=True)
    assert any(row.attended for row in selectors.attendance_counts(everyone))
