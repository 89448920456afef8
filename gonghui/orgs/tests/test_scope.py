"""The scope rule through every route: a record outside the user's subtree does
not exist for them — not in the list, the search, the filters, the export, nor
at its own detail, edit, move or delete address.

Each "cannot" has a "can" beside it (the record's own staff reach it by the
same route), so that a test would notice a route that shows nothing to anyone.
"""

from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.core.creditcodes import make_credit_code
from gonghui.orgs.services import organisation_update

from .formdata import employer_form_data, organisation_form_data


def workbook_text(response) -> str:
    """Every cell of the downloaded workbook, one line per row."""
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(BytesIO(response.content)).active
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )


def table_html(response) -> str:
    """The list's table (the search box above it repeats the search term)."""
    return response.content.decode().split('id="object-table"', 1)[1]


def snapshot(record) -> dict:
    """The stored state of a record, to compare before and after a refused request."""
    return type(record).objects.filter(pk=record.pk).values().get()


@pytest.fixture
def county_with_codes(county):
    """The persona county, its grassroots unions registered as union legal persons."""
    for n, union in enumerate([county.g1, county.g2], start=1):
        organisation_update(
            by=county.superuser,
            organisation=union,
            credit_code=make_credit_code(f"81330100MA{n:07d}"),
        )
        union.refresh_from_db()
    return county


# --- employers -------------------------------------------------------------------

EMPLOYER_CASES = [
    # (who looks, whose employer they must not see, who may see it)
    pytest.param("t2staff", "e1", "t1staff", id="another-township"),
    pytest.param("t1staff", "e3", "t2staff", id="the-other-township"),
    pytest.param("chair1", "e2", "chair2", id="sibling-union"),
]


@pytest.mark.parametrize(("viewer", "target", "owner"), EMPLOYER_CASES)
def test_an_employer_outside_the_subtree_is_absent_from_list_search_and_export(
    county, client_for, viewer, target, owner
):
    employer = getattr(county, target)
    list_url = reverse("orgs:employer-list")
    routes = [
        {},
        {"q": employer.name},
        {"q": employer.name[:3]},
        {"q": employer.credit_code},
        {"q": employer.credit_code.lower()},
        {"township": employer.township_id},
        {"has_union": "no" if employer.union_id is None else "yes"},
    ]

    client = client_for(getattr(county, viewer))
    for query in routes:
        response = client.get(list_url, query)
        assert response.status_code == 200, query
        assert employer not in response.context["object_list"], query
        page = table_html(response)
        assert employer.name not in page, query
        assert employer.credit_code not in page, query
    exported = workbook_text(client.get(list_url, {"export": "xlsx"}))
    assert employer.name not in exported
    assert employer.credit_code not in exported

    client = client_for(getattr(county, owner))
    for query in [{}, {"q": employer.name}, {"q": employer.credit_code}]:
        response = client.get(list_url, query)
        assert employer in response.context["object_list"], query
        assert employer.credit_code in table_html(response), query
    exported = workbook_text(client.get(list_url, {"export": "xlsx"}))
    assert employer.name in exported
    assert employer.credit_code in exported


@pytest.mark.parametrize(("viewer", "target", "owner"), EMPLOYER_CASES)
def test_an_employer_outside_the_subtree_is_404_at_its_own_addresses(
    county, client_for, viewer, target, owner
):
    employer = getattr(county, target)
    before = snapshot(employer)
    detail = reverse("orgs:employer-detail", args=[employer.pk])
    edit = reverse("orgs:employer-update", args=[employer.pk])
    delete = reverse("orgs:employer-delete", args=[employer.pk])
    user = getattr(county, viewer)
    renamed = employer_form_data(employer, name="改名有限公司", employee_count=1)

    client = client_for(user)
    assert client.get(detail).status_code == 404
    assert client.get(edit).status_code == 404
    assert client.post(edit, renamed).status_code == 404
    # A chair may not delete employers at all; staff may, but not this one.
    assert client.post(delete).status_code == (
        404 if user.has_perm("orgs.delete_employer") else 403
    )

    assert snapshot(employer) == before
    client = client_for(getattr(county, owner))
    assert client.get(detail).status_code == 200
    assert client.get(edit).status_code == 200


# --- organisations ----------------------------------------------------------------

ORGANISATION_CASES = [
    pytest.param("t2staff", "t1", "t1staff", id="another-township"),
    pytest.param("t2staff", "g1", "t1staff", id="a-union-of-another-township"),
    pytest.param("chair1", "g2", "chair2", id="sibling-union"),
]


