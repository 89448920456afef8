"""The demo county's workers' congresses (``demo/care_congress.py``)."""

import pytest
from django.db.models import F

from gonghui.congress import selectors
from gonghui.congress.models import (
    Attendance,
    CongressSession,
    Delegate,
    Disclosure,
    Proposal,
    ProposalStatus,
    Resolution,
)
from gonghui.demo.models import DemoCounty
from gonghui.demo.services import demo_county_wipe
from gonghui.demo.tests.helpers import build


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_holds_congresses_some_overdue(demo, django_user_model):
    admin = django_user_model.objects.get(username="admin")
    rows = selectors.overview(admin).filter(pk__in=CongressSession.objects.values("employer"))
    overdue = rows.filter(overdue=True).count()
    assert rows.count() >= 5 and 0 < overdue < rows.count()


def test_delegates_are_the_employers_own_workers(demo):
    linked = Delegate.objects.filter(person__isnull=False)
    assert linked.exists()
    assert not linked.exclude(person__employer=F("employer")).exists()


def test_the_demo_has_resolutions_passed_and_failed_and_replied_proposals(demo):
    assert Resolution.objects.filter(passed=True).exists()
    assert Resolution.objects.filter(passed=False).exists()
    replied = Proposal.objects.filter(status=ProposalStatus.REPLIED)
    assert replied.exists() and not replied.filter(reply="").exists()
    assert Disclosure.objects.exists() and Attendance.objects.exists()


def test_wiping_the_demo_county_removes_its_congresses(demo):
    demo_county_wipe()
    assert not CongressSession.objects.exists() and not Delegate.objects.exists()
    assert not Disclosure.objects.exists()
