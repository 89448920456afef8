"""A county admin's first sign-in in a real browser: password, setting up the
authenticator app from the page, the forced password change, then the console."""

from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import Page, expect

from gonghui.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Spring-River-2031"


def submit(page: Page) -> None:
    page.locator("main form button.primary").click()
    page.wait_for_load_state()


def test_a_county_admin_signs_in_for_the_first_time(live_server, county, browser_page):
    county.admin.must_change_password = True
    county.admin.save()
    page = browser_page

    page.goto("/orgs/")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", PASSWORD)
    submit(page)

    # The app is set up first; the console's menu stays hidden until every step is done.
    expect(page).to_have_url(live_server.url + "/accounts/two-step/setup/?next=%2Forgs%2F")
    expect(page.locator("nav.sidebar")).to_have_count(0)
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("#otp-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("input[name=otp_token]", f"{TOTP(key).token():06d}")
    submit(page)

    expect(page.locator("input[name=new_password1]")).to_be_visible()
    expect(page.locator("nav.sidebar")).to_have_count(0)
    page.fill("input[name=old_password]", PASSWORD)
    page.fill("input[name=new_password1]", NEW_PASSWORD)
    page.fill("input[name=new_password2]", NEW_PASSWORD)
    submit(page)

    expect(page).to_have_url(live_server.url + "/orgs/")
    expect(page.locator("nav.sidebar")).to_be_visible()
    county.admin.refresh_from_db()
    assert county.admin.check_password(NEW_PASSWORD)
    assert not county.admin.must_change_password
