"""The list of employers that should have a union and have none: scope, threshold, export."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

LIST = reverse("coverage:uncovered")


def listed(client, **params) -> list[str]:
    response = client.get(LIST, params)
    assert response.status_code == 200
    return [obj.name for obj, _values in response.context["rows"]]


def test_only_employers_of_25_or_more_without_a_union_largest_first(extra, county, client_for):
    # E3 (60, T2) and E5 (30, T2); E6 has 5 employees, the others have a union.
    assert listed(client_for(county.admin)) == ["西镇物流有限公司", "西镇快递有限公司"]


def test_the_threshold_is_a_parameter(extra, county, client_for):
    client = client_for(county.admin)

    assert listed(client, min_employees="5") == [
        "西镇物流有限公司",
        "西镇快递有限公司",
        "西镇便利店",
    ]
    assert listed(client, min_employees="31") == ["西镇物流有限公司"]


def test_each_user_sees_only_their_scope(extra, county, client_for):
    assert listed(client_for(county.t2staff)) == ["西镇物流有限公司", "西镇快递有限公司"]
    # T1 has no employer without a union; a chair's employers all have one (theirs).
    assert listed(client_for(county.t1staff)) == []
    assert listed(client_for(county.chair1)) == []


def test_filters_and_search_narrow_the_list(extra, county, client_for):
    client = client_for(county.admin)

    assert listed(client, industry="G") == ["西镇快递有限公司"]
    assert listed(client, q="物流") == ["西镇物流有限公司"]
    assert listed(client, township=str(county.t1.pk)) == []


def test_the_export_holds_the_same_rows(extra, county, client_for):
    response = client_for(county.t2staff).get(LIST, {"export": "xlsx", "min_employees": "5"})

    assert response.status_code == 200
    _title, header, *rows = load_workbook(BytesIO(response.content)).active.iter_rows(
        values_only=True
    )
    assert header[:5] == (
        "name",
        "unified social credit code",
        "township / street",
        "industry",
        "employees",
    )
    assert [(row[0], row[4]) for row in rows] == [
        ("西镇物流有限公司", 60),
        ("西镇快递有限公司", 30),
        ("西镇便利店", 5),
    ]
    assert all(row[2] == "西镇总工会" for row in rows)


def test_the_overview_links_to_the_list_with_its_threshold(extra, county, client_for):
    page = client_for(county.admin).get(reverse("coverage:overview"), {"min_employees": "30"})

    assert f'href="{LIST}?min_employees=30"' in page.content.decode()
