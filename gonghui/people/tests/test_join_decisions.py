"""Deciding join applications: approval makes a member with a card, rejection needs a reason."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.people import services
from gonghui.people.models import JoinApplication, Membership
from gonghui.people.vocabularies import JoinChannel, JoinStatus, MembershipStatus

from .conftest import valid_id


def approve_url(application):
    return reverse("people:application-approve", args=[application.pk])


def reject_url(application):
    return reverse("people:application-reject", args=[application.pk])


def test_approval_makes_a_member_with_a_new_card_in_one_step(people, client_for, county):
    response = client_for(county.chair1).post(approve_url(people.a4), {"joined_on": "2025-04-01"})

    assert response.status_code == 302
    assert response["Location"] == people.a4.get_absolute_url()
    people.a4.refresh_from_db()
    assert people.a4.status == JoinStatus.APPROVED
    assert people.a4.decided_by == county.chair1
    assert people.a4.decided_at is not None
    membership = people.a4.membership
    assert (membership.person, membership.union, membership.joined_on, membership.status) == (
        people.p4,
        county.g1,
        date(2025, 4, 1),
        MembershipStatus.ACTIVE,
    )
    people.p4.refresh_from_db()
    assert people.p4.current_union == county.g1
    # County code + year of joining + a 7-digit sequence.
    assert re.fullmatch(r"C2025\d{7}", people.p4.card_number)


def test_card_numbers_are_unique_and_never_issued_twice(people, county):
    cards = {people.p1.card_number, people.p2.card_number}
    services.membership_leave(by=county.admin, person=people.p1, reason="离职")
    for n in range(5):
        person = services.person_create(
            by=county.admin, name=f"新会员{n}", id_number=valid_id(400 + n), employer=county.e1
        )
        services.membership_start(
            by=county.admin, person=person, union=county.g1, joined_on=date(2020, 7, 1)
        )
        person.refresh_from_db()
        assert person.card_number not in cards
        cards.add(person.card_number)

    assert len(cards) == 7


def test_a_block_of_card_numbers_continues_the_sequence(county):
    first = services.card_numbers_allocate(union=county.g1, year=2026, count=3)
    second = services.card_numbers_allocate(union=county.g2, year=2026, count=2)

    assert first == ["C20260000001", "C20260000002", "C20260000003"]
    assert second == ["C20260000004", "C20260000005"]


def test_approval_by_default_dates_the_membership_today(people, county):
    with time_machine.travel(date(2026, 3, 2), tick=False):
        application = services.join_application_approve(by=county.chair1, application=people.a4)

    assert application.membership.joined_on == date(2026, 3, 2)


def test_an_approval_moves_the_file_to_the_employer_named_in_the_application(people, county):
    application = services.join_application_submit(
        by=county.admin, channel=JoinChannel.STAFF, person=people.p3, employer=county.e2
    )

    services.join_application_approve(by=county.chair2, application=application)

    people.p3.refresh_from_db()
    assert people.p3.employer == county.e2
    assert people.p3.current_union == county.g2
    assert people.p3.file_org == county.t1


def test_rejection_records_the_reason(people, client_for, county):
    response = client_for(county.chair1).post(reject_url(people.a4), {"reason": "非本单位职工"})

    assert response.status_code == 302
    people.a4.refresh_from_db()
    assert people.a4.status == JoinStatus.REJECTED
    assert people.a4.decision_reason == "非本单位职工"
    assert people.a4.decided_by == county.chair1
    assert not Membership.objects.filter(person=people.p4).exists()


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejection_without_a_reason_is_refused(people, client_for, county, reason):
    response = client_for(county.chair1).post(reject_url(people.a4), {"reason": reason})

    assert response.status_code == 200
    people.a4.refresh_from_db()
    assert people.a4.status == JoinStatus.PENDING
    with pytest.raises(ValidationError):
        services.join_application_reject(by=county.chair1, application=people.a4, reason=reason)


def test_the_database_refuses_a_rejection_without_a_reason(people):
    with pytest.raises(IntegrityError), transaction.atomic():
        JoinApplication.objects.filter(pk=people.a4.pk).update(
            status=JoinStatus.REJECTED, decided_at=timezone.now()
        )


def test_a_decided_application_cannot_be_decided_again(people, client_for, county):
    services.join_application_reject(by=county.chair1, application=people.a4, reason="重复")

    response = client_for(county.chair1).post(approve_url(people.a4), {"joined_on": "2025-04-01"})

    assert response.status_code == 200
    assert "already decided" in response.content.decode()
    assert not Membership.objects.filter(person=people.p4).exists()


def test_after_a_rejection_the_person_may_apply_again(people, county):
    services.join_application_reject(by=county.chair1, application=people.a4, reason="材料不全")

    again = services.join_application_submit(
        by=county.chair1, channel=JoinChannel.STAFF, person=people.p4, employer=county.e1
    )

    assert again.status == JoinStatus.PENDING


def test_another_unions_chair_cannot_decide(people, client_for, county):
    assert client_for(county.chair2).post(approve_url(people.a4)).status_code == 404
    with pytest.raises(PermissionDenied):
        services.join_application_approve(by=county.chair2, application=people.a4)
    people.a4.refresh_from_db()
    assert people.a4.status == JoinStatus.PENDING


def test_an_applicant_who_became_a_member_meanwhile_is_not_approved_twice(people, county):
    services.membership_start(by=county.admin, person=people.p4, union=county.g1)

    with pytest.raises(ValidationError):
        services.join_application_approve(by=county.chair1, application=people.a4)

    people.a4.refresh_from_db()
    assert people.a4.status == JoinStatus.PENDING
    assert Membership.objects.filter(person=people.p4).count() == 1