@pytest.mark.parametrize(("viewer", "target", "owner"), ORGANISATION_CASES)
def test_an_organisation_outside_the_subtree_is_absent_from_list_search_and_export(
    county_with_codes, client_for, viewer, target, owner
):
    county = county_with_codes
    organisation = getattr(county, target)
    list_url = reverse("orgs:organisation-list")
    routes = [
        {},
        {"q": organisation.name},
        {"q": organisation.code},
        {"kind": organisation.kind},
    ]
    if organisation.credit_code:
        routes.append({"q": organisation.credit_code})

    client = client_for(getattr(county, viewer))
    for query in routes:
        response = client.get(list_url, query)
        assert response.status_code == 200, query
        assert organisation not in response.context["object_list"], query
        assert organisation.name not in table_html(response), query
    exported = workbook_text(client.get(list_url, {"export": "xlsx"}))
    assert organisation.name not in exported

    client = client_for(getattr(county, owner))
    for query in routes:
        response = client.get(list_url, query)
        assert organisation in response.context["object_list"], query
        assert organisation.name in table_html(response), query
    assert organisation.name in workbook_text(client.get(list_url, {"export": "xlsx"}))


@pytest.mark.parametrize(("viewer", "target", "owner"), ORGANISATION_CASES)
def test_an_organisation_outside_the_subtree_is_404_at_its_own_addresses(
    county, client_for, viewer, target, owner
):
    organisation = getattr(county, target)
    before = snapshot(organisation)
    user = getattr(county, viewer)
    url = lambda name: reverse(f"orgs:organisation-{name}", args=[organisation.pk])  # noqa: E731
    out_of_scope = 404

    client = client_for(user)
    assert client.get(url("detail")).status_code == out_of_scope
    assert client.get(url("update")).status_code == out_of_scope
    response = client.post(url("update"), organisation_form_data(organisation, name="改名工会"))
    assert response.status_code == out_of_scope
    # Chairs hold neither the move nor the delete permission: 403 before any lookup.
    move_status = out_of_scope if user.has_perm("orgs.move_organisation") else 403
    assert client.get(url("move")).status_code == move_status
    assert client.post(url("move"), {"parent": user.organisation_id}).status_code == move_status
    delete_status = out_of_scope if user.has_perm("orgs.delete_organisation") else 403
    assert client.post(url("delete")).status_code == delete_status

    assert snapshot(organisation) == before
    client = client_for(getattr(county, owner))
    assert client.get(url("detail")).status_code == 200
    assert client.get(url("update")).status_code == 200


def test_the_detail_page_of_an_organisation_shows_only_units_in_scope(county, client_for):
    page = client_for(county.chair1).get(county.g1.get_absolute_url()).content.decode()
    assert county.g1.name in page
    assert county.g2.name not in page

    page = client_for(county.t1staff).get(county.t1.get_absolute_url()).content.decode()
    assert county.g1.name in page
    assert county.g2.name in page


# --- what each persona's lists hold ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "organisations", "employers"),
    [
        ("superuser", {"C", "T1", "T2", "G1", "G2", "J1"}, {"e1", "e2", "e3"}),
        ("admin", {"C", "T1", "T2", "G1", "G2", "J1"}, {"e1", "e2", "e3"}),
        ("leader", {"C", "T1", "T2", "G1", "G2", "J1"}, {"e1", "e2", "e3"}),
        ("t1staff", {"T1", "G1", "G2", "J1"}, {"e1", "e2"}),
        ("t2staff", {"T2"}, {"e3"}),
        ("chair1", {"G1"}, {"e1"}),
        ("chair2", {"G2"}, {"e2"}),
    ],
)
def test_each_persona_lists_exactly_their_subtree(
    county, client_for, persona, organisations, employers
):
    client = client_for(getattr(county, persona))

    listed = client.get(reverse("orgs:organisation-list")).context["object_list"]
    assert {org.code for org in listed} == organisations
    listed = client.get(reverse("orgs:employer-list")).context["object_list"]
    assert set(listed) == {getattr(county, name) for name in employers}


def test_a_staff_account_without_an_organisation_sees_empty_lists_and_no_record(county, client_for):
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    client = client_for(make_user("unplaced", None, Role.STAFF))

    for name in ["organisation-list", "employer-list"]:
        response = client.get(reverse(f"orgs:{name}"))
        assert response.status_code == 200
        assert list(response.context["object_list"]) == []
    exported = workbook_text(client.get(reverse("orgs:employer-list"), {"export": "xlsx"}))
    assert all(e.name not in exported for e in [county.e1, county.e2, county.e3])
    for record in [county.root, county.t1, county.g1, county.e1, county.e3]:
        assert client.get(record.get_absolute_url()).status_code == 404


def test_the_employer_form_offers_only_places_in_scope(county, client_for):
    form = client_for(county.chair1).get(reverse("orgs:employer-create")).context["form"]

    # A chair registers employers in their own township, covered by their own union.
    assert list(form.fields["township"].queryset) == [county.t1]
    assert list(form.fields["union"].queryset) == [county.g1]

    form = client_for(county.t2staff).get(reverse("orgs:employer-create")).context["form"]
    assert list(form.fields["township"].queryset) == [county.t2]
    assert list(form.fields["union"].queryset) == []
