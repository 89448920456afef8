"""Simultaneous bookings and slot publishing on PostgreSQL: threads on separate
connections, released together by a barrier.

SQLite serialises every writer and ignores ``select_for_update``, so these run
in the PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from gonghui.core.tests.concurrency import run_together
from gonghui.counselling import services
from gonghui.counselling.models import Booking, CounsellingSlot

from .conftest import tomorrow_at

pytestmark = pytest.mark.postgres


def test_ten_simultaneous_bookings_of_one_slot_make_one_booking(on_postgres, county, care):
    people = [care.w1, care.w3] * 5

    results = run_together(
        [
            lambda p=person: services.booking_create(
                slot=care.s3, person=p, by=None, channel="portal"
            )
            for person in people
        ]
    )

    assert sum(isinstance(r, Booking) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 9, results
    assert Booking.objects.filter(slot=care.s3).count() == 1


def test_overlapping_slots_published_at_once_leave_one(on_postgres, care):
    starts = [tomorrow_at(18) + timedelta(minutes=10 * n) for n in range(6)]

    results = run_together(
        [
            lambda s=start: services.slot_publish(
                by=care.counsellor, starts_at=s, ends_at=s + timedelta(hours=1), mode="online"
            )
            for start in starts
        ]
    )

    assert sum(isinstance(r, CounsellingSlot) for r in results) == 1, results
    assert sum(isinstance(r, ValidationError) for r in results) == 5, results
    assert CounsellingSlot.objects.filter(starts_at__gte=tomorrow_at(18)).count() == 1
