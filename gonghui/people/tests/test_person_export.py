"""Excel export of the person list: masked numbers, the user's scope only."""

from __future__ import annotations

from io import BytesIO

from django.urls import reverse
from openpyxl import load_workbook

from .conftest import valid_id, valid_phone

LIST = reverse("people:person-list")


def exported(client, **params) -> list[tuple]:
    response = client.get(LIST, {"export": "xlsx", **params})
    assert response.status_code == 200
    # The header and the rows, below the title row.
    sheet = load_workbook(BytesIO(response.content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_the_export_masks_id_numbers_and_phones(people, client_for, county):
    rows = exported(client_for(county.admin))

    header, *body = rows
    assert header[:5] == ("name", "ID number", "gender", "date of birth", "mobile phone")
    by_name = {row[0]: row for row in body}
    assert by_name["张一"][1] == "330***********" + valid_id(1)[-4:]
    assert by_name["张一"][4] == "139****0001"
    cells = " ".join(str(cell) for row in rows for cell in row)
    for n in (1, 2, 3, 4):
        assert valid_id(n) not in cells
        assert valid_phone(n) not in cells


def test_the_export_holds_only_the_users_scope(people, client_for, county):
    names = [row[0] for row in exported(client_for(county.chair1))[1:]]

    assert sorted(names) == sorted(["张一", "赵四"])


def test_the_export_follows_the_search(people, client_for, county):
    names = [row[0] for row in exported(client_for(county.admin), q=valid_id(3)[-4:])[1:]]

    assert names == ["王三"]
