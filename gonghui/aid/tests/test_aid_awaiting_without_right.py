"""The list "awaiting my decision" for an account that may not decide: it says so and
lists nothing, instead of silently dropping the filter and listing everything."""

from io import BytesIO

from openpyxl import load_workbook

from .conftest import relief_application
from .pages import duplicate_ids


def test_an_account_without_the_right_to_decide_is_told_and_shown_none(county, aid, client_for):
    relief_application(county, aid)
    assert not county.leader.has_perm("aid.approve_aidapplication")
    client = client_for(county.leader)
    assert len(client.get("/aid/").context["object_list"]) == 1

    response = client.get("/aid/?show=awaiting")

    assert response.status_code == 200
    assert list(response.context["object_list"]) == []
    assert [str(m) for m in response.context["messages"]] == [
        "You have no right to decide on aid applications, so none await your decision."
    ]
    assert duplicate_ids(response.content.decode()) == []


def test_the_export_of_awaiting_without_the_right_is_empty(county, aid, client_for):
    relief_application(county, aid)
    response = client_for(county.leader).get("/aid/?show=awaiting&export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    assert not any("张一" in str(cell.value) for row in sheet.iter_rows() for cell in row)


def test_an_approver_sees_what_awaits_them_and_no_warning(county, aid, client_for):
    application = relief_application(county, aid)
    response = client_for(aid.g1clerk).get("/aid/?show=awaiting")
    assert [a.pk for a in response.context["object_list"]] == [application.pk]
    assert list(response.context["messages"]) == []
    assert duplicate_ids(response.content.decode()) == []
