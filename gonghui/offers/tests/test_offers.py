"""Member offers: who may claim and when, the quantity and the per-member limit, a code
redeemed once at the merchant's counter with the offer's PIN, wrong PINs locking it,
guessed codes limited per address, the merchant never told the member's name, the
scope, and the portal pages."""

from __future__ import annotations

import re
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.conftest import signed_in
from gonghui.core.audit import history_for
from gonghui.offers import services
from gonghui.offers.models import Claim, Offer, OfferStatus, RedeemAttempt
from gonghui.portal.tests.test_card import bound_client, worker

REDEEM = reverse("merchant:redeem")


def make_offer(county, *, union=None, quantity=3, limit=1, publish=True, **extra):
    today = timezone.localdate()
    offer = services.offer_create(
        by=county.superuser,
        union=union or county.t1,
        merchant_name=extra.pop("merchant", "便民理发店"),
        merchant_address="东镇中心街8号",
        merchant_phone="0571-00000000",
        title=extra.pop("title", "理发八折"),
        description="",
        price="八折",
        valid_from=extra.pop("valid_from", today - timedelta(days=1)),
        valid_until=extra.pop("valid_until", today + timedelta(days=30)),
        quantity=quantity,
        per_member_limit=limit,
    )
    pin = services.offer_set_pin(by=county.superuser, offer=offer)
    if publish:
        offer = services.offer_publish(by=county.superuser, offer=offer)
    offer.pin = pin
    return offer


def staff(user) -> Client:
    return signed_in(Client(), user)


@pytest.fixture
def members(county):
    return [worker(county, n, union=county.g1, name=f"会员{n}") for n in range(1, 5)]


def redeem(client, pin, code, address="203.0.113.5"):
    return client.post(REDEEM, {"pin": pin, "token": code}, REMOTE_ADDR=address)


# --- Claiming --------------------------------------------------------------------------------


def test_claims_stop_at_the_quantity_with_a_clear_message(county, members):
    offer = make_offer(county, quantity=2)
    first = services.offer_claim(offer=offer, person=members[0])
    services.offer_claim(offer=offer, person=members[1])

    with pytest.raises(ValidationError) as refused:
        services.offer_claim(offer=offer, person=members[2])

    assert refused.value.messages == ["All of this offer have been claimed."]
    offer.refresh_from_db()
    assert offer.claimed_count == 2
    assert Claim.objects.filter(offer=offer).count() == 2
    assert re.fullmatch(r"[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{10}", first.code)


def test_the_database_refuses_more_claimed_than_the_quantity(county):
    offer = make_offer(county, quantity=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Offer.objects.filter(pk=offer.pk).update(claimed_count=2)


def test_a_member_claims_up_to_the_per_member_limit(county, members):
    offer = make_offer(county, quantity=10, limit=2)
    services.offer_claim(offer=offer, person=members[0])
    services.offer_claim(offer=offer, person=members[0])

    with pytest.raises(ValidationError) as refused:
        services.offer_claim(offer=offer, person=members[0])

    assert "2 times" in refused.value.messages[0]
    offer.refresh_from_db()
    assert offer.claimed_count == 2
    assert list(Claim.objects.filter(person=members[0]).values_list("seq", flat=True)) == [2, 1]


def test_a_second_claim_past_a_limit_of_one_is_refused(county, members):
    offer = make_offer(county)
    services.offer_claim(offer=offer, person=members[0])
    with pytest.raises(ValidationError) as refused:
        services.offer_claim(offer=offer, person=members[0])
    assert refused.value.messages == ["You have already claimed this offer."]


def test_the_database_refuses_a_second_claim_with_one_number(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(offer=offer, person=members[0], seq=claim.seq)


def test_workers_outside_the_union_or_not_members_are_refused(county, members):
    offer = make_offer(county, union=county.t2)
    outsider = worker(county, 9, union=None, name="非会员")
    with pytest.raises(ValidationError) as refused:
        services.offer_claim(offer=offer, person=members[0])
    assert refused.value.messages == ["This offer is for the members under 西镇总工会."]

    ours = make_offer(county)
    with pytest.raises(ValidationError):
        services.offer_claim(offer=ours, person=outsider)
    assert Claim.objects.count() == 0


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("expired", "This offer ended on"),
        ("future", "This offer opens on"),
        ("withdrawn", "This offer is not open."),
        ("draft", "This offer is not open."),
    ],
)
def test_expired_future_withdrawn_and_draft_offers_are_refused(county, members, case, message):
    today = timezone.localdate()
    dates = {
        "expired": {
            "valid_from": today - timedelta(days=9),
            "valid_until": today - timedelta(days=1),
        },
        "future": {
            "valid_from": today + timedelta(days=1),
            "valid_until": today + timedelta(days=9),
        },
    }.get(case, {})
    offer = make_offer(county, publish=case != "draft", **dates)
    if case == "withdrawn":
        services.offer_withdraw(by=county.superuser, offer=offer)

    with pytest.raises(ValidationError) as refused:
        services.offer_claim(offer=offer, person=members[0])

    assert refused.value.messages[0].startswith(message)
    offer.refresh_from_db()
    assert offer.claimed_count == 0


