"""A competition end to end in a real Chromium at a phone's 360×740: a worker registers
in the portal, the organiser's staff approve and start scoring, two judges fill their
sheets (a score out of range is refused first), the organiser locks the results, and
the worker downloads the certificate: a PDF arrives."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from gonghui.accounts.models import Role
from gonghui.competitions import services
from gonghui.competitions.models import Entry, Score
from gonghui.competitions.tests.helpers import competition, worker
from gonghui.conftest import make_user
from gonghui.portal.tests.test_card_browser import (
    PHONE_VIEWPORT,
    sign_in_and_link,
    staff_sign_in,
)

pytestmark = pytest.mark.browser


def as_staff(page: Page, username: str) -> None:
    page.context.clear_cookies()
    staff_sign_in(page, username)


def test_from_registration_in_the_portal_to_a_downloaded_certificate(
    live_server, county, browser_page, sms_outbox
):
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)
    made = competition(county, by=county.t1staff, organiser=county.t1)
    judges = [make_user(f"judge_t1_{i}", county.t1, Role.JUDGE) for i in range(2)]
    for judge in judges:
        services.judge_assign(by=county.t1staff, competition=made, judge=judge)
    member = worker(county, "郑赛")

    # The worker finds the competition and registers.
    sign_in_and_link(page, member, sms_outbox)
    page.goto("/m/competitions/")
    page.get_by_role("link", name=made.name).click()
    page.locator("#register").click()
    expect(page.locator("#entry-status")).to_have_text("Awaiting approval")
    # The worker's phone keeps its portal session while staff use the console here.
    portal_session = page.context.cookies()
    entry = Entry.objects.get(person=member)

    # The organiser's staff approve it, close registration and start scoring.
    as_staff(page, county.t1staff.username)
    page.goto(f"/competitions/{made.pk}/entries/")
    page.locator(f"tr[data-entry='{entry.pk}'] button", has_text="Approve").click()
    expect(page.locator("#entries")).to_contain_text("Approved")
    for _step in range(2):
        page.goto(f"/competitions/{made.pk}/")
        page.locator("#advance").click()
    expect(page.locator("#status")).to_have_attribute("data-status", "scoring")

    # Each judge fills their sheet; a score above the range is refused first.
    for number, judge in enumerate(judges):
        as_staff(page, judge.username)
        page.goto("/competitions/judging/")
        page.get_by_role("link", name=made.name).click()
        cells = page.locator("#sheet input")
        expect(cells).to_have_count(2)
        if number == 0:
            cells.nth(0).fill("120")
            cells.nth(1).fill("90")
            page.evaluate("document.querySelector('#sheet').closest('form').noValidate = true")
            page.locator("#save-sheet").click()
            expect(page.locator(".messages")).to_contain_text("lies from 0.00 to 100.00")
            assert not Score.objects.exists()
            cells = page.locator("#sheet input")
        cells.nth(0).fill("88")
        cells.nth(1).fill("92.5")
        page.locator("#save-sheet").click()
        expect(page.locator(".messages")).to_contain_text("2 scores saved")
    assert Score.objects.count() == 4

    # The organiser locks and publishes the results.
    as_staff(page, county.t1staff.username)
    page.goto(f"/competitions/{made.pk}/results/")
    page.locator("#lock").click()
    expect(page.locator(".messages")).to_contain_text("locked and published")
    entry.refresh_from_db()
    assert (entry.place, entry.award) == (1, "first")

    # The worker reads the result and downloads the certificate.
    page.context.clear_cookies()
    page.context.add_cookies(portal_session)
    page.goto("/m/competitions/")
    page.locator("#my-entries a", has_text=made.name).click()
    expect(page.locator("#result")).to_contain_text("First prize")
    with page.expect_download() as download:
        page.locator("#certificate").click()
    data = open(download.value.path(), "rb").read()
    assert data.startswith(b"%PDF-") and b"STSong-Light" in data
    assert re.search(rb"/Count 1\b", data)
