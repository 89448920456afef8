"""Counselling in a real Chromium at a phone's 360×740: a worker signs into the portal
with a code from the test text-message backend, links the file, opens Counselling from
the home page, books a free time, and cancels it with a reason. The list's first-load
weight is measured and printed (the issue's target: under 150 KB)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gonghui.counselling.models import Booking
from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_card_browser import (
    BUDGET,
    PHONE_VIEWPORT,
    first_load_weight,
    sign_in_and_link,
)

pytestmark = pytest.mark.browser


def test_a_worker_books_and_cancels_a_time_on_a_phone(
    live_server, county, care, browser_page, sms_outbox
):
    member = worker(county, 43, union=county.g1, name="李约")
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)

    sign_in_and_link(page, member, sms_outbox)

    page.locator(".services").get_by_role("link", name="Counselling").click()
    expect(page).to_have_url(re.compile(r"/m/counselling/$"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    book = page.get_by_role("button", name="Book 14:00")
    assert book.bounding_box()["height"] >= 44  # a thumb's target
    book.click()

    expect(page).to_have_url(re.compile(r"/m/counselling/bookings/\d+/$"))
    expect(page.locator(".notes")).to_contain_text("Booked.")
    expect(page.locator(".card").first).to_contain_text("Room 2")
    booking = Booking.objects.get(slot=care.s3)
    assert (booking.person, booking.channel) == (member, "portal")

    page.fill("input[name=reason]", "要上夜班")
    page.get_by_role("button", name="Cancel this appointment").click()
    expect(page.locator(".notes")).to_contain_text("Cancelled.")
    booking.refresh_from_db()
    assert (booking.status, booking.cancel_reason) == ("cancelled", "要上夜班")

    weight, bodies = first_load_weight(page, "/m/counselling/")
    print(f"\ncounselling list first load: {weight} bytes ({weight / 1024:.1f} KB)")
    for url, size in bodies:
        print(f"  {size:>8}  {url}")
    assert weight < BUDGET
