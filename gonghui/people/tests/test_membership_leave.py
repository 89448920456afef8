"""Leaving the union (退会): the membership ends with a reason; the file stays."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.people import services
from gonghui.people.models import Membership, Person
from gonghui.people.vocabularies import MembershipStatus


def leave_url(person):
    return reverse("people:membership-leave", args=[person.pk])


def test_leaving_ends_the_membership_with_the_reason(people, client_for, county):
    response = client_for(county.chair1).post(
        leave_url(people.p1), {"on": "2024-06-30", "reason": "退休"}
    )

    assert response.status_code == 302
    membership = Membership.objects.get(person=people.p1)
    assert membership.status == MembershipStatus.LEFT
    assert membership.ended_on == date(2024, 6, 30)
    assert membership.leave_reason == "退休"
    people.p1.refresh_from_db()
    assert people.p1.current_union is None
    assert not people.p1.is_member


def test_leaving_without_a_reason_is_refused(people, client_for, county):
    response = client_for(county.chair1).post(leave_url(people.p1), {"on": "2024-06-30"})

    assert response.status_code == 200
    assert Membership.objects.get(person=people.p1).status == MembershipStatus.ACTIVE
    with pytest.raises(ValidationError):
        services.membership_leave(by=county.chair1, person=people.p1, reason="   ")


def test_the_database_refuses_a_left_membership_without_a_reason(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.filter(person=people.p1).update(
            status=MembershipStatus.LEFT, ended_on=date(2024, 1, 1)
        )


def test_a_former_member_stays_on_file_and_keeps_the_card_on_rejoining(people, county):
    card = people.p1.card_number
    services.membership_leave(by=county.chair1, person=people.p1, reason="离职")

    assert Person.objects.for_user(county.t1staff).filter(pk=people.p1.pk).exists()
    services.membership_start(by=county.chair1, person=people.p1, union=county.g1)

    people.p1.refresh_from_db()
    assert people.p1.card_number == card
    assert Membership.objects.filter(person=people.p1).count() == 2


def test_a_future_date_of_leaving_is_refused(people, county):
    with pytest.raises(ValidationError):
        services.membership_leave(
            by=county.chair1, person=people.p1, reason="离职", on=date(2999, 1, 1)
        )
