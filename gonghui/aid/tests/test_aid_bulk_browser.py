"""Bulk approval in a real Chromium: a county approver opens "awaiting my decision",
which leaves out the approver's own application (aid.duties), selects the whole
page, confirms and approves; the result lists what was approved."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus
from gonghui.conftest import make_user
from gonghui.core.tests.test_browser import sign_in

from .bulk import at_county

pytestmark = pytest.mark.browser


def test_a_county_approver_approves_a_whole_page_at_once(live_server, county, aid, browser_page):
    page = browser_page
    approver = make_user("countystaff", county.root, Role.STAFF)
    first, second, own = at_county(county, aid, 100, 3)
    services.staff_person_link(by=county.superuser, user=approver, person=own.person)

    sign_in(page, approver.username)
    page.goto("/aid/")
    page.locator("#awaiting-link").click()
    expect(page.locator("#bulk-approve input[name=applications]")).to_have_count(2)
    expect(page.locator("#bulk-approve")).not_to_contain_text(own.person.name)
    page.locator("#select-all").check()
    for box in page.locator("#bulk-approve input[name=applications]").all():
        expect(box).to_be_checked()
    page.fill("#bulk-comment", "材料齐全")
    # Without the confirmation the browser does not send the form.
    page.locator("#approve-selected").click()
    expect(page.locator("#bulk-summary")).to_have_count(0)
    assert not AidApplication.objects.filter(status=AidStatus.APPROVED).exists()
    page.locator("#bulk-confirm").check()
    page.locator("#approve-selected").click()

    expect(page.locator("#approved tbody tr")).to_have_count(2)
    expect(page.locator("#refused tbody tr")).to_have_count(0)
    expect(page.locator("#bulk-approved")).to_contain_text("2")

    statuses = dict(AidApplication.objects.values_list("pk", "status"))
    assert statuses == {
        first.pk: AidStatus.APPROVED,
        second.pk: AidStatus.APPROVED,
        own.pk: AidStatus.SUBMITTED,
    }
    assert AidApplication.objects.get(pk=first.pk).steps.last().comment == "材料齐全"
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("2000.00")

    page.locator("#back-to-awaiting").click()
    expect(page.locator("#bulk-approve input[name=applications]")).to_have_count(0)