def test_an_offer_needs_its_pin_before_it_is_published(county):
    offer = services.offer_create(
        by=county.admin,
        union=county.root,
        merchant_name="超市",
        merchant_address="县城",
        merchant_phone="",
        title="满100减10",
        description="",
        price="减10元",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate(),
        quantity=5,
        per_member_limit=1,
    )
    with pytest.raises(ValidationError):
        services.offer_publish(by=county.admin, offer=offer)
    services.offer_set_pin(by=county.admin, offer=offer)
    assert services.offer_publish(by=county.admin, offer=offer).status == OfferStatus.PUBLISHED


def test_offers_are_published_by_a_county_or_township_union_in_scope(county):
    values = dict(
        merchant_name="超市",
        merchant_address="县城",
        merchant_phone="",
        title="满100减10",
        description="",
        price="减10元",
        valid_from=timezone.localdate(),
        valid_until=timezone.localdate(),
        quantity=5,
        per_member_limit=1,
    )
    with pytest.raises(ValidationError):
        services.offer_create(by=county.admin, union=county.g1, **values)
    with pytest.raises(ValidationError):
        services.offer_create(by=county.t1staff, union=county.t2, **values)
    with pytest.raises(PermissionDenied):
        services.offer_create(by=county.chair1, union=county.t1, **values)
    assert services.offer_create(by=county.t1staff, union=county.t1, **values).pk


# --- The PIN and redeeming --------------------------------------------------------------------


def test_the_pin_is_stored_hashed_and_shown_once(county):
    offer = make_offer(county, publish=False)
    client = staff(county.t1staff)

    response = client.post(reverse("offers:pin", args=[offer.pk]))

    assert response.status_code == 200
    pin = re.search(r'id="offer-pin">(\d{6})<', response.content.decode()).group(1)
    offer.refresh_from_db()
    assert pin not in offer.pin_hash and offer.pin_hash.count("$") >= 1
    page = client.get(offer.get_absolute_url()).content.decode()
    assert pin not in page
    history = history_for(offer)
    assert all(pin not in str(row) and offer.pin_hash not in str(row) for row in history)
    assert any("PIN set at" in str(row) or "pin_set_at" in str(row) for row in history)


