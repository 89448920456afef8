"""No dead ends in aid, in a real Chromium, as the people who would do it.

A chair who is their union's only account enters and submits an application: it
passes their union with the reason shown, and the chair's page says where it
waits. The township finds it counted on its home page, follows the count to
exactly that row and approves it. Above the programme's limit two county
approvers decide: the first no longer finds it in their queue; the second does.
The county clerk who entered another application is refused its payment on the
page, and a colleague pays it.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus
from gonghui.conftest import make_user
from gonghui.core.tests.test_browser import sign_in

from .conftest import consent
from .test_aid_browser import approve, sign_out

pytestmark = pytest.mark.browser


def awaiting_count(page: Page) -> str:
    """The count of aid applications awaiting the reader on their home page ("" if none)."""
    page.goto("/")
    item = page.locator("#todo a[href*='/aid/?show=awaiting']")
    return item.locator(".todo-count").inner_text() if item.count() else ""


def test_a_lone_chairs_application_is_passed_up_decided_twice_at_the_county_and_paid(
    live_server, county, aid, browser_page
):
    page = browser_page
    county_staff = make_user("countystaff", county.root, Role.STAFF)
    reviewer = make_user("reviewer", county.root, Role.STAFF)
    consent(county.admin, aid.p2)

    # chair2 is the only account of G2: it enters and submits.
    sign_in(page, county.chair2.username)
    page.goto(f"/aid/new/?person={aid.p2.pk}")
    page.select_option("select[name=campaign]", str(aid.illness_campaign.pk))
    page.fill("input[name=amount_requested]", "12000.00")
    page.fill("textarea[name=reason]", "住院手术")
    page.select_option("select[name=diagnosis_category]", "cancer")
    page.fill("input[name=total_cost]", "30000.00")
    page.fill("input[name=insurance_reimbursement]", "5000.00")
    page.fill("input[name=bank_name]", "农业银行")
    page.fill("input[name=bank_account]", "6228480000001234")
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aid/\d+/$"))
    pk = AidApplication.objects.get().pk
    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#aid-level")).to_contain_text(county.t1.name)
    expect(page.locator("#aid-waiting")).to_have_text(f"It awaits a decision at {county.t1.name}.")
    passed = page.locator("#steps tbody tr", has_text="Passed up")
    expect(passed).to_contain_text(county.g2.name)
    expect(passed).to_contain_text("entered this application")
    expect(page.locator("#decide-form")).to_have_count(0)
    assert awaiting_count(page) == ""
    sign_out(page)

    # The township finds it counted on its home page and follows the count.
    sign_in(page, county.t1staff.username)
    assert awaiting_count(page) == "1"
    page.locator("#todo a[href*='/aid/?show=awaiting']").click()
    expect(page.locator("table tbody tr")).to_have_count(1)
    expect(page.locator("table tbody tr")).to_contain_text(aid.p2.name)
    page.goto(f"/aid/{pk}/")
    expect(page.locator("#aid-waiting")).to_have_text("It awaits your decision.")
    approve(page, pk)
    expect(page.locator("#aid-level")).to_contain_text(county.root.name)
    assert awaiting_count(page) == ""
    sign_out(page)

    # The first county approval: after it, the first approver's queue is empty.
    sign_in(page, county_staff.username)
    assert awaiting_count(page) == "1"
    approve(page, pk)
    expect(page.locator("#aid-waiting")).to_contain_text("You gave the first approval")
    expect(page.locator("#decide-form")).to_have_count(0)
    assert awaiting_count(page) == ""
    sign_out(page)

    sign_in(page, reviewer.username)
    assert awaiting_count(page) == "1"
    page.goto(f"/aid/{pk}/")
    expect(page.locator("#aid-waiting")).to_have_text(
        "A first approval is recorded; it awaits your second approval."
    )
    approve(page, pk)
    expect(page.locator("#aid-waiting")).to_have_text("Approved: it awaits payment.")
    page.fill("#pay-form input[name=reference]", "PAY-12")
    page.locator("#pay-form button[type=submit]").click()
    expect(page.locator("#pay-form")).to_have_count(0)
    application = AidApplication.objects.get(pk=pk)
    assert application.status == AidStatus.PAID
    assert application.amount == Decimal("12000.00")


def test_the_clerk_who_entered_an_application_is_not_offered_its_payment(
    live_server, county, aid, browser_page
):
    page = browser_page
    clerk = make_user("clerk", county.root, Role.STAFF)
    payer = make_user("payer", county.root, Role.STAFF)
    application = services.aid_application_create(
        by=clerk,
        campaign=aid.relief_campaign,
        person=aid.p3,
        amount_requested=Decimal("800.00"),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account="6222020200001111",
    )
    application = services.aid_application_submit(by=clerk, application=application)
    services.aid_application_approve(by=county.t2staff, application=application)
    services.aid_application_approve(by=county.admin, application=application)

    sign_in(page, clerk.username)
    page.goto(f"/aid/{application.pk}/")
    expect(page.locator("#aid-waiting")).to_have_text(
        "Approved: it awaits payment. Whoever entered an application cannot record its payment."
    )
    expect(page.locator("#pay-form")).to_have_count(0)
    page.goto("/aid/payments/")
    expect(page.get_by_text(aid.p3.name)).to_have_count(0)
    sign_out(page)

    sign_in(page, payer.username)
    page.goto("/aid/payments/")
    expect(page.get_by_text(aid.p3.name)).to_have_count(1)
    page.goto(f"/aid/{application.pk}/")
    page.locator("#pay-form button[type=submit]").click()
    expect(page.locator("#aid-status")).to_have_text("Paid")
