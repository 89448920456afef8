"""A list that opts in to a count cap (``ObjectListView.count_cap``) counts no further
than the cap, says "more than", and pages forwards; below the cap it counts exactly.
Seen through the employer list with a small cap and small pages."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gonghui.conftest import credit_code
from gonghui.orgs.models import Employer
from gonghui.orgs.services import employer_create
from gonghui.orgs.views import EmployerList

LIST = reverse("orgs:employer-list")
CAP = 5
PER_PAGE = 2


@pytest.fixture
def capped(monkeypatch):
    monkeypatch.setattr(EmployerList, "count_cap", CAP)
    monkeypatch.setattr(EmployerList, "paginate_by", PER_PAGE)


def add_employers(county, count: int) -> None:
    for n in range(100, 100 + count):
        employer_create(
            by=county.superuser,
            credit_code=credit_code(n),
            name=f"东镇商户{n:03d}",
            industry="F",
            ownership="non_public",
            employee_count=10,
            township=county.t1,
            union=county.j1,
        )


def next_link(page: str) -> str | None:
    match = re.search(r'<a href="\?([^"]*page=(\d+))"[^>]*>Next', page)
    return match.group(2) if match else None


def test_a_list_longer_than_the_cap_says_more_than_and_pages_forwards_through_every_row(
    capped, county, client_for
):
    add_employers(county, CAP + 4)  # with E1 and E2: CAP + 6 rows, six pages of two
    client = client_for(county.t1staff)
    expected = list(Employer.objects.for_user(county.t1staff).order_by("name", "pk"))

    seen, page_number, pages = [], "1", []
    while page_number is not None:
        response = client.get(LIST, {"page": page_number})
        assert response.status_code == 200
        body = response.content.decode()
        pages.append(body)
        seen.extend(response.context["object_list"])
        page_number = next_link(body)

    assert seen == expected
    assert len(pages) == 6
    for number, body in enumerate(pages, start=1):
        assert f"More than {CAP} records" in body
        assert f"Page {number}<" in body
        assert " of " not in body.split('class="pager"')[1]
    assert "Previous" not in pages[0]
    assert "Previous" in pages[-1]


def test_a_page_past_the_end_of_a_capped_list_is_not_found(capped, county, client_for):
    add_employers(county, CAP + 4)
    client = client_for(county.t1staff)

    assert client.get(LIST, {"page": 6}).status_code == 200
    assert client.get(LIST, {"page": 7}).status_code == 404
    assert client.get(LIST, {"page": 0}).status_code == 404
    assert client.get(LIST, {"page": "x"}).status_code == 404


def test_a_capped_list_still_keeps_to_the_users_scope(capped, county, client_for):
    add_employers(county, CAP + 4)  # all in T1
    response = client_for(county.t2staff).get(LIST)

    assert list(response.context["object_list"]) == [county.e3]
    assert "1 record" in response.content.decode()


def test_a_list_of_exactly_the_cap_shows_the_exact_count_and_the_number_of_pages(
    capped, county, client_for
):
    add_employers(county, CAP - 2)  # with E1 and E2: exactly CAP rows
    body = client_for(county.t1staff).get(LIST).content.decode()

    assert f"{CAP} records" in body
    assert "More than" not in body
    assert "Page 1 of 3" in body


def test_a_list_without_a_cap_counts_every_row(county, client_for, monkeypatch):
    monkeypatch.setattr(EmployerList, "paginate_by", PER_PAGE)
    add_employers(county, CAP + 4)

    body = client_for(county.t1staff).get(LIST).content.decode()

    assert f"{CAP + 6} records" in body
    assert "Page 1 of 6" in body
