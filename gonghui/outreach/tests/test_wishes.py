"""Micro-wishes (微心愿): posted → claimed → fulfilled, or withdrawn; each step a row."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from gonghui.outreach import services
from gonghui.outreach.models import Wish, WishStep
from gonghui.outreach.vocabularies import WishAction, WishStatus

from .conftest import PNG_BYTES, png, valid_id


def state():
    return (
        list(Wish.objects.order_by("pk").values()),
        list(WishStep.objects.order_by("pk").values()),
    )


def steps(wish):
    return [(s.action, s.by.username) for s in wish.steps.select_related("by")]


def test_a_wish_goes_from_posted_to_fulfilled_through_the_pages_with_a_step_each(
    county, client_for, people
):
    client = client_for(county.chair1)

    client.post(
        reverse("outreach:wish-create"),
        {
            "organisation": county.g1.pk,
            "person_id_number": valid_id(1),
            "text": "一台电饭煲",
            "estimated_value": "199.00",
        },
    )
    wish = Wish.objects.get()
    client.post(
        reverse("outreach:wish-claim", args=[wish.pk]),
        {"donor_employer": county.e1.pk, "donor_name": "", "comment": "工会牵线"},
    )
    response = client.post(
        reverse("outreach:wish-fulfil", args=[wish.pk]),
        {"fulfilled_on": "2025-05-01", "delivered": "电饭煲一台", "comment": ""},
    )

    wish.refresh_from_db()
    assert response.status_code == 302
    assert (wish.status, wish.person, wish.donor_label) == (
        WishStatus.FULFILLED,
        people.p1,
        "东镇机械有限公司",
    )
    assert wish.fulfilled_on == date(2025, 5, 1)
    assert steps(wish) == [("post", "chair1"), ("claim", "chair1"), ("fulfil", "chair1")]
    assert all(step.at is not None for step in wish.steps.all())
    page = client.get(wish.get_absolute_url()).content.decode()
    assert "工会牵线" in page and "电饭煲一台" in page
    assert "Record a claim" not in page and "Withdraw" not in page


def test_claiming_an_already_claimed_wish_is_refused_and_nothing_is_written(
    county, client_for, outreach
):
    w1 = outreach.w1
    services.wish_claim(by=county.chair1, wish=w1, donor_name="第一位捐赠人")
    before = state()

    response = client_for(county.t1staff).post(
        reverse("outreach:wish-claim", args=[w1.pk]), {"donor_name": "第二位捐赠人"}
    )

    assert response.status_code == 200
    assert "This wish has already been claimed." in response.content.decode()
    assert state() == before
    w1.refresh_from_db()
    assert w1.donor_name == "第一位捐赠人"


def test_a_claim_by_a_stale_copy_of_the_wish_is_refused(county, outreach):
    # Two staff opened the wish while it was posted; the first claims it.
    first, second = Wish.objects.get(pk=outreach.w1.pk), Wish.objects.get(pk=outreach.w1.pk)
    services.wish_claim(by=county.chair1, wish=first, donor_name="甲")

    with pytest.raises(ValidationError) as caught:
        services.wish_claim(by=county.t1staff, wish=second, donor_name="乙")

    assert caught.value.messages == ["This wish has already been claimed."]
    assert WishStep.objects.filter(wish=outreach.w1, action=WishAction.CLAIM).count() == 1


def test_the_database_refuses_a_second_claim_step(county, outreach):
    services.wish_claim(by=county.chair1, wish=outreach.w1, donor_name="甲")

    with pytest.raises(IntegrityError), transaction.atomic():
        WishStep.objects.create(wish=outreach.w1, action=WishAction.CLAIM, by=county.t1staff)


def test_the_database_refuses_a_claimed_wish_without_a_donor(outreach):
    with pytest.raises(IntegrityError), transaction.atomic():
        Wish.objects.filter(pk=outreach.w1.pk).update(status=WishStatus.CLAIMED)


@pytest.mark.parametrize(
    ("prepare", "action", "message"),
    [
        (None, "fulfil", "A wish is claimed by a donor before it can be fulfilled."),
        ("withdraw", "claim", "This wish has been withdrawn."),
        ("withdraw", "withdraw", "This wish has already been withdrawn."),
        ("fulfil", "withdraw", "A fulfilled wish cannot be withdrawn."),
        ("fulfil", "fulfil", "This wish has already been fulfilled."),
        ("fulfil", "claim", "This wish has already been fulfilled."),
    ],
)
def test_a_transition_from_the_wrong_state_is_refused(county, outreach, prepare, action, message):
    wish = outreach.w1
    if prepare == "withdraw":
        services.wish_withdraw(by=county.chair1, wish=wish, reason="不再需要")
    elif prepare == "fulfil":
        services.wish_claim(by=county.chair1, wish=wish, donor_name="甲")
        services.wish_fulfil(
            by=county.chair1, wish=wish, fulfilled_on=date(2025, 4, 1), delivered="x"
        )
    before = state()
    call = {
        "claim": lambda: services.wish_claim(by=county.chair1, wish=wish, donor_name="乙"),
        "fulfil": lambda: services.wish_fulfil(
            by=county.chair1, wish=wish, fulfilled_on=date(2025, 4, 2), delivered="y"
        ),
        "withdraw": lambda: services.wish_withdraw(by=county.chair1, wish=wish, reason="z"),
    }[action]

    with pytest.raises(ValidationError) as caught:
        call()

    assert caught.value.messages == [message]
    assert state() == before


def test_a_fulfilment_dated_in_the_future_is_refused(county, client_for, outreach):
    services.wish_claim(by=county.chair1, wish=outreach.w1, donor_name="甲")
    before = state()
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client_for(county.chair1).post(
        reverse("outreach:wish-fulfil", args=[outreach.w1.pk]),
        {"fulfilled_on": tomorrow.isoformat(), "delivered": "电风扇"},
    )

    assert response.status_code == 200
    assert "The fulfilment date cannot be in the future." in response.content.decode()
    assert state() == before


@pytest.mark.parametrize(
    ("value", "message"),
    [("-5.00", "An amount cannot be negative."), ("", "This field is required.")],
)
def test_a_wish_with_a_bad_value_is_refused(county, client_for, people, value, message):
    response = client_for(county.chair1).post(
        reverse("outreach:wish-create"),
        {
            "organisation": county.g1.pk,
            "person_id_number": valid_id(1),
            "text": "电风扇",
            "estimated_value": value,
        },
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == ([], [])


def test_a_claim_needs_a_donor(county, client_for, outreach):
    before = state()

    response = client_for(county.chair1).post(
        reverse("outreach:wish-claim", args=[outreach.w1.pk]), {"donor_name": " "}
    )

    assert "Name the donor or choose the donor unit." in response.content.decode()
    assert state() == before


def test_a_withdrawal_keeps_its_reason_as_the_steps_comment(county, client_for, outreach):
    client_for(county.chair1).post(
        reverse("outreach:wish-withdraw", args=[outreach.w1.pk]), {"reason": "职工已调离"}
    )

    outreach.w1.refresh_from_db()
    assert outreach.w1.status == WishStatus.WITHDRAWN
    assert outreach.w1.steps.last().comment == "职工已调离"


def test_only_a_posted_wish_can_be_edited(county, client_for, outreach):
    services.wish_claim(by=county.chair1, wish=outreach.w1, donor_name="甲")
    before = state()

    response = client_for(county.chair1).post(
        reverse("outreach:wish-update", args=[outreach.w1.pk]),
        {"organisation": county.g1.pk, "text": "改了", "estimated_value": "1.00"},
    )

    assert "Only a wish nobody has claimed yet can be changed." in response.content.decode()
    assert state() == before


def test_a_wish_for_a_person_outside_the_scope_is_refused(county, people):
    with pytest.raises(PermissionDenied):
        services.wish_post(
            by=county.chair1,
            organisation=county.g1,
            person=people.p3,
            text="x",
            estimated_value="1",
        )
    assert not Wish.objects.exists()


def test_a_wish_shows_on_the_workers_file(county, client_for, outreach):
    page = client_for(county.chair1).get(outreach.people.p1.get_absolute_url()).content.decode()

    assert outreach.w1.get_absolute_url() in page
    assert "一台电风扇" in page


# --- The fulfilment photo ------------------------------------------------------------


def test_the_photo_is_kept_under_media_root_and_served_to_those_in_scope(
    county, client_for, outreach
):
    wf = outreach.wf
    stored = Path(settings.MEDIA_ROOT) / wf.photo

    response = client_for(county.t1staff).get(reverse("outreach:wish-photo", args=[wf.pk]))

    assert stored.read_bytes() == PNG_BYTES
    assert stored.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == PNG_BYTES
    assert (
        client_for(county.t2staff).get(reverse("outreach:wish-photo", args=[wf.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (png("notes.png", b"just some text, named like a picture"), "must be a JPEG or PNG"),
        (png("big.png", PNG_BYTES + b"\0" * 2048), "The photo is larger than"),
    ],
)
def test_a_photo_of_the_wrong_type_or_too_large_is_refused(
    county, client_for, outreach, settings, upload, message
):
    settings.OUTREACH_MAX_PHOTO_BYTES = 1024
    services.wish_claim(by=county.chair1, wish=outreach.w1, donor_name="甲")
    files_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))
    before = state()

    response = client_for(county.chair1).post(
        reverse("outreach:wish-fulfil", args=[outreach.w1.pk]),
        {"fulfilled_on": "2025-05-01", "delivered": "电风扇", "photo": upload},
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == before
    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == files_before


def test_a_refused_fulfilment_leaves_no_stored_photo(county, outreach):
    files_before = sorted(Path(settings.MEDIA_ROOT).rglob("*"))

    with pytest.raises(ValidationError):
        # Not claimed yet: refused after the photo was checked.
        services.wish_fulfil(
            by=county.chair1,
            wish=outreach.w1,
            fulfilled_on=date(2025, 5, 1),
            delivered="x",
            photo=png(),
        )

    assert sorted(Path(settings.MEDIA_ROOT).rglob("*")) == files_before


def test_the_estimated_value_is_kept_to_the_fen(county, people):
    wish = services.wish_post(
        by=county.chair1, organisation=county.g1, person=people.p1, text="x", estimated_value="12.3"
    )

    wish.refresh_from_db()
    assert wish.estimated_value == Decimal("12.30")
