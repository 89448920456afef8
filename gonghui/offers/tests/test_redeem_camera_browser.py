"""The merchant's counter by the camera, in a real Chromium: the merchant types the
offer's PIN, the camera sees the member's claim QR, the shared reader
(``portal/scan.js``) sends the form, and the page says "Redeemed" without naming the
member. The camera is Chromium's fake one, showing one frame of the QR
(``portal/tests/test_scan_camera_browser.py``)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from gonghui.offers import services
from gonghui.offers.models import Claim
from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_scan_camera_browser import camera_page  # noqa: F401 - a fixture

from .test_offers import REDEEM, make_offer

pytestmark = pytest.mark.browser


def test_the_merchant_redeems_a_claim_with_the_camera(live_server, county, camera_page):  # noqa: F811
    member = worker(county, 51, union=county.g1, name="钱券")
    offer = make_offer(county)
    claim = services.offer_claim(offer=offer, person=member)
    page = camera_page(claim.code)
    page.goto(REDEEM)

    page.get_by_label("Offer PIN").fill(offer.pin)
    page.get_by_role("button", name="Scan with the camera").click()

    result = page.locator(".scan-result")
    expect(result).to_have_attribute("data-result", "ok")
    expect(result).to_contain_text("理发八折")
    expect(page.locator("body")).not_to_contain_text("钱券")
    assert Claim.objects.get(pk=claim.pk).redeemed_at is not None
