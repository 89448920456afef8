"""The demo county's rights cases: every status, one group case, some overdue, handled
by the county's legal-aid and mediator accounts, and wiped with the care data."""

import pytest

from gonghui.demo.models import DemoCounty
from gonghui.demo.services import demo_county_wipe
from gonghui.demo.tests.helpers import build
from gonghui.rights.models import Case, CaseStatus, CaseWorker


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_cases_in_every_status_with_a_group_case_and_overdue_ones(demo):
    statuses = set(Case.objects.values_list("status", flat=True))
    assert statuses == set(CaseStatus.values)
    assert Case.objects.filter(is_group=True).count() == 1
    assert Case.objects.first().is_group  # group cases head the list
    assert Case.objects.filter(overdue_since__isnull=False).exists()
    handlers = set(Case.objects.exclude(handler=None).values_list("handler__username", flat=True))
    assert handlers == {"legal_aid", "mediator"}
    assert not Case.objects.filter(status=CaseStatus.CLOSED, satisfaction=None).exists()
    for case in Case.objects.exclude(status__in=[CaseStatus.CLOSED, CaseStatus.DECLINED]):
        assert case.due_on is not None


def test_a_wipe_takes_the_cases_with_it(demo):
    assert demo_county_wipe() == 1
    assert not Case.objects.exists() and not CaseWorker.objects.exists()
