"""Booking a slot for a worker: one active booking per slot, cancellation and no-show."""

from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.counselling import services
from gonghui.counselling.models import Booking


def test_staff_book_a_free_slot_for_a_worker_in_their_scope(county, care, client_for):
    client = client_for(county.t1staff)
    free = client.get(reverse("counselling:slot-list")).content.decode()
    assert f"?slot={care.s3.pk}" in free
    assert f"?slot={care.s1.pk}" not in free

    response = client.post(
        reverse("counselling:booking-create"), {"slot": care.s3.pk, "person": care.w1.pk}
    )

    booking = Booking.objects.get(slot=care.s3)
    assert response.status_code == 302
    assert response.url == booking.get_absolute_url()
    assert (booking.person, booking.booked_by, booking.channel, booking.status) == (
        care.w1,
        county.t1staff,
        "staff",
        "booked",
    )


def test_a_booked_slot_cannot_be_booked_again(county, care, client_for):
    response = client_for(county.t1staff).post(
        reverse("counselling:booking-create"), {"slot": care.s1.pk, "person": care.w1.pk}
    )

    assert response.status_code == 200
    assert "This slot is no longer free" in response.content.decode()
    with pytest.raises(ValidationError, match="already booked"):
        services.booking_create(slot=care.s1, person=care.w1, by=county.admin, channel="staff")
    assert Booking.objects.filter(slot=care.s1).count() == 1


def test_the_database_allows_one_active_booking_per_slot(care):
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.create(slot=care.s1, person=care.w3, channel="staff")


def test_the_worker_portal_books_through_the_same_service(county, care):
    booking = services.booking_create(slot=care.s3, person=care.w3, by=None, channel="portal")

    assert (booking.channel, booking.booked_by, booking.person) == ("portal", None, care.w3)
    with pytest.raises(ValidationError):
        services.booking_create(slot=care.s3, person=care.w1, by=county.admin, channel="portal")


def test_a_worker_outside_the_scope_cannot_be_booked(county, care):
    with pytest.raises(PermissionDenied):
        services.booking_create(slot=care.s3, person=care.w3, by=county.t1staff, channel="staff")
    assert not Booking.objects.filter(slot=care.s3).exists()


def test_a_cancellation_records_who_when_and_why_and_frees_the_slot(county, care, client_for):
    client = client_for(county.t1staff)
    url = reverse("counselling:booking-cancel", args=[care.b1.pk])

    response = client.post(url, {"reason": ""}, follow=True)
    assert "Give the reason for cancelling." in response.content.decode()
    care.b1.refresh_from_db()
    assert care.b1.status == "booked"

    client.post(url, {"reason": "Worker is on a night shift"})
    care.b1.refresh_from_db()
    assert (care.b1.status, care.b1.cancelled_by, care.b1.cancel_reason) == (
        "cancelled",
        county.t1staff,
        "Worker is on a night shift",
    )
    assert care.b1.cancelled_at is not None
    change = LogEntry.objects.get_for_object(care.b1).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == county.t1staff
    assert change.changes_dict["status"] == ["booked", "cancelled"]
    again = services.booking_create(slot=care.s1, person=care.w1, by=county.admin, channel="staff")
    assert again.status == "booked"


def test_a_no_show_is_recorded_once_the_slot_has_begun(county, care, client_for):
    url = reverse("counselling:booking-outcome", args=[care.b1.pk])
    client = client_for(care.counsellor)

    response = client.post(url, {"attended": "0"}, follow=True)
    assert "once the slot has begun" in response.content.decode()
    care.b1.refresh_from_db()
    assert care.b1.status == "booked"

    with time_machine.travel(care.s1.starts_at + timedelta(minutes=20)):
        # Signed in again: a day later the first session has long expired.
        client_for(care.counsellor).post(url, {"attended": "0"})
    care.b1.refresh_from_db()
    assert (care.b1.status, care.b1.outcome_recorded_by) == ("no_show", care.counsellor)
    with pytest.raises(ValidationError, match="cannot be cancelled"):
        services.booking_cancel(by=county.admin, booking=care.b1, reason="late")


def test_a_past_slot_cannot_be_booked(county, care):
    with time_machine.travel(care.s3.starts_at + timedelta(minutes=1)):
        with pytest.raises(ValidationError, match="already begun"):
            services.booking_create(slot=care.s3, person=care.w1, by=None, channel="portal")
