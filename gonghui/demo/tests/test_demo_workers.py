"""The demo county's workers: valid identities, members only where a union covers them."""

import re
from collections import Counter

import pytest
from django.utils import timezone

from gonghui.core.idnumbers import parse_id_number
from gonghui.demo.tests.helpers import SMALL_SCALE, build
from gonghui.orgs.models import Employer
from gonghui.people.models import JoinApplication, Membership, Person
from gonghui.people.services import join_route
from gonghui.people.vocabularies import JoinStatus, MembershipStatus

PHONE = re.compile(r"^1[3-9]\d{9}$")


@pytest.fixture
def demo(db):
    build(7)


def test_the_scale_is_the_number_of_workers_spread_as_employers_employ_them(demo):
    assert Person.objects.count() == SMALL_SCALE
    per_employer = Counter(Person.objects.values_list("employer_id", flat=True))
    for employer in Employer.objects.all():
        assert per_employer[employer.pk] == employer.employee_count, employer.name


def test_every_id_number_is_valid_and_matches_its_derived_columns(demo):
    today = timezone.localdate()
    for person in Person.objects.all():
        resident = parse_id_number(person.plain_id_number(), today=today)
        # The demo draws real division codes: registering a worker warns of nothing.
        assert resident.warnings == (), resident.warnings
        assert (resident.birth_date, resident.gender, resident.region_code) == (
            person.birth_date,
            person.gender,
            person.region_code,
        )
        assert 1965 <= person.birth_date.year <= 2005
        phone = person.plain_phone()
        assert phone == "" or PHONE.match(phone), phone
        assert len(person.name) in (2, 3, 4), person.name
    regions = Counter(Person.objects.values_list("region_code", flat=True))
    # Mostly born in the county, some elsewhere.
    assert len(regions) > 3
    assert regions.most_common(1)[0][1] > SMALL_SCALE / 2


def test_most_workers_are_han_and_educations_are_mixed(demo):
    ethnicities = Counter(Person.objects.values_list("ethnicity", flat=True))
    educations = Counter(Person.objects.values_list("education", flat=True))
    assert 0.85 < ethnicities["01"] / SMALL_SCALE < 0.97
    assert len(ethnicities) > 3
    assert len(educations) >= 5


def test_members_work_only_where_a_union_covers_their_employer(demo):
    members = Person.objects.members().select_related("employer", "employer__union")
    assert members.exists()
    for person in members:
        assert person.employer.union is not None, person.employer.name
        # The union that would have decided their application (people.services.join_route).
        union, _route = join_route(employer=person.employer, new_form_group=person.new_form_group)
        assert person.current_union_id == union.pk
        assert person.card_number
    covered = Person.objects.filter(employer__union__isnull=False)
    assert members.count() / covered.count() > 0.6
    assert not Person.objects.filter(employer__union__isnull=True).members().exists()


def test_every_member_has_one_active_membership_at_their_union(demo):
    active = dict(
        Membership.objects.filter(status=MembershipStatus.ACTIVE).values_list(
            "person_id", "union_id"
        )
    )
    assert active == dict(Person.objects.members().values_list("pk", "current_union_id"))
    cards = [c for c in Person.objects.values_list("card_number", flat=True) if c]
    assert len(cards) == len(set(cards))


def test_some_joined_this_year_some_transferred_and_some_left(demo):
    year = timezone.localdate().year
    assert Membership.objects.filter(joined_on__year=year, transferred_from=None).exists()
    transferred = Membership.objects.filter(status=MembershipStatus.TRANSFERRED)
    assert transferred.exists()
    for old in transferred.select_related("transferred_to"):
        assert old.transferred_to.joined_on == old.ended_on
        assert old.transferred_to.union_id != old.union_id
    left = Membership.objects.filter(status=MembershipStatus.LEFT)
    assert left.exists()
    assert not left.filter(leave_reason="").exists()
    assert not left.filter(person__current_union__isnull=False).exists()
    assert not Membership.objects.filter(joined_on__gt=timezone.localdate()).exists()


def test_eight_group_workers_join_through_joint_unions(demo):
    group_members = Person.objects.members().exclude(new_form_group="")
    assert group_members.exists()
    assert set(group_members.values_list("current_union__kind", flat=True)) == {"joint"}


def test_pending_applications_go_where_join_route_sends_them(demo):
    applications = JoinApplication.objects.select_related("person", "employer")
    assert applications.exists()
    for application in applications:
        assert application.status == JoinStatus.PENDING
        assert application.person.current_union_id is None
        union, route = join_route(
            employer=application.employer, new_form_group=application.new_form_group
        )
        assert (application.union_id, application.route) == (union.pk, route)
