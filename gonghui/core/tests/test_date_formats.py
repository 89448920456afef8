"""Dates and times read one way across the interface, in Chinese as in English:
``2005-04-07`` and ``2005-04-07 14:30`` (``gonghui.formats``)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse

from gonghui.orgs.services import organisation_update
from gonghui.outreach.tests.conftest import outreach, people  # noqa: F401

# A date written the Chinese way (2005年4月7日) or the English way (April 7, 2005).
OTHER_DATE_FORMS = re.compile(r"\d{4}年\d{1,2}月|\b[A-Z][a-z]{2,8}\.? \d{1,2}, \d{4}")


@pytest.fixture(params=["zh-hans", "en"])
def language(request):
    return request.param


def test_a_record_page_shows_its_dates_and_its_history_one_way(county, client_for, language):
    organisation_update(by=county.admin, organisation=county.g1, founded_on=date(2005, 4, 7))
    client = client_for(county.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(county.g1.get_absolute_url()).content.decode()

    assert "2005-04-07" in page
    assert not OTHER_DATE_FORMS.search(page)
    history = page.split('id="history"', 1)[1]
    when = re.findall(r"<td>(\d{4}-\d{2}-\d{2} [\d:]+)</td>", history)
    assert when, "the history shows no time"
    assert all(re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", moment) for moment in when)


def test_a_list_shows_its_dates_one_way(county, client_for, outreach, language):  # noqa: F811
    client = client_for(county.admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language

    page = client.get(reverse("outreach:delivery-list")).content.decode()

    assert "2025-07-15" in page
    assert not OTHER_DATE_FORMS.search(page)


def test_a_date_typed_in_iso_is_read_in_chinese(county, client_for):
    client = client_for(county.t1staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    url = reverse("orgs:organisation-update", args=[county.g1.pk])

    response = client.post(url, {"code": "G1", "name": county.g1.name, "founded_on": "2005-04-07"})

    assert response.status_code == 302
    county.g1.refresh_from_db()
    assert county.g1.founded_on == date(2005, 4, 7)


def test_the_chinese_join_approval_offers_its_date_as_a_browser_reads_it(
    county,
    client_for,
    people,  # noqa: F811
):
    client = client_for(county.chair1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    page = client.get(reverse("people:application-approve", args=[people.a4.pk])).content.decode()

    joined_on = re.search(r'<input type="date" name="joined_on" value="([^"]*)"', page)
    assert joined_on, "the approval form has no date of joining"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", joined_on.group(1))
