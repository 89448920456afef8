"""Transfer and leaving from the portal (worker portal, item 4): a member asks, the
request waits for the union holding the membership; the form keeps what was typed
after an error, a double tap makes one request, another worker's request is a 404,
and the worker withdraws an open request."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gonghui.people.models import MembershipRequest, MembershipRequestKind, MembershipRequestStatus
from gonghui.people.services import (
    join_application_submit,
    membership_request_confirm,
    membership_request_submit,
)
from gonghui.people.vocabularies import JoinChannel, NewFormGroup

from .test_card import bound_client, worker

TRANSFER = reverse("membership:transfer")
LEAVE = reverse("membership:leave")
CARD = reverse("membership:card")


def request_url(request) -> str:
    return reverse("membership:request", args=[request.pk])


def key_of(page: str) -> str:
    return re.search(r'name="key" value="([^"]+)"', page).group(1)


def form_data(client, url, **fields) -> dict:
    return {"key": key_of(client.get(url).content.decode()), **fields}


@pytest.fixture
def member(county):
    """钱转 of E1, a member of G1."""
    return worker(county, 31, union=county.g1, name="钱转")


def test_the_card_links_to_transfer_and_leaving(member, portal_sign_in):
    page = bound_client(portal_sign_in, member).get(CARD).content.decode()

    assert f'href="{TRANSFER}"' in page and f'href="{LEAVE}"' in page


def test_a_member_asks_for_a_transfer_and_follows_it(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    response = client.post(
        TRANSFER,
        form_data(client, TRANSFER, employer=county.e2.name, new_form_group="", reason="换工作"),
    )

    request = MembershipRequest.objects.get()
    assert response.status_code == 302 and response["Location"] == request_url(request)
    assert (request.kind, request.person, request.employer) == (
        MembershipRequestKind.TRANSFER,
        member,
        county.e2,
    )
    page = client.get(request_url(request)).content.decode()
    assert county.g2.name in page  # the union it would go to
    assert "Withdraw my request" in page
    member.refresh_from_db()
    assert member.current_union == county.g1  # nothing happens before the union answers
    # The forms are not offered again while the request waits.
    assert "A request is waiting" in client.get(LEAVE).content.decode()


def test_a_courier_is_routed_to_the_joint_union(county, portal_sign_in):
    member = worker(county, 32, union=county.g2, employer=county.e2, name="孙快")
    client = bound_client(portal_sign_in, member)

    client.post(
        TRANSFER,
        form_data(client, TRANSFER, employer=county.e1.name, new_form_group=NewFormGroup.COURIER),
    )

    request = MembershipRequest.objects.get()
    assert county.j1.name in client.get(request_url(request)).content.decode()


def test_a_double_tap_makes_one_request(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    data = form_data(client, LEAVE, reason="退休")

    first = client.post(LEAVE, data)
    second = client.post(LEAVE, data)

    assert first["Location"] == second["Location"]
    assert MembershipRequest.objects.count() == 1


def test_bad_input_is_refused_and_what_was_typed_is_kept(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    response = client.post(
        TRANSFER,
        form_data(client, TRANSFER, employer="没有这家公司", reason="我写的说明"),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "No single employer has this name or code" in page
    assert 'value="没有这家公司"' in page and "我写的说明" in page
    assert not MembershipRequest.objects.exists()
    # The union the worker is in already: refused by the service, on the field.
    page = client.post(
        TRANSFER, form_data(client, TRANSFER, employer=county.e1.name)
    ).content.decode()
    assert "no transfer is needed" in page and f'value="{county.e1.name}"' in page
    # Leaving without a reason.
    page = client.post(LEAVE, form_data(client, LEAVE, reason="  ")).content.decode()
    assert "Say why you leave the union." in page
    assert not MembershipRequest.objects.exists()


def test_an_out_of_date_form_is_refused_and_kept(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)

    page = client.post(LEAVE, {"key": "forged", "reason": "退休"}).content.decode()

    assert "This form was out of date" in page and "退休" in page
    assert not MembershipRequest.objects.exists()


def test_another_workers_request_is_a_404(member, county, portal_sign_in):
    other = worker(county, 33, union=county.g1, name="李别")
    theirs = membership_request_submit(
        person=other, kind=MembershipRequestKind.LEAVE, reason="其他原因"
    )
    client = bound_client(portal_sign_in, member)

    assert client.get(request_url(theirs)).status_code == 404
    withdraw = reverse("membership:request-withdraw", args=[theirs.pk])
    assert client.post(withdraw).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_open


def test_the_worker_withdraws_an_open_request(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    client.post(LEAVE, form_data(client, LEAVE, reason="退休"))
    request = MembershipRequest.objects.get()

    response = client.post(reverse("membership:request-withdraw", args=[request.pk]))

    assert response.status_code == 302 and response["Location"] == request_url(request)
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.WITHDRAWN
    page = client.get(request_url(request)).content.decode()
    assert "Withdraw my request" not in page
    # Free to ask again.
    assert 'name="reason"' in client.get(LEAVE).content.decode()


def test_the_unions_answer_is_shown_to_the_worker(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    client.post(LEAVE, form_data(client, LEAVE, reason="退休"))
    request = MembershipRequest.objects.get()

    membership_request_confirm(by=county.chair1, request=request, comment="感谢多年支持")

    page = client.get(request_url(request)).content.decode()
    assert "感谢多年支持" in page and "Confirmed" in page
    # No longer a member: no transfer or leaving, the way to join instead.
    page = client.get(TRANSFER).content.decode()
    assert 'name="employer"' not in page and f'href="{reverse("membership:join")}"' in page


def test_a_non_member_sees_the_join_link_only(county, portal_sign_in):
    outsider = worker(county, 34, name="周外")
    client = bound_client(portal_sign_in, outsider)

    for url in (TRANSFER, LEAVE):
        page = client.get(url).content.decode()
        assert 'name="key"' not in page
        assert f'href="{reverse("membership:join")}"' in page
    assert client.post(LEAVE, {"key": "x", "reason": "走"}).status_code == 200
    assert not MembershipRequest.objects.exists()


def test_a_worker_with_a_pending_application_is_told_to_wait(county, portal_sign_in):
    applicant = worker(county, 35, name="吴等")
    join_application_submit(
        by=county.superuser, channel=JoinChannel.STAFF, person=applicant, employer=county.e1
    )
    client = bound_client(portal_sign_in, applicant)

    page = client.get(TRANSFER).content.decode()

    assert "wait for it first" in page and 'name="key"' not in page


def test_an_unbound_account_is_asked_to_link_its_file(county, portal_sign_in):
    client = portal_sign_in("13900009999")

    page = client.get(LEAVE).content.decode()

    assert f'href="{reverse("portal:bind")}"' in page


def test_the_home_shows_the_open_request_until_it_is_answered(member, county, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    request = membership_request_submit(
        person=member, kind=MembershipRequestKind.LEAVE, reason="退休"
    )
    home = reverse("portal:home")

    page = client.get(home).content.decode()
    assert f"Leaving, asked of {county.g1.name}" in page
    assert f'href="{request_url(request)}"' in page

    membership_request_confirm(by=county.chair1, request=request)
    page = client.get(home).content.decode()
    assert "Leaving, asked of" not in page
    assert "Not a member of a union yet." in page
