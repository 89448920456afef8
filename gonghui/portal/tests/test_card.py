"""The electronic membership card (worker portal, item 4): name, union, card number and
a QR code of a signed token that expires in ten minutes, never the ID number or phone."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from gonghui.core.idnumbers import complete_id_number
from gonghui.people.services import membership_leave, membership_start, person_create
from gonghui.portal import membership
from gonghui.portal.membership import CardCheck
from gonghui.portal.models import WorkerAccount

CARD = reverse("membership:card")
BIND = reverse("portal:bind")


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1988, 3, 4):%Y%m%d}{seq:03d}")


def worker(county, seq: int, *, union=None, employer=None, name=None):
    """A worker's file (at E1 unless told), a member of ``union`` when given."""
    person = person_create(
        by=county.superuser,
        name=name or f"工人{seq}",
        id_number=id_number(seq),
        phone=f"1390000{seq:04d}",
        employer=employer or county.e1,
    )
    if union is not None:
        membership_start(
            by=county.superuser, person=person, union=union, joined_on=date(2023, 5, 1)
        )
    person.refresh_from_db()
    return person


def bound_client(portal_sign_in, person):
    """The worker's phone signed into the portal and bound to their file (the file holds
    the signed-in number, so the binding is immediate)."""
    client = portal_sign_in(person.plain_phone())
    client.post(BIND, {"name": person.name, "id_number": person.plain_id_number()})
    assert WorkerAccount.objects.get(person=person)
    return client


def shown_token(page: str) -> str:
    """The code printed under the QR, as staff would type it (its spaces dropped)."""
    typed = re.search(r"data-card-token>([^<]+)<", page).group(1)
    return "".join(typed.split())


@pytest.fixture
def member(county):
    return worker(county, 1, union=county.g1, name="赵卡")


def test_a_member_sees_the_card_with_its_qr_code_and_never_the_id_number_or_phone(
    member, county, portal_sign_in
):
    client = bound_client(portal_sign_in, member)

    response = client.get(CARD)

    page = response.content.decode()
    assert response.status_code == 200
    assert "赵卡" in page and county.g1.name in page and member.card_number in page
    svg = re.search(r"<svg[^>]*>", page).group(0)
    assert 'class="qr"' in svg and "style=" not in page
    token = shown_token(page)
    assert membership.card_check(by=county.chair1, token=token).result == CardCheck.VALID
    for secret in (member.plain_id_number(), member.plain_phone()):
        assert secret not in page and secret not in token
    assert "10 minutes" in page
    assert f'href="{CARD}"' in page  # the refresh works without a script


def test_each_load_of_the_card_gives_a_fresh_code(member, portal_sign_in):
    client = bound_client(portal_sign_in, member)
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = shown_token(client.get(CARD).content.decode())
        clock.shift(timedelta(seconds=61))
        second = shown_token(client.get(CARD).content.decode())

    assert first != second


def test_the_token_holds_the_person_and_card_number_only(member):
    token = membership.card_token(member)

    value = token.split(":")[0]
    assert value == f"{member.pk}.{member.card_number}"


def test_a_token_is_valid_for_ten_minutes_then_expired(member, county):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        token = membership.card_token(member)
        clock.shift(timedelta(minutes=9, seconds=59))
        assert membership.card_check(by=county.chair1, token=token).result == CardCheck.VALID
        clock.shift(timedelta(seconds=2))
        checked = membership.card_check(by=county.chair1, token=token)

    assert checked.result == CardCheck.EXPIRED
    assert checked.person is None


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token, other: token.replace(token.split(".")[0], str(other.pk), 1),
        lambda token, other: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token, other: membership.card_token(other).split(":")[0] + token[token.index(":") :],
        lambda token, other: "hello",
        lambda token, other: "",
    ],
    ids=["another-person", "signature", "swapped-value", "garbage", "empty"],
)
def test_a_forged_or_tampered_token_is_not_a_card(member, county, tamper):
    other = worker(county, 2, union=county.g1)

    checked = membership.card_check(
        by=county.superuser, token=tamper(membership.card_token(member), other)
    )

    assert checked.result == CardCheck.NOT_A_CARD
    assert checked.person is None


def test_a_token_signed_for_another_purpose_is_not_a_card(member, county):
    from django.core import signing

    token = signing.TimestampSigner().sign(f"{member.pk}.{member.card_number}")

    assert membership.card_check(by=county.superuser, token=token).result == CardCheck.NOT_A_CARD


def test_a_card_of_a_member_who_left_says_not_a_member(member, county):
    token = membership.card_token(member)
    membership_leave(by=county.superuser, person=member, reason="调离本县")

    assert membership.card_check(by=county.chair1, token=token).result == CardCheck.NOT_MEMBER


def test_a_worker_not_a_member_is_offered_to_join(county, portal_sign_in):
    person = worker(county, 3, name="钱未")
    client = bound_client(portal_sign_in, person)

    page = client.get(CARD).content.decode()

    assert "Not a member yet." in page
    assert f'href="{reverse("membership:join")}"' in page
    assert "<svg" not in page


def test_a_worker_not_bound_is_asked_to_link_the_file(county, portal_sign_in):
    client = portal_sign_in("13911112222")

    page = client.get(CARD).content.decode()

    assert "Link your file first" in page and f'href="{BIND}"' in page
    assert "<svg" not in page


def test_the_card_asks_a_visitor_to_sign_in(client):
    response = client.get(CARD)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign-in"))
