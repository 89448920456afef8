"""Every coverage page × every persona → the expected answer.

The coverage permission goes to county administrators, union staff, chairs and
leaders (``coverage.apps``); the specialist roles and users without a role get
403, signed-out visitors the sign-in page. Inside the pages the scope decides
what is counted (test_coverage_recount.py, test_uncovered_employers.py).
"""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from gonghui.accounts.models import Role
from gonghui.conftest import make_user

URL_NAMES = ("overview", "uncovered")
EXPECTED = {
    "superuser": 200,
    "admin": 200,
    "leader": 200,
    "t1staff": 200,
    "t2staff": 200,
    "chair1": 200,
    "chair2": 200,
    "outsider": 403,
    "mediator": 403,
    "anonymous": "login",
}


def test_every_page_of_the_app_is_in_the_matrix():
    names = {
        name
        for name in get_resolver().namespace_dict["coverage"][1].reverse_dict
        if isinstance(name, str)
    }
    assert names == set(URL_NAMES)


@pytest.mark.parametrize("url_name", URL_NAMES)
@pytest.mark.parametrize(("persona", "expected"), EXPECTED.items())
def test_access(county, client, client_for, url_name, persona, expected):
    if persona == "mediator":
        client = client_for(make_user("mediator", county.root, Role.MEDIATOR))
    elif persona != "anonymous":
        client = client_for(getattr(county, persona))
    url = reverse(f"coverage:{url_name}")

    response = client.get(url)

    if expected == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected


def test_the_navigation_offers_coverage_to_those_who_may_see_it(county, client_for):
    overview = reverse("coverage:overview")
    assert overview in client_for(county.leader).get(reverse("core:home")).content.decode()
    mediator = make_user("mediator", county.root, Role.MEDIATOR)
    assert overview not in client_for(mediator).get(reverse("core:home")).content.decode()
