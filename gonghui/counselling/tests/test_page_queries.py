"""Booking pages read a fixed number of queries, whatever the rows."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.counselling import services

from .conftest import tomorrow_at


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_booking_and_calendar_pages_do_not_query_per_row(county, care, client_for):
    staff = client_for(county.admin)
    staff_urls = [
        reverse("counselling:booking-list"),
        reverse("counselling:slot-list"),
        care.w1.get_absolute_url(),
    ]
    before = [_queries(staff, url) for url in staff_urls]
    calendar_before = _queries(client_for(care.counsellor), reverse("counselling:my-calendar"))

    for n in range(4):
        start = tomorrow_at(16) + timedelta(hours=n)
        slot = services.slot_publish(
            by=care.counsellor,
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            mode="online",
        )
        services.booking_create(slot=slot, person=care.w1, by=county.admin, channel="staff")
        services.slot_publish(
            by=care.counsellor2,
            starts_at=start,
            ends_at=start + timedelta(minutes=50),
            mode="online",
        )

    staff = client_for(county.admin)
    assert [_queries(staff, url) for url in staff_urls] == before
    assert (
        _queries(client_for(care.counsellor), reverse("counselling:my-calendar")) == calendar_before
    )
