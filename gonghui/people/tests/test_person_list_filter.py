"""The person list at county size: the union filter is a text field with suggestions from
the user's scope, and a broad search counts no further than the list's cap."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from gonghui.orgs.services import organisation_create
from gonghui.people import services
from gonghui.people.forms import UNION_SUGGESTIONS
from gonghui.people.views import PersonList

from .conftest import valid_id

LIST = reverse("people:person-list")
SUGGEST = reverse("people:union-suggestions")


def listed(client, **params) -> set[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return {obj.name for obj in response.context["object_list"]}


def suggested(client, term) -> list[str]:
    response = client.get(SUGGEST, {"union": term}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    return re.findall(r'<option value="([^"]+)">', response.content.decode())


# --- the union filter ------------------------------------------------------------------


def test_the_union_filter_is_a_text_field_not_a_list_of_every_union(people, client_for, county):
    page = client_for(county.admin).get(LIST).content.decode()

    assert not re.search(r'<select[^>]*name="union"', page)
    assert re.search(r'<input[^>]*name="union"[^>]*list="union-suggestions"', page)
    assert '<datalist id="union-suggestions">' in page
    assert county.g2.name not in page.split("<table")[0]


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("G1", {"张一"}),
        ("g2", {"李二"}),  # a code in any case
        ("东镇机械", {"张一"}),  # the start of a name
        ("东镇", {"张一", "李二"}),  # every union whose name starts so
        ("机械厂", set()),  # the middle of a name is not its start
        ("G", set()),  # part of a code is not a code
        ("", {"张一", "李二", "王三", "赵四"}),
    ],
)
def test_the_union_filter_matches_a_code_or_the_start_of_a_name(
    people, client_for, county, term, expected
):
    assert listed(client_for(county.admin), union=term) == expected


def test_the_union_filter_never_matches_a_union_outside_the_users_scope(people, client_for, county):
    client = client_for(county.chair1)  # G1's chair: sees 张一 and 赵四 (E1)

    assert listed(client, union="G1") == {"张一"}
    assert listed(client, union="G2") == set()
    assert listed(client, union="东镇纺织") == set()
    assert listed(client, union="东镇") == {"张一"}


def test_suggestions_offer_unions_in_scope_by_code_or_start_of_name(people, client_for, county):
    admin = client_for(county.admin)

    assert set(suggested(admin, "东镇")) == {"G1", "G2", "J1"}  # unions, not the township
    assert set(suggested(admin, "g")) == {"G1", "G2"}
    assert suggested(admin, "西镇") == []
    assert suggested(admin, "") == []
    assert suggested(client_for(county.chair1), "东镇") == ["G1"]


def test_suggestions_stop_at_a_handful(county, client_for):
    for n in range(UNION_SUGGESTIONS + 3):
        organisation_create(
            by=county.superuser,
            code=f"U{n:02d}",
            name=f"东镇商铺{n:02d}工会",
            kind="grassroots",
            parent=county.t1,
        )

    offered = suggested(client_for(county.admin), "东镇商铺")

    assert offered == [f"U{n:02d}" for n in range(UNION_SUGGESTIONS)]


def test_suggestions_need_the_right_to_see_people(county, client_for):
    assert client_for(county.outsider).get(SUGGEST, {"union": "东镇"}).status_code == 403


# --- a broad search --------------------------------------------------------------------


@pytest.fixture
def many_zhang(county):
    for n in range(7):
        services.person_create(
            by=county.admin, name=f"张{n}", id_number=valid_id(300 + n), employer=county.e1
        )
    services.person_create(
        by=county.admin, name="张外", id_number=valid_id(320), employer=county.e3
    )


def test_a_search_matching_more_than_the_cap_says_more_than_and_pages_forwards(
    many_zhang, client_for, county, monkeypatch
):
    monkeypatch.setattr(PersonList, "count_cap", 3)
    monkeypatch.setattr(PersonList, "paginate_by", 2)
    client = client_for(county.t1staff)  # T1: the seven at E1, not 张外 at E3 in T2

    names, page = [], 1
    while True:
        response = client.get(LIST, {"q": "张", "page": page})
        body = response.content.decode()
        assert "More than 3 records" in body
        names.extend(obj.name for obj in response.context["object_list"])
        if not response.context["page_obj"].has_next():
            break
        assert f"page={page + 1}" in body
        page += 1

    assert names == [f"张{n}" for n in range(7)]
    assert client.get(LIST, {"q": "张", "page": page + 1}).status_code == 404


def test_a_search_matching_fewer_than_the_cap_shows_the_exact_count(
    many_zhang, client_for, county, monkeypatch
):
    monkeypatch.setattr(PersonList, "paginate_by", 2)

    body = client_for(county.admin).get(LIST, {"q": "张"}).content.decode()

    assert "8 records" in body
    assert "Page 1 of 4" in body
    assert "More than" not in body
