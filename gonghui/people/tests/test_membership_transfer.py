"""Transfer (转会): one step ends the current membership and starts the new one; history stays."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.orgs.services import organisation_create
from gonghui.people import services
from gonghui.people.models import Membership, Person
from gonghui.people.vocabularies import MembershipStatus


def transfer_url(person):
    return reverse("people:membership-transfer", args=[person.pk])


def test_a_transfer_ends_the_old_membership_and_starts_the_new_one(people, client_for, county):
    card = people.p1.card_number

    response = client_for(county.t1staff).post(
        transfer_url(people.p1), {"to_union": county.g2.pk, "on": "2024-03-01", "note": "调动"}
    )

    assert response.status_code == 302
    assert response["Location"] == people.p1.get_absolute_url()
    old, new = Membership.objects.filter(person=people.p1).order_by("pk")
    assert (old.union, old.status, old.ended_on) == (
        county.g1,
        MembershipStatus.TRANSFERRED,
        date(2024, 3, 1),
    )
    assert (new.union, new.status, new.joined_on, new.ended_on) == (
        county.g2,
        MembershipStatus.ACTIVE,
        date(2024, 3, 1),
        None,
    )
    assert new.transferred_from == old
    assert new.note == "调动"
    people.p1.refresh_from_db()
    assert people.p1.current_union == county.g2
    # The card is the person's: a transfer keeps it.
    assert people.p1.card_number == card


def test_the_file_shows_the_whole_membership_history(people, client_for, county):
    services.membership_transfer(
        by=county.t1staff, person=people.p1, to_union=county.j1, on=date(2023, 1, 1)
    )
    services.membership_transfer(
        by=county.t1staff, person=people.p1, to_union=county.g2, on=date(2024, 1, 1)
    )

    response = client_for(county.t1staff).get(people.p1.get_absolute_url())

    history = list(response.context["memberships"])
    assert [(m.union, m.status) for m in history] == [
        (county.g2, MembershipStatus.ACTIVE),
        (county.j1, MembershipStatus.TRANSFERRED),
        (county.g1, MembershipStatus.TRANSFERRED),
    ]
    html = response.content.decode()
    for union in (county.g1, county.j1, county.g2):
        assert union.name in html


def test_the_receiving_chair_sees_the_transferred_member(people, client_for, county):
    assert not Person.objects.for_user(county.chair2).filter(pk=people.p1.pk).exists()

    response = client_for(county.chair1).post(
        transfer_url(people.p1), {"to_union": county.g2.pk, "on": "2024-03-01"}
    )

    # chair1 still sees p1 through E1, the employer, until the file says otherwise.
    assert response["Location"] == people.p1.get_absolute_url()
    assert Person.objects.for_user(county.chair2).filter(pk=people.p1.pk).exists()


def test_a_transfer_out_of_the_users_subtree_goes_back_to_the_list(people, client_for, county):
    t2_union = organisation_create(
        by=county.superuser, code="G3", name="西镇工会", kind="grassroots", parent=county.t2
    )
    services.person_update(by=county.admin, person=people.p2, employer=None)

    response = client_for(county.chair2).post(
        transfer_url(people.p2), {"to_union": t2_union.pk, "on": "2024-03-01"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("people:person-list")
    assert not Person.objects.for_user(county.chair2).filter(pk=people.p2.pk).exists()


def test_a_federation_is_not_a_union_to_transfer_to(people, county):
    with pytest.raises(ValidationError):
        services.membership_transfer(by=county.admin, person=people.p1, to_union=county.t1)

    assert Membership.objects.get(person=people.p1).status == MembershipStatus.ACTIVE


def test_a_transfer_to_the_same_union_is_refused(people, county):
    with pytest.raises(ValidationError):
        services.membership_transfer(by=county.admin, person=people.p1, to_union=county.g1)


def test_a_transfer_dated_before_the_membership_began_is_refused(people, client_for, county):
    response = client_for(county.chair1).post(
        transfer_url(people.p1), {"to_union": county.g2.pk, "on": "2019-01-01"}
    )

    assert response.status_code == 200
    assert "before the membership began" in response.content.decode()
    assert Membership.objects.get(person=people.p1).status == MembershipStatus.ACTIVE


def test_a_chair_cannot_transfer_another_unions_member(people, county):
    with pytest.raises(PermissionDenied):
        services.membership_transfer(by=county.chair2, person=people.p1, to_union=county.g2)

    assert Membership.objects.get(person=people.p1).union == county.g1


def test_a_person_can_never_hold_two_active_memberships(people, county):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=people.p1, union=county.g2, joined_on=date(2024, 1, 1))


def test_starting_a_second_membership_is_refused_by_the_service(people, county):
    with pytest.raises(ValidationError):
        services.membership_start(by=county.admin, person=people.p1, union=county.g2)


def test_a_non_member_has_nothing_to_transfer(people, county):
    with pytest.raises(ValidationError):
        services.membership_transfer(by=county.admin, person=people.p3, to_union=county.g1)
