"""Where a join application goes: the employer's union, else the township's joint union."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gonghui.people import services
from gonghui.people.models import JoinApplication, Person
from gonghui.people.vocabularies import JoinChannel, JoinRoute, JoinStatus, NewFormGroup

from .conftest import valid_id


def applicant(n: int, **extra) -> dict:
    return {"name": f"申请人{n}", "id_number": valid_id(300 + n), **extra}


def submit(employer, n, **kwargs):
    return services.join_application_submit(
        employer=employer, channel=JoinChannel.PORTAL, person_data=applicant(n), **kwargs
    )


def test_a_worker_of_a_covered_employer_applies_to_its_union(county):
    application = submit(county.e1, 1)

    assert application.union == county.g1
    assert application.route == JoinRoute.EMPLOYER_UNION
    assert application.status == JoinStatus.PENDING


def test_a_worker_of_an_employer_without_union_applies_to_the_joint_union(
    county, uncovered_t1_employer
):
    application = submit(uncovered_t1_employer, 2)

    assert application.union == county.j1
    assert application.route == JoinRoute.JOINT_NO_UNION


@pytest.mark.parametrize("group", [NewFormGroup.COURIER, NewFormGroup.FOOD_DELIVERY])
def test_a_worker_of_the_eight_groups_applies_to_the_joint_union_even_where_covered(county, group):
    application = submit(county.e1, 3, new_form_group=group)

    assert application.union == county.j1
    assert application.route == JoinRoute.JOINT_NEW_FORM
    assert application.person.new_form_group == group


def test_without_a_joint_union_in_the_township_the_application_is_refused_clearly(county):
    with pytest.raises(ValidationError) as caught:
        submit(county.e3, 4)  # E3 is in T2, which has no union and no joint union

    assert "西镇总工会 has no joint union" in caught.value.messages[0]
    assert not JoinApplication.objects.exists()
    assert not Person.objects.exists()


def test_the_portal_registers_a_new_worker_in_the_employers_township(county):
    application = submit(county.e1, 5)

    person = application.person
    assert person.file_org == county.t1
    assert person.employer == county.e1
    assert application.submitted_by is None
    assert application.channel == JoinChannel.PORTAL


def test_an_application_for_a_registered_number_is_for_that_person_and_leaves_the_file(
    people, county
):
    application = services.join_application_submit(
        employer=county.e1,
        channel=JoinChannel.PORTAL,
        person_data={"name": "改名", "id_number": people.p3.plain_id_number()},
    )

    assert application.person == people.p3
    people.p3.refresh_from_db()
    assert people.p3.name == "王三"
    assert Person.objects.count() == 4


def test_a_member_cannot_apply_again(people, county):
    with pytest.raises(ValidationError) as caught:
        services.join_application_submit(
            employer=county.e1, channel=JoinChannel.STAFF, person=people.p1, by=county.chair1
        )

    assert "already a member" in caught.value.messages[0]


def test_a_second_pending_application_for_one_person_is_refused(people, county):
    with pytest.raises(ValidationError) as caught:
        services.join_application_submit(
            employer=county.e1, channel=JoinChannel.STAFF, person=people.p4, by=county.t1staff
        )

    assert "waiting for a decision" in caught.value.messages[0]
    assert JoinApplication.objects.filter(person=people.p4).count() == 1


def test_the_database_refuses_two_pending_applications_for_one_person(people, county):
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinApplication.objects.create(
            person=people.p4,
            employer=county.e1,
            union=county.g1,
            route=JoinRoute.EMPLOYER_UNION,
            channel=JoinChannel.STAFF,
        )


def test_staff_may_only_apply_for_employers_in_their_scope(people, county):
    with pytest.raises(PermissionDenied):
        services.join_application_submit(
            employer=county.e2, channel=JoinChannel.STAFF, person=people.p4, by=county.chair1
        )


def test_staff_may_only_apply_for_people_in_their_scope(people, county):
    with pytest.raises(PermissionDenied):
        services.join_application_submit(
            employer=county.e1, channel=JoinChannel.STAFF, person=people.p3, by=county.chair1
        )
    assert not JoinApplication.objects.filter(person=people.p3).exists()
