"""Counselling in the worker portal (issue 14, item 5): a worker sees the free times
offered to them, books one, sees and cancels their own booking; another worker's
booking answers 404, the counsellor's notes are never shown, a double tap books once."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.counselling import services
from gonghui.counselling.models import Booking
from gonghui.inbox.models import Message, MessageKind
from gonghui.portal.tests.test_card import bound_client, worker

from .conftest import tomorrow_at

SLOTS = reverse("portal-counselling:slots")
MINE = reverse("portal-counselling:mine")


def book_url(slot) -> str:
    return reverse("portal-counselling:book", args=[slot.pk])


def booking_url(booking) -> str:
    return reverse("portal-counselling:booking", args=[booking.pk])


def cancel_url(booking) -> str:
    return reverse("portal-counselling:cancel", args=[booking.pk])


@pytest.fixture
def member(county):
    """钱询, a member of G1 (under township T1): the county's counsellors serve her."""
    return worker(county, 41, union=county.g1, name="钱询")


@pytest.fixture
def client(member, portal_sign_in):
    return bound_client(portal_sign_in, member)


def test_a_worker_sees_the_free_times_and_books_one(care, member, client):
    page = client.get(SLOTS).content.decode()
    assert book_url(care.s3) in page
    assert book_url(care.s1) not in page  # booked by another worker
    assert "Room 2" in page and "14:00–15:00" in page

    response = client.post(book_url(care.s3))

    booking = Booking.objects.get(slot=care.s3)
    assert response.status_code == 302 and response["Location"] == booking_url(booking)
    assert (booking.person, booking.channel, booking.booked_by, booking.status) == (
        member,
        "portal",
        None,
        "booked",
    )
    message = Message.objects.get(person=member, kind=MessageKind.BOOKING_MADE)
    assert message.url == booking_url(booking)
    shown = client.get(booking_url(booking)).content.decode()
    assert "Booked. You get a reminder here the day before." in shown
    assert "Room 2" in shown and "What happens next" in shown
    # The list now opens with the worker's appointment, and the time is no longer free.
    page = client.get(SLOTS).content.decode()
    assert "Your appointment:" in page and booking_url(booking) in page
    assert book_url(care.s3) not in page
    assert booking_url(booking) in client.get(MINE).content.decode()


def test_a_double_tap_books_once_and_lands_on_the_same_page(care, member, client):
    first = client.post(book_url(care.s3))
    second = client.post(book_url(care.s3))

    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Booking.objects.filter(slot=care.s3).count() == 1
    assert Message.objects.filter(person=member, kind=MessageKind.BOOKING_MADE).count() == 1


def test_a_time_just_taken_by_someone_else_is_refused_with_a_message(care, member, client):
    response = client.post(book_url(care.s1), follow=True)

    assert response.redirect_chain[-1][0] == SLOTS
    assert "This slot is already booked; choose another one." in response.content.decode()
    assert not Booking.objects.filter(person=member).exists()
    assert Booking.objects.get(slot=care.s1).person == care.w1


def test_a_withdrawn_time_is_refused_with_a_message(care, member, client):
    services.slot_withdraw(by=care.counsellor, slot=care.s3, reason="Ill")

    response = client.post(book_url(care.s3), follow=True)

    assert "The counsellor has withdrawn this slot" in response.content.decode()
    assert not Booking.objects.filter(person=member).exists()


def test_a_time_offered_to_another_township_is_not_found(care, county, member, client):
    elsewhere = make_user("counsellor_t2", county.t2, Role.COUNSELLOR)
    slot = services.slot_publish(
        by=elsewhere,
        starts_at=tomorrow_at(16),
        ends_at=tomorrow_at(17),
        mode="online",
        place="",
    )

    assert book_url(slot) not in client.get(SLOTS).content.decode()
    assert client.post(book_url(slot)).status_code == 404
    assert not Booking.objects.filter(slot=slot).exists()


