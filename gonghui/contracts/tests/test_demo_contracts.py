"""The demo county's collective contracts: every status the pages show, a regional
contract per township, and the rules the services keep held by the bulk build."""

import datetime

import pytest
from django.utils import timezone

from gonghui.contracts.models import CollectiveContract, ContractReach, ContractStatus
from gonghui.contracts.services import add_years
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.orgs.models import Organisation


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_contracts_in_every_state_and_a_regional_one_per_township(demo):
    today = timezone.localdate()
    contracts = list(CollectiveContract.objects.all())
    statuses = {c.status_on(today) for c in contracts}
    assert statuses >= {
        ContractStatus.IN_FORCE,
        ContractStatus.EXPIRED,
        ContractStatus.SIGNED,
        ContractStatus.OBJECTED,
    }
    assert CollectiveContract.objects.expiring(today).exists()
    regional = CollectiveContract.objects.filter(reach=ContractReach.REGIONAL)
    townships = Organisation.objects.townships().filter(pk__in=regional.values("owner"))
    assert regional.count() == townships.count() >= 1
    for contract in contracts:
        assert contract.ends_on <= add_years(contract.starts_on, 3) - datetime.timedelta(days=1)
        assert contract.employers.exists()
