"""Starting an application in a real Chromium, as a chair would.

From the aid list's "new" button the chair chooses a worker by name, picks a
programme with an income threshold, types the income, ticks the notice the worker
agreed to, and saves: the draft and the consent are there. For another worker the
consent is recorded from the worker's file first, and the form opened from there
saves. A draft's campaign is changed, and then the draft is deleted.
"""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gonghui.aid.models import AidApplication, Consent
from gonghui.aid.vocabularies import AidStatus, ConsentKind
from gonghui.core.tests.test_browser import sign_in

from .conftest import notice

pytestmark = pytest.mark.browser


def fill_relief(page, amount="900.00", income="1000.00"):
    page.fill("input[name=amount_requested]", amount)
    page.fill("textarea[name=reason]", "家庭困难")
    page.fill("input[name=per_capita_income]", income)
    page.fill("input[name=bank_name]", "农业银行")
    page.fill("input[name=bank_account]", "6228480000001234")


def test_a_chair_starts_from_the_list_consents_inline_and_saves(
    live_server, county, aid, browser_page
):
    aid.relief.income_threshold = Decimal("1200.00")
    aid.relief.save()
    income = notice(ConsentKind.INCOME)
    page = browser_page
    sign_in(page, county.chair1.username)

    page.goto("/aid/")
    page.locator("#new-application").click()
    expect(page).to_have_url(re.compile(r"/aid/new/$"))
    page.locator("input[name=worker]").press_sequentially(aid.p1.name[:1], delay=50)
    choice = page.locator(f"#worker-choices input[name=person][value='{aid.p1.pk}']")
    expect(choice).to_be_visible()
    choice.check()
    page.select_option("select[name=campaign]", str(aid.relief_campaign.pk))
    fill_relief(page)
    # Saved without the consent, the form comes back with everything typed.
    page.locator("form.object-form button[type=submit]").click()
    expect(page.locator(".field-error").first).to_contain_text("consent to income information")
    expect(page.locator("input[name=per_capita_income]")).to_have_value("1000.00")
    expect(choice).to_be_checked()

    page.locator(f"input[name=consents][value='{income.pk}']").check()
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aid/\d+/$"))
    application = AidApplication.objects.get()
    assert (application.person, application.status) == (aid.p1, AidStatus.DRAFT)
    assert Consent.objects.get(person=aid.p1).notice == income
    # The worker's file shows the consent.
    page.goto(f"/people/{aid.p1.pk}/")
    expect(page.locator("#aid-consents")).to_contain_text("version 1")


def test_consent_from_the_workers_file_then_the_draft_moved_and_deleted(
    live_server, county, aid, browser_page
):
    aid.relief.income_threshold = Decimal("1200.00")
    aid.relief.save()
    page = browser_page
    sign_in(page, county.chair1.username)

    page.goto(f"/people/{aid.p1.pk}/")
    page.locator("#record-consent").click()
    income = notice(ConsentKind.INCOME)
    page.locator(f"input[name=notice][value='{income.pk}']").check()
    page.locator(f"#notice-{income.pk} summary").click()
    expect(page.locator(f"#notice-{income.pk} .notice-text")).to_contain_text("人均月收入")
    page.locator("main form.object-form button[type=submit]").click()
    expect(page.locator("#aid-consents")).to_contain_text("version 1")

    page.locator(f"a[href='/aid/new/?person={aid.p1.pk}']").click()
    expect(page.locator(f"input[name=person][value='{aid.p1.pk}']")).to_be_checked()
    # The consent on file is not offered again.
    expect(page.locator(f"input[name=consents][value='{income.pk}']")).to_have_count(0)
    page.select_option("select[name=campaign]", str(aid.relief_campaign.pk))
    fill_relief(page)
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aid/\d+/$"))
    application = AidApplication.objects.get()
    assert Consent.objects.filter(person=aid.p1).count() == 1

    # The draft moves to another campaign, then goes.
    page.goto(f"/aid/{application.pk}/edit/")
    page.select_option("select[name=campaign]", str(aid.illness_campaign.pk))
    page.select_option("select[name=diagnosis_category]", "cancer")
    page.fill("input[name=total_cost]", "20000.00")
    page.fill("input[name=insurance_reimbursement]", "5000.00")
    health = notice(ConsentKind.HEALTH)
    page.locator(f"input[name=consents][value='{health.pk}']").check()
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/aid/{application.pk}/$"))
    application.refresh_from_db()
    assert application.campaign == aid.illness_campaign

    page.locator("#delete-link").click()
    page.locator("#delete-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/aid/$"))
    expect(page.locator(".messages")).to_contain_text("Draft deleted.")
    assert not AidApplication.objects.exists()
