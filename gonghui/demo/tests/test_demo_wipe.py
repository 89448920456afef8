"""Wiping the demo county takes its people with it, and nothing of anybody else's."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.utils import timezone

from gonghui.accounts.models import Role, User
from gonghui.aid import services as aid_services
from gonghui.aid.models import AidApplication, Campaign, Fund, Programme
from gonghui.aid.tests.needy_files import needy_file
from gonghui.conftest import make_user
from gonghui.core.idnumbers import complete_id_number
from gonghui.demo.services import demo_county_wipe
from gonghui.demo.tests.helpers import SMALL_SCALE, build
from gonghui.needy.models import NeedyFile
from gonghui.orgs.models import Organisation
from gonghui.orgs.services import organisation_create
from gonghui.people import services
from gonghui.people.models import JoinApplication, Membership, Person


@pytest.fixture
def other_county(db):
    build(7)
    su = User.objects.create_superuser("root", "root@example.org", "Root-Pass-2026!")
    root = organisation_create(by=su, code="X", name="另一县总工会", kind="county", parent=None)
    union = organisation_create(by=su, code="XJ", name="另一县联合工会", kind="joint", parent=root)
    staff = make_user("x_staff", root, Role.STAFF)
    person = services.person_create(
        by=staff, name="外县职工", id_number=complete_id_number("11010119800101001")
    )
    services.membership_start(by=su, person=person, union=union)
    return person


def test_a_wipe_leaves_the_people_of_another_county_alone(other_county):
    assert Person.objects.count() == SMALL_SCALE + 1

    assert demo_county_wipe() == 1

    assert list(Person.objects.all()) == [other_county]
    assert list(Membership.objects.values_list("person_id", flat=True)) == [other_county.pk]
    assert not JoinApplication.objects.exists()
    assert set(Organisation.objects.values_list("code", flat=True)) == {"X", "XJ"}


def test_a_rebuild_beside_another_county_is_refused_before_anything_is_wiped(other_county):
    with pytest.raises(CommandError, match="not demo data"):
        build(7, "--force")

    assert Person.objects.count() == SMALL_SCALE + 1
    assert Organisation.objects.filter(code="T01").exists()


def test_a_wipe_leaves_another_countys_care_records_alone(other_county):
    su = User.objects.get(username="root")
    root, union = Organisation.objects.get(code="X"), Organisation.objects.get(code="XJ")
    relief = Programme.objects.get(name="帮扶救助")  # the demo's programme, used here too
    year = timezone.localdate().year
    campaign = aid_services.campaign_create(
        by=su,
        programme=relief,
        year=year,
        organisation=root,
        starts_on=date(year, 1, 1),
        ends_on=date(year, 12, 31),
    )
    application = AidApplication.objects.create(
        campaign=campaign,
        programme=relief,
        year=year,
        person=other_county,
        organisation=union,
        amount_requested=Decimal("100.00"),
        amount=Decimal("100.00"),
        entered_by=su,
    )
    file = needy_file(other_county, union)

    demo_county_wipe()

    assert list(AidApplication.objects.all()) == [application]
    assert list(Campaign.objects.all()) == [campaign]
    assert list(NeedyFile.objects.all()) == [file]
    # The demo's other programmes went with it; the one in use stays.
    assert list(Programme.objects.all()) == [relief]
    assert not Fund.objects.exists()
