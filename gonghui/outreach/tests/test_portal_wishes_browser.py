"""A micro-wish end to end in a real Chromium at a phone's 360×740: a member signs into
the portal, links the file, posts a wish from the home's services, and sees it
claimed and fulfilled by the union; the form's first-load weight is printed."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from gonghui.outreach import services
from gonghui.outreach.models import Wish
from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_card_browser import (
    BUDGET,
    PHONE_VIEWPORT,
    first_load_weight,
    sign_in_and_link,
)

pytestmark = pytest.mark.browser


def test_a_member_posts_a_wish_and_follows_it_to_fulfilment(
    live_server, county, browser_page, sms_outbox
):
    member = worker(county, 61, union=county.g1, name="郑愿")
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)

    sign_in_and_link(page, member, sms_outbox)

    page.get_by_role("link", name="Micro-wishes").click()
    page.get_by_role("link", name="Post a wish").click()
    weight, bodies = first_load_weight(page, "/m/wishes/new/")
    print(f"\nwish form first load: {weight} bytes ({weight / 1024:.1f} KB), {len(bodies)} files")
    assert weight < BUDGET
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    submit = page.get_by_role("button", name="Post my wish")
    assert submit.bounding_box()["height"] >= 44

    # A value over the limit: refused, and what was typed stays.
    page.get_by_label("What do you wish for?").fill("宿舍需要一台电风扇")
    page.get_by_label("About how much is it worth (yuan)?").fill("5000")
    submit.click()
    expect(page.locator(".field.invalid .error")).to_be_visible()
    expect(page.get_by_label("What do you wish for?")).to_have_value("宿舍需要一台电风扇")
    assert Wish.objects.count() == 0

    page.get_by_label("About how much is it worth (yuan)?").fill("150")
    page.get_by_role("button", name="Post my wish").click()
    expect(page).to_have_url(re.compile(r"/m/wishes/\d+/$"))
    expect(page.locator("main")).to_contain_text("Your union is looking for a donor")
    wish = Wish.objects.get(person=member)

    services.wish_claim(by=county.chair1, wish=wish, donor_name="热心职工孙")
    page.reload()
    expect(page.locator("main")).to_contain_text("热心职工孙 took on your wish")

    services.wish_fulfil(
        by=county.chair1, wish=wish, fulfilled_on=date(2025, 7, 1), delivered="电风扇一台"
    )
    page.get_by_role("link", name="Back to my wishes").click()
    item = page.locator(".list li").first
    expect(item).to_contain_text("宿舍需要一台电风扇")
    expect(item).to_contain_text("Fulfilled")
    expect(item).to_contain_text("电风扇一台")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
