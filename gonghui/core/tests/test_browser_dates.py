"""Editing records in a real Chromium, in Chinese: a date the page holds comes back
after saving, and a field left alone keeps its value."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from gonghui.core.tests.test_browser import sign_in, switch_language
from gonghui.orgs.services import organisation_update
from gonghui.people.tests.conftest import people  # noqa: F401

pytestmark = pytest.mark.browser

FOUNDED = date(2005, 4, 7)


def test_an_organisations_founding_date_is_kept_when_it_is_edited_in_chinese(
    live_server, county, browser_page
):
    organisation_update(by=county.admin, organisation=county.g1, founded_on=FOUNDED)
    page = browser_page
    sign_in(page, county.t1staff.username)
    switch_language(page, "zh-hans")

    page.goto(reverse("orgs:organisation-update", args=[county.g1.pk]))
    expect(page.locator("input[name=founded_on]")).to_have_value("2005-04-07")
    page.fill("input[name=contact_name]", "孙主席")
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/orgs/{county.g1.pk}/$"))

    county.g1.refresh_from_db()
    assert county.g1.contact_name == "孙主席"
    assert county.g1.founded_on == FOUNDED
    expect(page.locator("main")).to_contain_text("2005-04-07")


def test_changing_a_workers_job_in_chinese_keeps_the_rest_of_the_file(
    live_server,
    county,
    people,  # noqa: F811
    browser_page,
):
    person = people.p1
    person.ethnicity, person.education, person.job_title = "01", "junior_secondary", "车工"
    person.new_form_group = "courier"
    person.save()
    page = browser_page
    sign_in(page, county.chair1.username)
    switch_language(page, "zh-hans")

    page.goto(reverse("people:person-update", args=[person.pk]))
    expect(page.locator("input[name=name]")).to_have_value(person.name)
    page.fill("input[name=job_title]", "钳工")
    page.locator("form.object-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/people/{person.pk}/$"))

    person.refresh_from_db()
    assert person.job_title == "钳工"
    assert (person.name, person.ethnicity, person.education) == ("张一", "01", "junior_secondary")
    assert person.employer == county.e1
    assert person.new_form_group == "courier"