def test_a_code_redeems_once_and_the_merchant_never_sees_the_member(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    merchant = Client()

    first = redeem(merchant, offer.pin, claim.code.lower()[:5] + " " + claim.code[5:])
    second = redeem(merchant, offer.pin, claim.code)

    assert first.status_code == 200
    assert "Redeemed: 理发八折 (八折)." in first.content.decode()
    assert "This code was used already" in second.content.decode()
    for response in (first, second):
        page = response.content.decode()
        assert members[0].name not in page and members[0].plain_phone() not in page
    claim.refresh_from_db()
    assert claim.redeemed_at is not None


def test_a_wrong_pin_is_refused_and_repeated_wrong_pins_lock_the_offer(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    merchant = Client()
    wrong = "000000" if offer.pin != "000000" else "111111"

    answers = [
        redeem(merchant, wrong, claim.code, address=f"198.51.100.{n}")
        for n in range(services.PIN_TRIES)
    ]
    locked = redeem(merchant, offer.pin, claim.code, address="198.51.100.99")

    assert all(
        "The PIN is wrong for the offer of this code." in a.content.decode() for a in answers
    )
    assert "PIN is locked" in locked.content.decode()
    claim.refresh_from_db()
    assert claim.redeemed_at is None
    # A new PIN from the union lifts the lock.
    pin = services.offer_set_pin(by=county.superuser, offer=offer)
    assert "Redeemed" in redeem(merchant, pin, claim.code).content.decode()


def test_guessed_codes_are_limited_per_address(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    merchant = Client()

    guesses = [redeem(merchant, offer.pin, f"ABCDEFGH{n:02d}") for n in range(10)]
    limited = redeem(merchant, offer.pin, claim.code)
    elsewhere = redeem(merchant, offer.pin, claim.code, address="192.0.2.7")

    assert all("No claim has this code." in g.content.decode() for g in guesses)
    assert limited.status_code == 429
    assert "Too many wrong codes or PINs" in limited.content.decode()
    assert "Redeemed" in elsewhere.content.decode()
    assert RedeemAttempt.objects.filter(address="203.0.113.5").count() == 10


def test_a_withdrawn_offers_codes_no_longer_redeem(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    services.offer_withdraw(by=county.superuser, offer=offer)

    response = redeem(Client(), offer.pin, claim.code)

    assert "This offer was withdrawn" in response.content.decode()
    claim.refresh_from_db()
    assert claim.redeemed_at is None


# --- Console ------------------------------------------------------------------------------


def test_the_console_scope_and_roles(county, members):
    ours = make_offer(county, union=county.t1)
    theirs = make_offer(county, union=county.t2, title="洗车九折")
    services.offer_claim(offer=ours, person=members[0])

    t1 = staff(county.t1staff)
    listed = t1.get(reverse("offers:list")).content.decode()
    assert "理发八折" in listed and "洗车九折" not in listed
    assert t1.get(theirs.get_absolute_url()).status_code == 404
    assert t1.get(reverse("offers:claims", args=[theirs.pk])).status_code == 404
    claims = t1.get(reverse("offers:claims", args=[ours.pk]))
    assert "会员1" in claims.content.decode()
    # A chair reads offers in their own subtree (the scope rule: not those published
    # above it); publishing is for the county and townships.
    chair = staff(county.chair1)
    assert chair.get(reverse("offers:list")).status_code == 200
    assert chair.get(ours.get_absolute_url()).status_code == 404
    assert chair.get(reverse("offers:create")).status_code == 403
    assert chair.post(reverse("offers:pin", args=[ours.pk])).status_code == 403
    assert staff(county.leader).get(reverse("offers:list")).status_code == 200


def test_the_claims_export_counts_redeemed(county, members):
    offer = make_offer(county, quantity=5)
    claim = services.offer_claim(offer=offer, person=members[0])
    services.offer_claim(offer=offer, person=members[1])
    services.offer_redeem(pin=offer.pin, code=claim.code, address=None)
    client = staff(county.admin)

    page = client.get(reverse("offers:claims", args=[offer.pk])).content.decode()
    export = client.get(reverse("offers:claims", args=[offer.pk]), {"export": "xlsx"})

    assert "2 claimed, 1 redeemed" in page
    rows = list(load_workbook(BytesIO(export.content)).active.iter_rows(values_only=True))
    assert any(row[0] == "会员1" and row[3] for row in rows)
    assert any(row[0] == "会员2" and not row[3] for row in rows)


def test_the_organisation_page_counts_offers_and_claims(county, members):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    services.offer_redeem(pin=offer.pin, code=claim.code, address=None)
    make_offer(county, union=county.t2)

    page = (
        staff(county.t1staff)
        .get(reverse("orgs:organisation-detail", args=[county.t1.pk]))
        .content.decode()
    )

    assert "1 offers published (1 open), 1 claimed, 1 redeemed." in page


def test_the_organisation_pages_link_lists_that_organisations_offers_alone(county, members):
    make_offer(county, title="东镇理发")
    make_offer(county, union=county.t2, title="西镇洗车")
    admin = staff(county.admin)
    page = admin.get(reverse("orgs:organisation-detail", args=[county.t1.pk])).content.decode()
    link = f"{reverse('offers:list')}?within={county.t1.pk}"

    listed = admin.get(link).context["object_list"]

    assert f'href="{link}"' in page
    assert [offer.title for offer in listed] == ["东镇理发"]


def test_editing_an_offer_shows_it_and_refuses_less_than_claimed(county, members):
    offer = make_offer(county, quantity=3)
    services.offer_claim(offer=offer, person=members[0])
    services.offer_claim(offer=offer, person=members[1])
    client = staff(county.t1staff)
    url = reverse("offers:update", args=[offer.pk])

    assert 'value="便民理发店"' in client.get(url).content.decode()
    data = {
        "union": county.t1.pk,
        "merchant_name": "便民理发店",
        "merchant_address": "东镇中心街8号",
        "merchant_phone": "",
        "title": "理发八折",
        "description": "",
        "price": "八折",
        "valid_from": offer.valid_from.isoformat(),
        "valid_until": offer.valid_until.isoformat(),
        "quantity": 1,
        "per_member_limit": 1,
    }
    refused = client.post(url, data)
    assert "2 are claimed already" in refused.content.decode()
    offer.refresh_from_db()
    assert offer.quantity == 3


# --- Portal ---------------------------------------------------------------------------------


def test_the_portal_lists_open_offers_and_a_double_tap_makes_one_claim(
    county, members, portal_sign_in
):
    offer = make_offer(county)
    make_offer(county, union=county.t2, title="洗车九折")
    client = bound_client(portal_sign_in, members[0])

    listed = client.get(reverse("portal-offers:list")).content.decode()
    assert "理发八折" in listed and "洗车九折" not in listed
    page = client.get(reverse("portal-offers:detail", args=[offer.pk])).content.decode()
    key = re.search(r'name="key" value="([^"]+)"', page).group(1)

    first = client.post(reverse("portal-offers:detail", args=[offer.pk]), {"key": key})
    second = client.post(reverse("portal-offers:detail", args=[offer.pk]), {"key": key})

    assert first.status_code == 302 and second["Location"] == first["Location"]
    assert Claim.objects.filter(offer=offer).count() == 1
    claim_page = client.get(first["Location"]).content.decode()
    claim = Claim.objects.get(offer=offer)
    assert (
        "".join(re.search(r"data-claim-code>([^<]+)<", claim_page).group(1).split()) == claim.code
    )
    assert "<svg" in claim_page
    offer.refresh_from_db()
    assert offer.claimed_count == 1


def test_a_worker_sees_only_their_own_claims(county, members, portal_sign_in):
    offer = make_offer(county, quantity=5)
    theirs = services.offer_claim(offer=offer, person=members[1])
    client = bound_client(portal_sign_in, members[0])

    assert client.get(reverse("portal-offers:claim", args=[theirs.pk])).status_code == 404
    assert theirs.code not in client.get(reverse("portal-offers:list")).content.decode()
    other = make_offer(county, union=county.t2, title="洗车九折")
    assert client.get(reverse("portal-offers:detail", args=[other.pk])).status_code == 404


def test_a_used_claim_shows_as_used_without_its_code(county, members, portal_sign_in):
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=members[0])
    services.offer_redeem(pin=offer.pin, code=claim.code, address=None)
    client = bound_client(portal_sign_in, members[0])

    page = client.get(reverse("portal-offers:claim", args=[claim.pk])).content.decode()

    assert 'data-status="redeemed"' in page and "data-claim-code" not in page
