"""Joining end to end in a real Chromium: township staff enter a worker's
application, the employer's grassroots chair approves it (the join date marked
required and set to today), the card is issued; staff find a worker by the given
name alone, and the search box says how far it reaches."""

import re

import pytest
from django.utils import timezone
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
    approve = page.locator(f"form[action$='/applications/{application.pk}/approve/']")
    # The join date is marked required and offers today, so a click approves.
    joined_on = approve.locator(".field.required input[name=joined_on]")
    expect(joined_on).to_have_value(timezone.localdate().isoformat())
    expect(approve.locator("abbr.req")).to_have_count(1)
    approve.locator("button").click()
    expect(page.locator("h1 .tag")).not_to_have_class(re.compile("warn"))

    person = Person.objects.get(name=NAME)
    membership = Membership.objects.get(person=person)
    assert membership.union == county.g1
    assert membership.status == MembershipStatus.ACTIVE
    assert membership.joined_on == timezone.localdate()
    assert person.card_number
    page.goto(person.get_absolute_url())
    expect(page.locator("main")).to_contain_text(person.card_number)
    expect(page.locator("main")).to_contain_text("110***********002X")
    expect(page.locator("main")).not_to_contain_text(ID_NUMBER)


def test_staff_find_a_worker_by_the_given_name_and_the_box_says_so(
    live_server, county, browser_page
):
    from gonghui.people import services
    from gonghui.people.tests.conftest import valid_id

    for seq, name in ((901, "易晓峰"), (902, "欧阳晓峰"), (903, "易小明")):
        services.person_create(
            by=county.superuser, name=name, id_number=valid_id(seq), employer=county.e1
        )
    page = browser_page
    sign_in(page, county.t1staff.username)
    page.goto("/people/")
    box = page.locator("input[name=q]")
    expect(box).to_have_attribute("placeholder", re.compile("part of it"))
    expect(page.locator("#search-help")).to_contain_text("a given name alone will do")

    box.fill("晓峰")
    box.press("End")  # the list refreshes on a key released in the box
    rows = page.locator("#object-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("易晓峰")
    expect(rows.nth(1)).to_contain_text("欧阳晓峰")
