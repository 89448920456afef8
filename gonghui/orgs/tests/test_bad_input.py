"""Bad input through the pages: every refusal is a clear message and leaves the
database exactly as it was."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.accounts.models import Role
from gonghui.conftest import credit_code, make_user
from gonghui.core.scope import path_segment
from gonghui.orgs.models import Employer, Organisation
from gonghui.orgs.services import organisation_create, organisation_delete, organisation_move

from .formdata import employer_form_data, organisation_form_data


def database_state() -> dict:
    """Every organisation and employer as stored, to compare before and after."""
    return {
        "organisations": list(Organisation.objects.order_by("pk").values()),
        "employers": list(Employer.objects.order_by("pk").values()),
    }


def new_employer_data(county, **changes) -> dict:
    data = {
        "credit_code": credit_code(99),
        "name": "东镇新材料有限公司",
        "industry": "C",
        "ownership": "non_public",
        "employee_count": "30",
        "township": county.t1.pk,
        "union": county.g1.pk,
        "address": "",
        "legal_representative": "",
    }
    return {**data, **changes}


def field_errors(response, field: str) -> list[str]:
    assert response.status_code == 200, "the form is shown again"
    return response.context["form"].errors.get(field, [])


def assert_tree_consistent() -> None:
    """Each path is the parent's path plus the organisation's own segment."""
    for org in Organisation.objects.select_related("parent"):
        parent_path = org.parent.path if org.parent else ""
        assert org.path == parent_path + path_segment(org.pk), org.code
        assert org.depth == (org.parent.depth + 1 if org.parent else 0), org.code


# --- credit codes on the employer form ----------------------------------------------


def test_a_mistyped_credit_code_is_refused_on_its_field(county, client_for):
    good = credit_code(99)
    typo = good[:-1] + ("1" if good[-1] == "0" else "0")  # a wrong check character
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-create"), new_employer_data(county, credit_code=typo)
    )

    assert field_errors(response, "credit_code") == [
        "The check character does not match: please check the code for typing errors."
    ]
    assert database_state() == before


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91330100", "A unified social credit code has 18 characters; this one has 8."),
        ("9133010000000001IO", "The character “I” cannot appear in a unified social credit code."),
        ("0133010000000001X0", "The first character (registration authority) cannot be 0."),
        (
            "9133A1000000000100",
            "Characters 3 to 8 (the administrative division code) must be digits.",
        ),
    ],
)
def test_each_kind_of_malformed_credit_code_gets_its_own_message(county, client_for, code, message):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-create"), new_employer_data(county, credit_code=code)
    )

    assert field_errors(response, "credit_code") == [message]
    assert database_state() == before


def test_an_invalid_credit_code_on_the_edit_page_changes_nothing(county, client_for):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-update", args=[county.e1.pk]),
        employer_form_data(county.e1, credit_code=county.e1.credit_code[:-1], name="改名"),
    )

    assert field_errors(response, "credit_code")
    county.e1.refresh_from_db()
    assert county.e1.name == "东镇机械有限公司"
    assert database_state() == before


def test_a_credit_code_typed_with_spaces_dashes_and_lower_case_is_stored_normalised(
    county, client_for
):
    code = credit_code(77)
    typed = f" {code[:6]}-{code[6:12].lower()} {code[12:]} "

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-create"), new_employer_data(county, credit_code=typed)
    )

    employer = Employer.objects.get(credit_code=code)
    assert response.status_code == 302
    assert response["Location"] == employer.get_absolute_url()


def test_a_duplicate_credit_code_is_refused_and_nothing_is_created(county, client_for):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-create"),
        new_employer_data(county, credit_code=county.e1.credit_code.lower()),
    )

    assert field_errors(response, "credit_code") == [
        "An employer with this credit code is already registered."
    ]
    assert database_state() == before


def test_an_employer_cannot_be_given_another_employers_credit_code(county, client_for):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:employer-update", args=[county.e2.pk]),
        employer_form_data(county.e2, credit_code=county.e1.credit_code),
    )

    assert field_errors(response, "credit_code") == [
        "An employer with this credit code is already registered."
    ]
    assert database_state() == before


def test_a_union_credit_code_must_begin_with_81(county, client_for):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:organisation-update", args=[county.g1.pk]),
        organisation_form_data(county.g1, credit_code=credit_code(5)),
    )

    assert field_errors(response, "credit_code") == [
        "A trade union legal person's credit code begins with 81."
    ]
    assert database_state() == before


# --- places outside the user's scope ---------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "changes", "field"),
    [
        pytest.param("chair1", {"union": "g2"}, "union", id="chair-picks-the-sibling-union"),
        pytest.param("chair1", {"township": "t2", "union": ""}, "township", id="chair-other-town"),
        pytest.param(
            "t2staff", {"township": "t2", "union": "g1"}, "union", id="staff-other-towns-union"
        ),
        pytest.param("t2staff", {"township": "t1", "union": ""}, "township", id="staff-other-town"),
    ],
)
def test_a_place_outside_the_scope_chosen_in_a_post_is_refused(
    county, client_for, persona, changes, field
):
    before = database_state()
    data = new_employer_data(
        county, **{k: getattr(county, v).pk if v else "" for k, v in changes.items()}
    )

    response = client_for(getattr(county, persona)).post(reverse("orgs:employer-create"), data)

    assert field_errors(response, field) == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert database_state() == before


def test_moving_an_employer_to_another_towns_union_on_the_edit_page_is_refused(county, client_for):
    before = database_state()

    response = client_for(county.chair1).post(
        reverse("orgs:employer-update", args=[county.e1.pk]),
        employer_form_data(county.e1, union=county.g2.pk),
    )

    assert field_errors(response, "union")
    assert database_state() == before


def test_an_organisation_cannot_be_created_under_a_parent_outside_the_scope(county, client_for):
    before = database_state()

    response = client_for(county.t2staff).post(
        reverse("orgs:organisation-create"),
        {"code": "G9", "name": "越界工会", "kind": "grassroots", "parent": county.t1.pk},
    )

    assert field_errors(response, "parent")
    assert database_state() == before


def test_an_organisation_of_a_kind_not_allowed_under_the_parent_is_refused(county, client_for):
    before = database_state()

    response = client_for(county.t1staff).post(
        reverse("orgs:organisation-create"),
        {"code": "T9", "name": "镇下之镇", "kind": "township", "parent": county.t1.pk},
    )

    assert field_errors(response, "parent") == [
        "A Township / street federation cannot stand under Township / street federation."
    ]
    assert database_state() == before


# --- the tree ----------------------------------------------------------------------


@pytest.fixture
def industry(county):
    """An industry union under T1, with a grassroots union under it."""
    industry = organisation_create(
        by=county.superuser, code="I1", name="东镇商贸行业工会", kind="industry", parent=county.t1
    )
    organisation_create(
        by=county.superuser, code="G3", name="东镇超市工会", kind="grassroots", parent=industry
    )
    return industry


@pytest.mark.parametrize(
    "new_parent",
    [
        pytest.param("t1", id="under-itself"),
        pytest.param("g1", id="under-its-own-union"),
        pytest.param("industry", id="under-its-own-industry-union"),
    ],
)
def test_a_move_that_would_make_a_loop_is_refused_and_no_path_changes(
    county, industry, client_for, new_parent
):
    target = industry if new_parent == "industry" else getattr(county, new_parent)
    before = database_state()

    response = client_for(county.admin).post(
        reverse("orgs:organisation-move", args=[county.t1.pk]), {"parent": target.pk}
    )

    assert field_errors(response, "parent")
    assert database_state() == before


def test_the_service_explains_a_loop(county, industry):
    before = database_state()

    for new_parent in [county.t1, county.g1, industry]:
        with pytest.raises(ValidationError) as refused:
            organisation_move(by=county.superuser, organisation=county.t1, new_parent=new_parent)
        assert refused.value.message_dict["parent"] == [
            "An organisation cannot be moved under itself or one of its own units."
        ]

    assert database_state() == before


def test_a_move_under_a_kind_that_may_not_hold_it_is_refused(county, client_for):
    before = database_state()

    response = client_for(county.admin).post(
        reverse("orgs:organisation-move", args=[county.t1.pk]), {"parent": county.t2.pk}
    )

    assert field_errors(response, "parent") == [
        "A Township / street federation cannot stand under Township / street federation."
    ]
    assert database_state() == before


@pytest.mark.parametrize(
    ("target", "message"),
    [
        pytest.param(
            "t1", "“东镇总工会” still has organisations under it", id="with-units-under-it"
        ),
        pytest.param("g2", "“东镇纺织厂工会” still has employers", id="with-employers"),
    ],
)
def test_an_organisation_that_is_not_empty_is_not_deleted(county, client_for, target, message):
    organisation = getattr(county, target)
    before = database_state()

    response = client_for(county.admin).post(
        reverse("orgs:organisation-delete", args=[organisation.pk]), follow=True
    )

    assert response.redirect_chain == [(organisation.get_absolute_url(), 302)]
    assert message in response.content.decode()
    assert database_state() == before


def test_an_empty_organisation_is_deleted(county, client_for):
    response = client_for(county.admin).post(
        reverse("orgs:organisation-delete", args=[county.j1.pk]), follow=True
    )

    assert response.redirect_chain == [(reverse("orgs:organisation-list"), 302)]
    assert "“东镇新业态联合工会” deleted." in response.content.decode()
    assert not Organisation.objects.filter(pk=county.j1.pk).exists()


def test_nobody_deletes_their_own_organisation(county):
    j1staff = make_user("j1staff", county.j1, Role.STAFF)

    with pytest.raises(PermissionDenied):
        organisation_delete(by=j1staff, organisation=county.j1)

    assert Organisation.objects.filter(pk=county.j1.pk).exists()


# --- a move rewrites the subtree and the scope follows ---------------------------------


def test_moving_a_union_to_another_township_moves_its_scope(county, client_for):
    organisation_move(by=county.admin, organisation=county.g1, new_parent=county.t2)

    county.g1.refresh_from_db()
    assert county.g1.parent == county.t2
    assert county.g1.path == county.t2.path + path_segment(county.g1.pk)
    assert county.g1.depth == 2
    assert_tree_consistent()
    assert county.g1 in Organisation.objects.for_user(county.t2staff)
    assert county.g1 not in Organisation.objects.for_user(county.t1staff)
    # Its employer is still located in T1, and now also covered from T2.
    assert county.e1 in Employer.objects.for_user(county.t2staff)
    assert county.e1 in Employer.objects.for_user(county.t1staff)
    # Through the pages as well.
    assert client_for(county.t2staff).get(county.g1.get_absolute_url()).status_code == 200
    assert client_for(county.t1staff).get(county.g1.get_absolute_url()).status_code == 404
    assert client_for(county.chair1).get(county.g1.get_absolute_url()).status_code == 200


def test_moving_an_organisation_rewrites_the_path_of_every_descendant(county, industry):
    below = Organisation.objects.get(code="G3")
    untouched = {
        org.pk: org.path for org in Organisation.objects.exclude(pk__in=[industry.pk, below.pk])
    }

    organisation_move(by=county.admin, organisation=industry, new_parent=county.t2)

    industry.refresh_from_db()
    below.refresh_from_db()
    assert industry.path == county.t2.path + path_segment(industry.pk)
    assert below.path == industry.path + path_segment(below.pk)
    assert (industry.depth, below.depth) == (2, 3)
    assert_tree_consistent()
    assert {
        org.pk: org.path for org in Organisation.objects.exclude(pk__in=[industry.pk, below.pk])
    } == untouched
    assert set(Organisation.objects.for_user(county.t2staff)) == {county.t2, industry, below}
    assert below not in Organisation.objects.for_user(county.t1staff)


def test_moving_through_the_page_redirects_to_the_moved_organisation(county, industry, client_for):
    response = client_for(county.t1staff).post(
        reverse("orgs:organisation-move", args=[county.g1.pk]), {"parent": industry.pk}
    )

    county.g1.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == county.g1.get_absolute_url()
    assert county.g1.parent == industry
    assert_tree_consistent()


def test_a_township_user_cannot_move_a_union_out_of_their_township(county, client_for):
    before = database_state()

    with pytest.raises(PermissionDenied):
        organisation_move(by=county.t1staff, organisation=county.g1, new_parent=county.t2)
    response = client_for(county.t1staff).post(
        reverse("orgs:organisation-move", args=[county.g1.pk]), {"parent": county.t2.pk}
    )

    assert field_errors(response, "parent")
    assert database_state() == before
