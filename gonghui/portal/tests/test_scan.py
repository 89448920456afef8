"""The console's card check (worker portal, item 4): staff type or scan a card's code and
read valid, expired, not a member, outside your organisation, or not a card; each
check is a security event; the holder is named only inside the checker's scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gonghui.people.services import membership_leave
from gonghui.portal import membership
from gonghui.security.models import EventKind, EventResult, SecurityEvent

from .test_card import bound_client, worker

SCAN = reverse("scan:check")


@pytest.fixture
def member(county):
    return worker(county, 11, union=county.g1, name="孙验")


def check(client, token):
    response = client.post(SCAN, {"token": token})
    assert response.status_code == 200
    return response.content.decode()


def test_a_chair_checks_a_typed_code_of_their_member_and_reads_valid(
    member, county, client_for, portal_sign_in
):
    card = bound_client(portal_sign_in, member).get(reverse("membership:card"))
    typed = card.content.decode().split("data-card-token>")[1].split("<")[0]
    chair = client_for(county.chair1)

    page = check(chair, typed)  # as printed: in groups, with spaces

    assert 'data-result="valid"' in page
    assert "孙验" in page and county.g1.name in page and member.card_number in page
    event = SecurityEvent.objects.get(kind=EventKind.REVEAL)
    assert event.account == county.chair1 and event.result == EventResult.OK
    assert event.detail == {"card_check": "valid"}
    assert (event.object_type, event.object_id) == ("people.person", str(member.pk))


def test_a_card_outside_the_checkers_organisation_names_no_one(member, county, client_for):
    token = membership.card_token(member)

    page = check(client_for(county.chair2), token)  # G2's chair, G1's sibling

    assert 'data-result="outside"' in page and "Outside your organisation" in page
    assert "孙验" not in page and member.card_number not in page
    assert county.g1.name not in page
    event = SecurityEvent.objects.get(kind=EventKind.REVEAL)
    assert event.result == EventResult.REFUSED and event.detail == {"card_check": "outside"}
    assert "孙验" not in event.object_repr


def test_another_workers_card_shown_by_a_worker_is_checked_as_that_workers(
    member, county, client_for, portal_sign_in
):
    """A worker holding another's screenshot gains nothing: the code names its holder,
    and to staff outside the holder's scope it names no one."""
    other = worker(county, 12, union=county.g2, employer=county.e2, name="李他")
    token = membership.card_token(other)

    outside = check(client_for(county.chair1), token)
    inside = check(client_for(county.chair2), token)

    assert "Outside your organisation" in outside and "李他" not in outside
    assert "李他" in inside and "孙验" not in inside


def test_an_expired_code_asks_for_a_refreshed_card(member, county, client_for):
    chair = client_for(county.chair1)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        token = membership.card_token(member)
        clock.shift(timedelta(minutes=11))
        page = check(chair, token)

    assert 'data-result="expired"' in page and "refresh the card" in page
    assert "孙验" not in page


def test_a_card_whose_holder_left_says_not_a_member(member, county, client_for):
    token = membership.card_token(member)
    membership_leave(by=county.superuser, person=member, reason="调离")

    page = check(client_for(county.t1staff), token)

    assert 'data-result="not_member"' in page and "membership has ended" in page


def test_a_forged_code_is_not_a_card(member, county, client_for):
    token = membership.card_token(member)
    forged = token.replace(f"{member.pk}.", f"{member.pk + 1}.", 1)

    page = check(client_for(county.admin), forged)

    assert 'data-result="not_a_card"' in page and "孙验" not in page
    assert SecurityEvent.objects.get(kind=EventKind.REVEAL).detail == {"card_check": "not_a_card"}


def test_an_empty_code_is_asked_for_and_not_checked(county, client_for):
    page = check(client_for(county.chair1), "  ")

    assert "data-result" not in page and 'class="field-error"' in page
    assert not SecurityEvent.objects.filter(kind=EventKind.REVEAL).exists()


@pytest.mark.parametrize("persona", ["admin", "t1staff", "chair1", "leader"])
def test_those_who_read_members_files_open_the_check(county, client_for, persona):
    page = client_for(getattr(county, persona)).get(SCAN)

    assert page.status_code == 200
    body = page.content.decode()
    assert 'name="token"' in body and "<span data-scan-offer hidden>" in body
    assert "<script>" not in body and "style=" not in body


@pytest.mark.parametrize("persona", ["sysadmin", "secadmin", "auditor", "outsider"])
def test_other_roles_are_refused_the_check(county, client_for, persona):
    client = client_for(getattr(county, persona))

    assert client.get(SCAN).status_code == 403
    assert client.post(SCAN, {"token": "x"}).status_code == 403


def test_a_worker_signed_into_the_portal_is_a_visitor_to_the_check(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    response = client.get(SCAN)

    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_check_sent_by_the_pages_htmx_answers_with_the_result_alone(member, county, client_for):
    """The camera keeps running at the desk: the answer replaces the last one in place."""
    chair = client_for(county.chair1)

    response = chair.post(SCAN, {"token": membership.card_token(member)}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-result="valid"' in body and "孙验" in body
    assert "<html" not in body and 'name="token"' not in body
    assert SecurityEvent.objects.filter(kind=EventKind.REVEAL).count() == 1


def test_an_empty_code_sent_by_htmx_is_asked_for_in_the_answers_place(county, client_for):
    response = client_for(county.chair1).post(SCAN, {"token": " "}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert 'class="field-error"' in body and "data-result" not in body and "<html" not in body
    assert not SecurityEvent.objects.filter(kind=EventKind.REVEAL).exists()


def test_the_desk_page_sends_its_checks_by_htmx_into_the_answers_place(county, client_for):
    body = client_for(county.chair1).get(SCAN).content.decode()

    assert f'hx-post="{SCAN}" hx-target="[data-scan-result]"' in body
    assert '<div data-scan-result role="status">' in body