def test_the_worker_cancels_with_a_reason_and_the_time_is_free_again(care, member, client):
    client.post(book_url(care.s3))
    booking = Booking.objects.get(slot=care.s3)

    response = client.post(cancel_url(booking), {"reason": "  "})
    assert response.status_code == 200
    assert "Give the reason for cancelling." in response.content.decode()
    too_long = "夜班" * 151
    response = client.post(cancel_url(booking), {"reason": too_long})
    assert f'value="{too_long}"' in response.content.decode()  # what was typed stays
    booking.refresh_from_db()
    assert booking.status == "booked"

    response = client.post(cancel_url(booking), {"reason": "要上夜班"})

    assert response.status_code == 302 and response["Location"] == booking_url(booking)
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by, booking.cancel_reason) == (
        "cancelled",
        None,
        "要上夜班",
    )
    message = Message.objects.get(person=member, kind=MessageKind.BOOKING_CANCELLED)
    assert "You cancelled it yourself" in message.body
    page = client.get(booking_url(booking)).content.decode()
    assert "Cancelled. The time is free again" in page
    assert cancel_url(booking) not in page  # nothing left to cancel
    assert book_url(care.s3) in client.get(SLOTS).content.decode()

    # A second tap of the same form lands on the same page and changes nothing.
    cancelled_at = booking.cancelled_at
    again = client.post(cancel_url(booking), {"reason": "要上夜班"})
    assert again["Location"] == booking_url(booking)
    booking.refresh_from_db()
    assert booking.cancelled_at == cancelled_at
    assert Message.objects.filter(kind=MessageKind.BOOKING_CANCELLED, person=member).count() == 1


def test_another_workers_booking_is_not_found(care, county, member, client, portal_sign_in):
    client.post(book_url(care.s3))
    mine = Booking.objects.get(slot=care.s3)
    neighbour = bound_client(portal_sign_in, worker(county, 42, union=county.g1, name="孙邻"))

    for booking in (mine, care.b1):
        assert neighbour.get(booking_url(booking)).status_code == 404
        assert neighbour.post(cancel_url(booking), {"reason": "x"}).status_code == 404
    assert booking_url(mine) not in neighbour.get(MINE).content.decode()
    assert booking_url(mine) not in neighbour.get(SLOTS).content.decode()
    mine.refresh_from_db()
    care.b1.refresh_from_db()
    assert mine.status == care.b1.status == "booked"
    with pytest.raises(PermissionDenied):
        services.booking_cancel_by_worker(person=care.w1, booking=mine, reason="x")


def test_the_counsellors_note_is_never_shown_only_whether_the_worker_came(care, member, client):
    client.post(book_url(care.s3))
    booking = Booking.objects.get(slot=care.s3)
    with time_machine.travel(tomorrow_at(15, 30)):
        services.booking_record_outcome(by=care.counsellor, booking=booking, attended=True)
        services.session_note_write(by=care.counsellor, booking=booking, text="失眠，压力大")

        page = client.get(booking_url(booking)).content.decode()
        past = client.get(MINE).content.decode()

    assert "Attended" in page and "失眠" not in page
    assert cancel_url(booking) not in page
    assert "Attended" in past and "失眠" not in past


def test_a_begun_appointment_cannot_be_cancelled(care, member, client):
    client.post(book_url(care.s3))
    booking = Booking.objects.get(slot=care.s3)
    with time_machine.travel(tomorrow_at(14, 10)):
        assert cancel_url(booking) not in client.get(booking_url(booking)).content.decode()
        response = client.post(cancel_url(booking), {"reason": "迟到"})
        assert "already begun" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "booked"
    with pytest.raises(ValidationError):
        services.booking_cancel_by_worker(person=member, booking=booking, reason="")


def test_an_account_not_linked_to_a_file_is_told_to_link_it(care, county, portal_sign_in):
    stranger = portal_sign_in("13911112222")

    for url in (SLOTS, MINE):
        page = stranger.get(url).content.decode()
        assert "Link your file first" in page and reverse("portal:bind") in page
        assert book_url(care.s3) not in page
    assert stranger.post(book_url(care.s3))["Location"] == SLOTS
    assert not Booking.objects.filter(slot=care.s3).exists()


def test_the_home_lists_counselling_and_a_visitor_is_sent_to_sign_in(care, client):
    assert SLOTS in client.get(reverse("portal:home")).content.decode()
    from django.test import Client

    response = Client().get(SLOTS)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:sign-in"))


def test_the_list_of_times_reads_in_a_fixed_number_of_queries(
    care, client, django_assert_max_num_queries
):
    client.get(SLOTS)  # warm: the session and the language
    with django_assert_max_num_queries(12) as few:
        client.get(SLOTS)
    for hour in range(16, 23):
        services.slot_publish(
            by=care.counsellor2,
            starts_at=tomorrow_at(hour),
            ends_at=tomorrow_at(hour) + timedelta(minutes=50),
            mode="online",
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(SLOTS).content.decode()
    assert page.count('action="/m/counselling/slots/') == 8
