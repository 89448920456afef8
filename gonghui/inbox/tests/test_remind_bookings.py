"""``gonghui remind_bookings``: tomorrow's bookings are reminded once, by message and
text message; a second run the same day sends nothing more."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from gonghui.counselling import services as counselling_services
from gonghui.inbox.models import Message
from gonghui.people.services import person_update
from gonghui.sms.models import OutgoingSms

pytestmark = pytest.mark.django_db


def remind() -> str:
    out = StringIO()
    call_command("remind_bookings", stdout=out)
    return out.getvalue()


def reminders(person=None):
    queryset = Message.objects.filter(kind="booking_tomorrow")
    return queryset.filter(person=person) if person else queryset


def test_each_booking_of_tomorrow_is_reminded_once(care, county):
    person_update(by=county.superuser, person=care.w1, phone="13911110001")
    # b1 (w1, 09:00) and b3 (w3, 10:00) are tomorrow; s3 is free.

    assert "reminders sent: 2" in remind()
    assert "reminders sent: 0" in remind()  # the second run the same day

    [message] = reminders(care.w1)
    assert message.title == "Reminder: your appointment tomorrow at 09:00"
    assert "Room 2" in message.body
    assert reminders(care.w3).count() == 1
    # w1's file holds a phone: a text message is queued; w3's holds none.
    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["booking_tomorrow"]


def test_cancelled_and_withdrawn_bookings_are_not_reminded(care, county):
    counselling_services.booking_cancel(by=county.t1staff, booking=care.b1, reason="改期")
    counselling_services.slot_withdraw(by=care.counsellor, slot=care.s2, reason="出差")

    assert "reminders sent: 0" in remind()
    assert not reminders().exists()


def test_bookings_of_today_or_later_days_wait_for_their_eve(care):
    with time_machine.travel(timezone.now() - timedelta(days=1)):
        assert "reminders sent: 0" in remind()  # the bookings are two days away
    with time_machine.travel(timezone.now() + timedelta(days=1)):
        assert "reminders sent: 0" in remind()  # they are today
    assert "reminders sent: 2" in remind()
