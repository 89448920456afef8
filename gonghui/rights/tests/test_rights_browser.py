"""A complaint end to end in a real Chromium at a phone's 360×740 (issue 15, "tests that
must exist"): a worker lodges it anonymously in the portal and reads the tracking code
off the page; ``legal_aid`` accepts, assigns, resolves it and records the callback in
the console; the code on ``/track/`` follows it through to the callback, naming no one."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gonghui.portal.tests.test_card import worker
from gonghui.portal.tests.test_card_browser import (
    PHONE_VIEWPORT,
    sign_in_and_link,
    staff_sign_in,
)
from gonghui.rights.models import Case, CaseStatus, CaseWorker

pytestmark = pytest.mark.browser


def track(page: Page, code: str) -> None:
    page.goto("/track/")
    page.fill("input[name=code]", code)
    page.locator("form.card button[type=submit]").click()


def act(page: Page, button: str) -> None:
    page.get_by_role("button", name=button, exact=True).click()


def test_an_anonymous_complaint_is_handled_and_followed_by_its_code(
    live_server, county, neighbours, browser_page, sms_outbox
):
    person = worker(county, 61, employer=county.e3, name="匿名投诉人")
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)

    # The worker, on the phone: the service on the home, the form, anonymous.
    sign_in_and_link(page, person, sms_outbox)
    page.get_by_role("link", name="Help with a dispute").click()
    page.get_by_role("link", name="Ask the union for help").click()
    page.get_by_label("Complaint or petition").check()
    page.select_option("select[name=category]", "overtime")
    page.fill("input[name=employer]", county.e3.name)
    page.fill("textarea[name=summary]", "每天加班四小时没有加班费")
    page.get_by_label("Stay anonymous").check()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
    page.get_by_role("button", name="Send my case").click()
    expect(page).to_have_url(re.compile(r"/m/rights/sent/$"))
    expect(page.get_by_text("Write it down or take a screenshot now.")).to_be_visible()
    code = page.locator("[data-code]").inner_text()
    assert re.fullmatch(r"[0-9A-Z]{4}( [0-9A-Z]{4}){3}", code)
    case = Case.objects.get(tracking_code=code.replace(" ", ""))
    assert case.anonymous and not CaseWorker.objects.filter(case=case).exists()
    assert case.organisation == county.t2  # the employer's township: no union covers it

    track(page, code.lower().replace(" ", "-"))
    steps = page.locator("[data-steps]")
    expect(steps).to_contain_text("Received")
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "received")

    # legal_aid, in the console.
    staff_sign_in(page, neighbours.legal_aid.username)
    page.goto(f"/rights/{case.pk}/")
    act(page, "Accept")
    page.select_option("select[name=handler]", label=neighbours.legal_aid.display_name)
    act(page, "Assign")
    act(page, "Start legal aid")
    page.select_option("select[name=resolution]", "agreement")
    page.fill("textarea[name=terms]", "补发加班费并调整排班")
    page.fill("input[name=recovered_amount]", "3600")
    act(page, "Resolve")
    page.select_option("select[name=satisfaction]", "5")
    act(page, "Record the callback and close")
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED

    # Anyone with the code, without signing in.
    page.context.clear_cookies()
    track(page, code)
    expect(page.locator("[data-status]")).to_have_attribute("data-status", "closed")
    for step in ("Accepted by the union", "Given to a handler", "Legal aid started", "Resolved"):
        expect(steps).to_contain_text(step)
    expect(steps).to_contain_text("Callback made; the case is closed")
    expect(page.locator("[data-resolution]")).to_have_text("Mediated agreement")
    expect(page.locator("[data-terms]")).to_contain_text("补发加班费")
    expect(page.locator("[data-recovered]")).to_contain_text("3600")
    expect(page.locator("[data-callback]")).to_contain_text("satisfaction 5 of 5")
    body = page.locator("main").inner_text()
    assert person.name not in body and neighbours.legal_aid.display_name not in body
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]
