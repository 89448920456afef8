"""A person's path through the console in a real Chromium: sign in, switch
language, find an employer by typing, edit it and read the change in its history."""

import re

import pytest
from playwright.sync_api import Page, expect

from gonghui.conftest import PASSWORD

pytestmark = pytest.mark.browser

NEW_PASSWORD = "Browser-Pass-2026?x"


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page, "the sign-in was refused").not_to_have_url(re.compile(r"/accounts/login/"))
    # A forced password change, where the account has one pending, comes first.
    new_password = page.locator("input[name=new_password1]")
    if new_password.count():
        if page.locator("input[name=old_password]").count():
            page.fill("input[name=old_password]", PASSWORD)
        new_password.fill(NEW_PASSWORD)
        page.fill("input[name=new_password2]", NEW_PASSWORD)
        page.locator("main form button[type=submit]").click()
        expect(new_password).to_have_count(0)
    expect(page.locator("header .who")).to_be_visible()


def switch_language(page: Page, code: str) -> None:
    page.locator(f"header button[data-lang='{code}']").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_staff_signs_in_switches_language_finds_and_edits_an_employer(
    live_server, county, browser_page
):
    page = browser_page
    employer = county.e1
    old_count = employer.employee_count
    new_count = old_count + 17

    sign_in(page, county.t1staff.username)

    employers_link = page.locator("nav.sidebar a[href='/orgs/employers/']")
    switch_language(page, "en")
    english_label = employers_link.inner_text().strip()
    switch_language(page, "zh-hans")
    chinese_label = employers_link.inner_text().strip()
    assert english_label and chinese_label
    assert chinese_label != english_label, "the zh_Hans catalogue leaves the menu in English"

    employers_link.click()
    expect(page).to_have_url(re.compile(r"/orgs/employers/$"))
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(2)  # t1staff sees E1 and E2, not E3 of the other township

    # The table refreshes through htmx: the page itself is not reloaded.
    page.evaluate("window.__same_page = true")
    search = page.locator("input[name=q]")
    search.press_sequentially(employer.name[2:4], delay=50)
    # Chinese text arrives as composed input without key events, as from an
    # input method; the key that ends the composition is what htmx listens for.
    search.press("End")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(employer.name)
    expect(page).to_have_url(re.compile(r"[?&]q="))
    assert page.evaluate("window.__same_page === true")

    rows.get_by_role("link", name=employer.name).click()
    expect(page.locator("h1")).to_contain_text(employer.name)
    page.locator(".page-head a[href$='/edit/']").click()

    page.fill("input[name=employee_count]", str(new_count))
    page.locator("form.object-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/orgs/employers/{employer.pk}/$"))
    expect(page.locator("#history")).to_contain_text(f"{old_count} → {new_count}")
    employer.refresh_from_db()
    assert employer.employee_count == new_count


def test_under_the_page_policy_a_deletion_waits_for_confirmation_and_the_menu_opens(
    live_server, county, browser_page
):
    """The behaviours that moved out of inline script (core/static/core/console.js) still
    work under the Content-Security-Policy, which the page refuses nothing of (the
    browser_page fixture fails on any refusal)."""
    from gonghui.orgs.models import Employer

    page = browser_page
    sign_in(page, county.t1staff.username)
    employer = county.e2
    page.goto(f"/orgs/employers/{employer.pk}/")
    policy = page.request.get(page.url).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    delete = page.locator(f"form[action$='/employers/{employer.pk}/delete/'] button")

    page.once("dialog", lambda dialog: dialog.dismiss())
    delete.click()
    expect(page).to_have_url(re.compile(rf"/orgs/employers/{employer.pk}/$"))
    assert Employer.objects.filter(pk=employer.pk).exists()

    messages = []
    page.once("dialog", lambda dialog: (messages.append(dialog.message), dialog.accept()))
    delete.click()
    expect(page).to_have_url(re.compile(r"/orgs/employers/$"))
    assert messages and messages[0]
    assert not Employer.objects.filter(pk=employer.pk).exists()

    page.set_viewport_size({"width": 390, "height": 800})
    page.locator("button.nav-toggle").click()
    expect(page.locator("body")).to_have_class(re.compile("nav-open"))
