"""A counsellor withdraws a slot: a free one simply goes, a booked one takes its
booking with it (cancelled by the counsellor, with the reason); a past one stays."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.counselling import selectors, services
from gonghui.counselling.models import Booking, BookingStatus, CounsellingSlot

from .conftest import tomorrow_at


def url(slot):
    return reverse("counselling:slot-withdraw", args=[slot.pk])


def test_a_free_slot_is_withdrawn_and_no_longer_offered(care, county):
    assert care.s3 in selectors.bookable_slots(county.t1staff)

    slot = services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="临时出差")

    slot.refresh_from_db()
    assert (slot.withdrawn_by, slot.withdraw_reason) == (care.counsellor, "临时出差")
    assert slot.withdrawn_at is not None
    assert care.s3 not in selectors.bookable_slots(county.t1staff)
    with pytest.raises(ValidationError, match="withdrawn this slot"):
        services.booking_create(slot=care.s3, person=care.w1, by=county.t1staff, channel="staff")
    with pytest.raises(ValidationError, match="withdrawn this slot"):
        services.booking_create(slot=care.s3, person=care.w1, by=None, channel="portal")
    assert not Booking.objects.filter(slot=care.s3).exists()


def test_a_booked_slot_is_withdrawn_with_its_booking_cancelled_by_the_counsellor(care, county):
    services.slot_withdraw(by=care.counsellor, slot=care.s1, reason="身体不适")

    care.b1.refresh_from_db()
    assert care.b1.status == BookingStatus.CANCELLED
    assert (care.b1.cancelled_by, care.b1.cancel_reason) == (care.counsellor, "身体不适")
    assert care.b1.cancelled_at is not None
    # The booking stays a cancelled record; the other booking is untouched.
    care.b3.refresh_from_db()
    assert care.b3.status == BookingStatus.BOOKED


def test_the_staff_who_booked_see_why_on_the_booking_page(care, county, client_for):
    services.slot_withdraw(by=care.counsellor, slot=care.s1, reason="身体不适")

    page = client_for(county.t1staff).get(care.b1.get_absolute_url()).content.decode()

    assert "身体不适" in page
    assert 'id="slot-withdrawn"' in page
    assert care.counsellor.display_name in page


def test_a_slot_that_has_begun_cannot_be_withdrawn(care):
    with time_machine.travel(care.s1.starts_at + timedelta(minutes=5)):
        with pytest.raises(ValidationError, match="already begun"):
            services.slot_withdraw(by=care.counsellor, slot=care.s1, reason="x")
    care.s1.refresh_from_db()
    assert care.s1.withdrawn_at is None
    care.b1.refresh_from_db()
    assert care.b1.status == BookingStatus.BOOKED


def test_a_withdrawal_needs_a_reason_and_happens_once(care):
    with pytest.raises(ValidationError) as caught:
        services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="  ")
    assert "reason" in caught.value.message_dict
    services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="出差")
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="again")


def test_the_database_refuses_a_withdrawal_without_a_reason(care):
    with pytest.raises(IntegrityError), transaction.atomic():
        CounsellingSlot.objects.filter(pk=care.s3.pk).update(
            withdrawn_at=care.s3.starts_at, withdraw_reason=""
        )


def test_only_the_counsellor_or_an_administrator_in_scope_may_withdraw(care, county):
    for user in (care.counsellor2, county.t1staff, county.chair1, county.leader):
        with pytest.raises(PermissionDenied):
            services.slot_withdraw(by=user, slot=care.s3, reason="x")
    assert CounsellingSlot.objects.get(pk=care.s3.pk).withdrawn_at is None
    services.slot_withdraw(by=county.admin, slot=care.s3, reason="场地检修")
    assert CounsellingSlot.objects.get(pk=care.s3.pk).withdrawn_by == county.admin


def test_a_withdrawn_time_can_be_offered_again(care):
    services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="改为线上")
    again = services.slot_publish(
        by=care.counsellor, starts_at=tomorrow_at(14), ends_at=tomorrow_at(15), mode="online"
    )
    assert again.pk != care.s3.pk


def test_the_counsellor_withdraws_from_the_calendar_page(care, client_for):
    client = client_for(care.counsellor)
    calendar = client.get(reverse("counselling:my-calendar")).content.decode()
    assert url(care.s1) in calendar
    assert url(care.s3) in calendar

    response = client.post(url(care.s1), {"reason": "临时会议"})

    assert response.status_code == 302
    assert response["Location"] == reverse("counselling:my-calendar")
    care.s1.refresh_from_db()
    assert care.s1.withdraw_reason == "临时会议"
    care.b1.refresh_from_db()
    assert care.b1.status == BookingStatus.CANCELLED
    calendar = client.get(reverse("counselling:my-calendar")).content.decode()
    assert "Withdrawn" in calendar
    assert url(care.s1) not in calendar


def test_the_page_refuses_without_a_reason_and_for_someone_elses_slot(care, client_for):
    client = client_for(care.counsellor)
    response = client.post(url(care.s3), {"reason": ""})
    assert response.status_code == 302
    assert CounsellingSlot.objects.get(pk=care.s3.pk).withdrawn_at is None

    assert client_for(care.counsellor2).post(url(care.s3), {"reason": "x"}).status_code == 404
    assert CounsellingSlot.objects.get(pk=care.s3.pk).withdrawn_at is None
    assert client_for(care.counsellor).get(url(care.s3)).status_code == 405
