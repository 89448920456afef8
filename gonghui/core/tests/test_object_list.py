"""The console list pages (``core.views.ObjectListView``), seen through the
employer list: pagination, search, filters, the htmx fragment and a query
count that does not grow with the rows."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.conftest import credit_code
from gonghui.orgs.models import Employer
from gonghui.orgs.services import employer_create

LIST = reverse("orgs:employer-list")


def add_employers(county, count: int, *, start: int = 100, **fields) -> list[Employer]:
    defaults = {
        "industry": "F",
        "ownership": "non_public",
        "employee_count": 10,
        "township": county.t1,
        "union": county.j1,
    }
    return [
        employer_create(
            by=county.superuser,
            credit_code=credit_code(n),
            name=f"东镇商户{n:03d}",
            **{**defaults, **fields},
        )
        for n in range(start, start + count)
    ]


def listed(response) -> list[Employer]:
    assert response.status_code == 200
    return list(response.context["object_list"])


# --- pagination --------------------------------------------------------------------


def test_a_long_list_is_cut_into_pages_that_together_hold_every_row(county, client_for):
    add_employers(county, settings.PAGE_SIZE + 3)  # with E1 and E2: two pages, 5 on the last
    client = client_for(county.t1staff)

    first = client.get(LIST)
    second = client.get(LIST, {"page": 2})

    assert len(listed(first)) == settings.PAGE_SIZE
    assert len(listed(second)) == 5
    assert set(listed(first)).isdisjoint(listed(second))
    assert set(listed(first)) | set(listed(second)) == set(
        Employer.objects.for_user(county.t1staff)
    )
    assert "Page 1 of 2" in first.content.decode()
    assert f"{settings.PAGE_SIZE + 5} records" in first.content.decode()
    assert client.get(LIST, {"page": 3}).status_code == 404


def test_the_page_links_keep_the_search_and_filters(county, client_for):
    add_employers(county, settings.PAGE_SIZE + 1, union=None)

    page = client_for(county.t1staff).get(LIST, {"has_union": "no", "q": "商户"}).content.decode()

    assert "?has_union=no&amp;q=%E5%95%86%E6%88%B7&amp;page=2" in page


# --- search ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("机械", {"e1"}),  # part of the name
        ("有限公司", {"e1", "e2", "e3"}),
        ("credit-code-of-e2", {"e2"}),
        ("lower-credit-code-of-e3", {"e3"}),
        ("91330100", set()),  # part of a code: codes are matched whole
        ("没有这个名字", set()),
    ],
)
def test_search_finds_by_part_of_the_name_or_the_whole_credit_code(
    county, client_for, query, expected
):
    query = {
        "credit-code-of-e2": county.e2.credit_code,
        "lower-credit-code-of-e3": county.e3.credit_code.lower(),
    }.get(query, query)

    response = client_for(county.leader).get(LIST, {"q": query})

    assert set(listed(response)) == {getattr(county, name) for name in expected}
    if not expected:
        assert "Nothing found." in response.content.decode()


# --- filters -----------------------------------------------------------------------


@pytest.fixture
def varied(county):
    """E1 large manufacturer, E2 small retailer, E3 mid-size without a union."""
    Employer.objects.filter(pk=county.e1.pk).update(employee_count=300)
    Employer.objects.filter(pk=county.e2.pk).update(employee_count=8, industry="F")
    Employer.objects.filter(pk=county.e3.pk).update(employee_count=100)
    return county


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"e1", "e2", "e3"}),
        ({"township": "t1"}, {"e1", "e2"}),
        ({"township": "t2"}, {"e3"}),
        ({"industry": "C"}, {"e1", "e3"}),
        ({"industry": "F"}, {"e2"}),
        ({"has_union": "no"}, {"e3"}),
        ({"has_union": "yes"}, {"e1", "e2"}),
        ({"min_employees": "100"}, {"e1", "e3"}),
        ({"min_employees": "101"}, {"e1"}),
        ({"min_employees": "0"}, {"e1", "e2", "e3"}),
        ({"township": "t1", "min_employees": "10"}, {"e1"}),
        ({"has_union": "no", "industry": "F"}, set()),
        ({"has_union": "no", "q": "物流"}, {"e3"}),
    ],
)
def test_filters_narrow_the_list(varied, client_for, filters, expected):
    county = varied
    query = {k: getattr(county, v).pk if k == "township" else v for k, v in filters.items()}

    response = client_for(county.leader).get(LIST, query)

    assert set(listed(response)) == {getattr(county, name) for name in expected}


def test_a_bad_filter_value_is_explained_and_ignored(county, client_for):
    response = client_for(county.leader).get(LIST, {"min_employees": "many"})

    assert set(listed(response)) == {county.e1, county.e2, county.e3}
    assert "At least employees: Enter a whole number." in response.content.decode()


# --- htmx --------------------------------------------------------------------------


def test_an_htmx_request_for_the_table_gets_only_the_table(county, client_for):
    client = client_for(county.leader)
    headers = {"HX-Request": "true", "HX-Target": "object-table"}

    fragment = client.get(LIST, {"has_union": "no"}, headers=headers)
    page = client.get(LIST, {"has_union": "no"})

    assert [t.name for t in fragment.templates][0] == "core/_object_table.html"
    body = fragment.content.decode()
    assert "<html" not in body
    assert "<table" in body
    assert county.e3.name in body
    assert county.e1.name not in body
    assert "<html" in page.content.decode()
    # The fragment also brings the export link, out of band, to its place above the table.
    table, export_link = body.split('<a class="button" id="export-link"')
    assert table.strip() in page.content.decode()
    assert 'href="?has_union=no&amp;export=xlsx" hx-swap-oob="true"' in export_link


def test_an_htmx_request_for_another_target_gets_the_whole_page(county, client_for):
    response = client_for(county.leader).get(
        LIST, headers={"HX-Request": "true", "HX-Target": "content"}
    )

    assert "<html" in response.content.decode()


# --- queries -----------------------------------------------------------------------


def test_the_number_of_queries_does_not_grow_with_the_rows(
    county, client_for, django_assert_max_num_queries
):
    client = client_for(county.t1staff)
    client.get(LIST)  # the session and permission caches warm up alike for both counts
    with CaptureQueriesContext(connection) as few_rows:
        assert len(listed(client.get(LIST))) == 2

    add_employers(county, settings.PAGE_SIZE)
    add_employers(county, 5, start=500, union=None)

    with django_assert_max_num_queries(len(few_rows)):
        assert len(listed(client.get(LIST))) == settings.PAGE_SIZE
    with django_assert_max_num_queries(len(few_rows)):
        assert len(listed(client.get(reverse("orgs:organisation-list")))) == 4
