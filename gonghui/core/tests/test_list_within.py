"""``?within=<organisation>`` on every list of records placed in the tree: the rows of
that organisation's subtree alone, as an organisation page's figures link to them;
an organisation outside the reader's scope, or not a number, answers 404."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

EMPLOYERS = reverse("orgs:employer-list")


def names(response) -> set[str]:
    return {employer.name for employer in response.context["object_list"]}


def test_a_list_within_an_organisation_shows_its_subtree_alone(county, client_for):
    client = client_for(county.admin)

    page = client.get(EMPLOYERS, {"within": county.g1.pk})

    assert names(page) == {county.e1.name}
    assert names(client.get(EMPLOYERS, {"within": county.t1.pk})) == {
        county.e1.name,
        county.e2.name,
    }
    assert names(client.get(EMPLOYERS, {"within": county.t2.pk})) == {county.e3.name}
    body = page.content.decode()
    # The search and the filters keep it; the reader is told, and can leave it.
    assert f'<input type="hidden" name="within" value="{county.g1.pk}">' in body
    assert f"Only {county.g1.name} and the units under it." in body
    assert f'<a href="{EMPLOYERS}">Show all in your scope</a>' in body


def test_a_search_within_an_organisation_stays_within_it(county, client_for):
    page = client_for(county.admin).get(EMPLOYERS, {"within": county.t2.pk, "q": "东镇"})

    assert names(page) == set()


@pytest.mark.parametrize("value", ["parent", "sibling", "x", "1.5", "٣", "9" * 30, ""])
def test_an_organisation_outside_the_scope_or_not_a_number_answers_404(county, client_for, value):
    chair = client_for(county.chair1)
    within = {"parent": county.t1.pk, "sibling": county.g2.pk}.get(value, value)

    response = chair.get(EMPLOYERS, {"within": within})

    assert response.status_code == 404
    assert county.t1.name not in response.content.decode()
    assert chair.get(EMPLOYERS, {"within": county.g1.pk}).status_code == 200


def test_the_export_names_the_organisation_and_holds_its_rows_alone(county, client_for):
    export = client_for(county.admin).get(EMPLOYERS, {"within": county.g1.pk, "export": "xlsx"})

    title, _header, *body = load_workbook(BytesIO(export.content)).active.iter_rows(
        values_only=True
    )
    assert f"within: {county.g1.name}" in title[0]
    assert [row[0] for row in body] == [county.e1.name]


def test_a_list_of_records_not_placed_in_the_tree_ignores_it(county, client_for):
    response = client_for(county.admin).get(reverse("honours:title-list"), {"within": county.g1.pk})

    assert response.status_code == 200
