"""A transfer end to end in a real Chromium at a phone's 360×740: a member changing jobs
asks for a transfer from the card page, the chair of their union confirms it in the
console, and the worker reads the message and sees the new union on the card."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from gonghui.people.models import MembershipRequest, MembershipRequestStatus

from .test_card import worker
from .test_card_browser import PHONE_VIEWPORT, sign_in_and_link, staff_sign_in

pytestmark = pytest.mark.browser


def test_a_member_asks_for_a_transfer_and_the_chair_confirms_it(
    live_server, county, browser_page, sms_outbox
):
    member = worker(county, 41, union=county.g1, name="郑调")
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)
    sign_in_and_link(page, member, sms_outbox)

    page.goto("/m/membership/card/")
    page.get_by_role("link", name="Changing jobs? Ask for a transfer").click()
    expect(page).to_have_url(re.compile(r"/m/membership/transfer/$"))
    page.fill("input[name=employer]", county.e2.name)
    page.fill("textarea[name=reason]", "到纺织厂上班了")
    page.locator("form.card button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/m/membership/requests/\d+/$"))
    expect(page.locator("[data-status]")).to_have_text("Awaiting the union's answer")
    expect(page.locator("main")).to_contain_text(county.g2.name)
    # Nothing wider than the phone: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    request = MembershipRequest.objects.get(person=member)

    staff_sign_in(page, county.chair1.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto("/membership-requests/")
    page.get_by_role("link", name="郑调").click()
    expect(page.locator("main")).to_contain_text("到纺织厂上班了")
    page.fill("textarea[name=comment]", "祝工作顺利")
    page.get_by_role("button", name="Confirm").click()
    expect(page.locator("h1 .tag")).to_have_text("Confirmed")
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.CONFIRMED

    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto("/m/messages/")
    expect(page.locator("main")).to_contain_text(
        f"Your membership was transferred to {county.g2.name}"
    )
    page.goto("/m/membership/card/")
    card = page.locator(".member-card")
    expect(card).to_contain_text(county.g2.name)
    expect(card).to_contain_text(member.card_number)
