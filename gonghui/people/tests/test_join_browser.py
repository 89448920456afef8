"""Joining end to end in a real Chromium: township staff enter a worker's
application, the employer's grassroots chair approves it, the card is issued."""

import re

import pytest
from playwright.sync_api import Page, expect

from gonghui.core.tests.test_browser import sign_in
from gonghui.people.models import JoinApplication, Membership, Person
from gonghui.people.vocabularies import JoinStatus, MembershipStatus

pytestmark = pytest.mark.browser

ID_NUMBER = "11010519491231002X"  # GB 11643-1999's own example
NAME = "陈晓红"


def sign_out(page: Page) -> None:
    page.locator("header form[action$='/logout/'] button").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/"))


def test_staff_enter_an_application_and_the_chair_approves_it(live_server, county, browser_page):
    page = browser_page

    sign_in(page, county.t1staff.username)
    page.goto("/people/applications/new/")
    page.fill("input[name=id_number]", ID_NUMBER.lower())  # a lower-case x is normalised
    page.fill("input[name=name]", NAME)
    page.fill("input[name=phone]", "+86 139-0000-1234")
    page.select_option("select[name=employer]", str(county.e1.pk))
    page.locator("form.object-form button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(county.g1.name)

    application = JoinApplication.objects.get(person__name=NAME)
    assert application.union == county.g1
    assert application.status == JoinStatus.PENDING
    sign_out(page)

    sign_in(page, county.chair1.username)
    page.goto("/people/applications/")
    page.get_by_role("link", name=NAME).first.click()
    expect(page).to_have_url(re.compile(rf"/people/applications/{application.pk}/$"))
    page.locator(f"form[action$='/applications/{application.pk}/approve/'] button").click()
    expect(page.locator("h1 .tag")).not_to_have_class(re.compile("warn"))

    person = Person.objects.get(name=NAME)
    membership = Membership.objects.get(person=person)
    assert membership.union == county.g1
    assert membership.status == MembershipStatus.ACTIVE
    assert person.card_number
    page.goto(person.get_absolute_url())
    expect(page.locator("main")).to_contain_text(person.card_number)
    expect(page.locator("main")).to_contain_text("110***********002X")
    expect(page.locator("main")).not_to_contain_text(ID_NUMBER)
