"""The worker's way through the portal in a real Chromium at a phone's 360×740: sign
in with a code read from the test text-message backend, link the file, apply to
join, see the chair's approval in the console arrive as a message, and download
my data. The home's first-load weight is measured and printed (target: 150 KB)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from playwright.sync_api import expect

from gonghui.core.idnumbers import complete_id_number
from gonghui.people.models import JoinApplication
from gonghui.people.services import person_create

from .test_card_browser import (
    BUDGET,
    PHONE_VIEWPORT,
    first_load_weight,
    portal_sign_in,
    staff_sign_in,
)

pytestmark = pytest.mark.browser

PHONE = "13912345001"


def test_a_worker_joins_hears_of_the_approval_and_downloads_their_data(
    live_server, county, browser_page, sms_outbox
):
    number = complete_id_number(f"330106{date(1992, 4, 5):%Y%m%d}051")
    person_create(
        by=county.superuser, name="孙加", id_number=number, phone=PHONE, employer=county.e1
    )
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)

    portal_sign_in(page, PHONE, sms_outbox)
    page.get_by_role("link", name="Link my file").click()
    page.fill("input[name=name]", "孙加")
    page.fill("input[name=id_number]", number)
    page.locator("form.card button[type=submit]").click()
    expect(page.locator(".member-card")).to_contain_text("Not a member of a union yet.")

    weight, bodies = first_load_weight(page, "/m/")
    kilobytes = weight / 1024
    print(f"\nportal home first load: {weight} bytes ({kilobytes:.1f} KB), {len(bodies)} files")
    assert weight < BUDGET
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_VIEWPORT["width"]

    page.get_by_role("link", name="Join the union").click()
    page.get_by_role("button", name="Send my application").click()
    expect(page.locator("main")).to_contain_text(county.g1.name)
    application = JoinApplication.objects.get(person__name="孙加")

    staff_sign_in(page, county.chair1.username)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/people/applications/{application.pk}/")
    page.get_by_role("button", name="Approve and issue the card").click()
    expect(page.locator("body")).to_contain_text("is now a member of")

    page.set_viewport_size(PHONE_VIEWPORT)
    page.goto("/m/")
    expect(page.locator("a.news")).to_contain_text("1 new message")
    page.locator("a.news").click()
    expect(page.locator("main")).to_contain_text("approved")

    page.goto("/m/me/data/")
    with page.expect_download() as download:
        page.get_by_role("link", name="JSON").click()
    document = json.loads(download.value.path().read_text(encoding="utf-8"))
    [file] = document["sections"][0]["rows"]
    assert file["ID number"] == number and file["name"] == "孙加"
    assert "Memberships" in [section["title"] for section in document["sections"]]


def test_what_was_typed_survives_a_page_lost_before_sending(
    live_server, county, browser_page, sms_outbox
):
    number = complete_id_number(f"330106{date(1992, 4, 5):%Y%m%d}052")
    person_create(
        by=county.superuser, name="孙草", id_number=number, phone="13912345002", employer=county.e1
    )
    page = browser_page
    page.set_viewport_size(PHONE_VIEWPORT)
    portal_sign_in(page, "13912345002", sms_outbox)
    page.goto("/m/bind/")
    page.fill("input[name=name]", "孙草")
    page.fill("input[name=id_number]", number)
    page.locator("form.card button[type=submit]").click()

    page.goto("/m/me/data/")
    with page.expect_response(lambda r: "/m/drafts/" in r.url and r.request.method == "POST"):
        page.fill("textarea[name=text]", "我的电话已经换成13912345099")
    # The connection drops before the form is sent; the worker opens the page again.
    page.goto("/m/me/data/")

    expect(page.locator("textarea[name=text]")).to_have_value("我的电话已经换成13912345099")
