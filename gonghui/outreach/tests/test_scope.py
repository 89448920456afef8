"""Lists, searches and exports hold only the records of the user's subtree."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.outreach import services

from .conftest import SUMMER, line

LISTS = {
    "delivery-list": ("d1", "d3"),
    "visit-list": ("v1", "v3"),
    "wish-list": ("w1", "w3"),
}


@pytest.mark.parametrize("url_name", LISTS)
def test_a_township_lists_its_own_records_and_not_the_other_townships(
    county, client_for, outreach, url_name
):
    own, other = (getattr(outreach, name) for name in LISTS[url_name])

    t1 = client_for(county.t1staff).get(reverse(f"outreach:{url_name}"))
    t2 = client_for(county.t2staff).get(reverse(f"outreach:{url_name}"))

    t1_ids = {obj.pk for obj in t1.context["object_list"]}
    t2_ids = {obj.pk for obj in t2.context["object_list"]}
    assert own.pk in t1_ids and other.pk not in t1_ids
    assert other.pk in t2_ids and own.pk not in t2_ids


@pytest.mark.parametrize("url_name", LISTS)
def test_an_export_holds_only_the_records_in_scope(county, client_for, outreach, url_name):
    response = client_for(county.t2staff).get(reverse(f"outreach:{url_name}"), {"export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))  # below the title row
    assert len(rows) == 2  # the header and T2's one record


def test_a_search_does_not_reach_past_the_scope(county, client_for, outreach):
    response = client_for(county.chair2).get(reverse("outreach:wish-list"), {"q": "电风扇"})

    assert list(response.context["object_list"]) == []


def test_the_leader_reads_everything_and_is_offered_no_add_button(county, client_for, outreach):
    response = client_for(county.leader).get(reverse("outreach:wish-list"))

    assert response.context["paginator"].count == 3
    assert reverse("outreach:wish-create") not in response.content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_a_list_reads_in_a_fixed_number_of_queries(county, client_for, outreach, url_name):
    client = client_for(county.admin)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse(f"outreach:{url_name}"))
    people = outreach.people
    for n in range(6):
        services.delivery_create(
            by=county.chair1,
            organisation=county.g1,
            campaign_name="夏送清凉",
            campaign_year=2025,
            delivered_on=SUMMER,
            workers_reached=n,
            employer=county.e1,
            lines=[line()],
        )
        services.visit_create(
            by=county.chair1,
            organisation=county.g1,
            visited_on=SUMMER,
            occasion="other",
            person=people.p1,
            visitor_names="某人",
        )
        wish = services.wish_post(
            by=county.chair1, organisation=county.g1, person=people.p1, text="x", estimated_value=1
        )
        services.wish_claim(by=county.chair1, wish=wish, donor_employer=county.e1)

    with CaptureQueriesContext(connection) as more:
        client.get(reverse(f"outreach:{url_name}"))

    assert len(more) == len(few)


def test_the_persons_page_reads_visits_and_wishes_in_a_fixed_number_of_queries(
    county, client_for, outreach
):
    client = client_for(county.chair1)
    person = outreach.people.p1
    with CaptureQueriesContext(connection) as few:
        client.get(person.get_absolute_url())
    for _n in range(5):
        services.visit_create(
            by=county.chair1,
            organisation=county.g1,
            visited_on=SUMMER,
            occasion="other",
            person=person,
            visitor_names="某人",
        )
        services.wish_post(
            by=county.chair1, organisation=county.g1, person=person, text="x", estimated_value=1
        )

    with CaptureQueriesContext(connection) as more:
        client.get(person.get_absolute_url())

    assert len(more) == len(few)
