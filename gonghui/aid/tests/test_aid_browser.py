"""The whole way of an aid application in a real Chromium: a chair enters it from
the person's page and submits it; the grassroots union reduces and approves it,
the township and the county approve it, and the county pays it."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from gonghui.accounts.models import Role
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus
from gonghui.conftest import make_user
from gonghui.core.tests.test_browser import sign_in

pytestmark = pytest.mark.browser


def sign_out(page: Page) -> None:
    page.locator("header form[action$='/logout/'] button").click()
    expect(page.locator("input[name=username]")).to_be_visible()


def approve(page: Page, pk: int, amount: str = "") -> None:
    page.goto(f"/aid/{pk}/")
    page.locator("#decide-form input[value=approve]").check()
    if amount:
        page.fill("#decide-form input[name=amount]", amount)
    page.locator("#decide-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/aid/{pk}/$"))


def test_an_application_goes_from_entry_through_three_levels_to_payment(
    live_server, county, aid, browser_page
):
    page = browser_page
    county_staff = make_user("countystaff", county.root, Role.STAFF)

    sign_in(page, county.chair1.username)
    page.goto(f"/people/{aid.p1.pk}/")
    page.locator("#aid-history, .profile-section").first.wait_for()
    page.locator(f"a[href='/aid/new/?person={aid.p1.pk}']").click()
    page.select_option("select[name=campaign]", str(aid.relief_campaign.pk))
    page.fill("input[name=amount_requested]", "1200.00")
    page.fill("textarea[name=reason]", "家中失火")
    page.fill("input[name=bank_name]", "农业银行")
    page.fill("input[name=bank_account]", "6228480000001234")
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aid/\d+/$"))
    pk = AidApplication.objects.get().pk
    page.locator("#submit-form button[type=submit]").click()
    expect(page.locator("#aid-level")).to_contain_text(county.g1.name)
    # The one who entered it is offered no decision.
    expect(page.locator("#decide-form")).to_have_count(0)
    sign_out(page)

    sign_in(page, aid.g1clerk.username)
    approve(page, pk, amount="1000.00")
    expect(page.locator("#aid-level")).to_contain_text(county.t1.name)
    expect(page.locator("#aid-amount")).to_contain_text("1000.00")
    sign_out(page)

    sign_in(page, county.t1staff.username)
    approve(page, pk)
    expect(page.locator("#aid-level")).to_contain_text(county.root.name)
    sign_out(page)

    sign_in(page, county_staff.username)
    approve(page, pk)
    expect(page.locator("#pay-form")).to_be_visible()
    page.fill("#pay-form input[name=reference]", "PAY-001")
    page.locator("#pay-form button[type=submit]").click()
    expect(page.locator("#pay-form")).to_have_count(0)
    expect(page.locator("#steps tbody tr")).to_have_count(5)

    application = AidApplication.objects.get(pk=pk)
    assert application.status == AidStatus.PAID
    assert application.payment.reference == "PAY-001"
    aid.relief_fund.refresh_from_db()
    assert (aid.relief_fund.reserved, aid.relief_fund.spent) == (
        Decimal("0.00"),
        Decimal("1000.00"),
    )
