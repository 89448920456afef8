"""An administrator manages the staff accounts of their own subtree only: every
other account is a 404 on every staff page, and missing from the list."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts import services
from gonghui.accounts.models import Role, User

DETAIL_ROUTES = ["accounts:staff-detail", "accounts:staff-update"]
ACTION_ROUTES = [
    "accounts:staff-deactivate",
    "accounts:staff-reactivate",
    "accounts:staff-password-reset",
    "accounts:staff-totp-reset",
    "accounts:staff-unlock",
]


def usernames(response) -> set[str]:
    return {account.username for account in response.context["object_list"]}


def test_the_county_administrator_lists_every_account_of_the_county(client_for, county):
    response = client_for(county.sysadmin).get(reverse("accounts:staff-list"))
    assert response.status_code == 200
    assert usernames(response) == {
        "admin",
        "leader",
        "t1staff",
        "t2staff",
        "chair1",
        "chair2",
        "sysadmin",
        "secadmin",
        "auditor",
    }


def test_a_township_administrator_lists_only_the_accounts_of_the_township(
    client_for, county, t1admin
):
    response = client_for(t1admin).get(reverse("accounts:staff-list"))
    assert usernames(response) == {"t1admin", "t1staff", "chair1", "chair2"}


@pytest.mark.parametrize("route", DETAIL_ROUTES)
def test_an_account_outside_the_subtree_is_not_found_on_its_pages(
    client_for, county, t1admin, route
):
    client = client_for(t1admin)
    assert client.get(reverse(route, args=[county.t2staff.pk])).status_code == 404
    assert client.get(reverse(route, args=[county.t1staff.pk])).status_code == 200


@pytest.mark.parametrize("route", ACTION_ROUTES)
def test_an_account_outside_the_subtree_is_not_found_by_any_action(
    client_for, county, t1admin, t1secadmin, route
):
    before = (county.t2staff.password, county.t2staff.is_active)
    # Each action is asked by the power it belongs to (accounts.roles).
    actor = (
        t1secadmin if route in ("accounts:staff-totp-reset", "accounts:staff-unlock") else t1admin
    )
    response = client_for(actor).post(reverse(route, args=[county.t2staff.pk]))
    assert response.status_code == 404
    county.t2staff.refresh_from_db()
    assert (county.t2staff.password, county.t2staff.is_active) == before


def test_an_account_above_the_subtree_is_not_found(client_for, county, t1admin):
    client = client_for(t1admin)
    assert (
        client.get(reverse("accounts:staff-detail", args=[county.sysadmin.pk])).status_code == 404
    )
    response = client.post(reverse("accounts:staff-deactivate", args=[county.sysadmin.pk]))
    assert response.status_code == 404
    county.sysadmin.refresh_from_db()
    assert county.sysadmin.is_active


def test_a_superuser_account_is_not_found_even_inside_the_subtree(client_for, county):
    county.superuser.organisation = county.root
    county.superuser.save(update_fields=["organisation"])
    client = client_for(county.sysadmin)
    assert "root" not in usernames(client.get(reverse("accounts:staff-list")))
    url = reverse("accounts:staff-password-reset", args=[county.superuser.pk])
    assert client.post(url).status_code == 404


def test_an_account_cannot_be_placed_in_an_organisation_outside_the_subtree(
    client_for, county, t1admin
):
    response = client_for(t1admin).post(
        reverse("accounts:staff-update", args=[county.t1staff.pk]),
        {"last_name": "Zhang", "organisation": county.t2.pk, "roles": [Role.STAFF]},
    )
    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    county.t1staff.refresh_from_db()
    assert county.t1staff.organisation == county.t1


def test_the_organisation_filter_shows_that_organisation_and_everything_under_it(
    client_for, county
):
    response = client_for(county.sysadmin).get(
        reverse("accounts:staff-list"), {"organisation": county.t1.pk}
    )
    assert usernames(response) == {"t1staff", "chair1", "chair2"}


def test_an_organisation_outside_the_subtree_is_not_a_filter_choice(client_for, county, t1admin):
    response = client_for(t1admin).get(
        reverse("accounts:staff-list"), {"organisation": county.t2.pk}
    )
    assert "organisation" in response.context["filter_form"].errors


def test_the_services_refuse_an_organisation_or_account_outside_the_subtree(county, t1admin):
    with pytest.raises(PermissionDenied, match="outside your scope"):
        services.user_create(
            by=t1admin,
            username="newcomer",
            last_name="Li",
            organisation=county.t2,
            roles=[Role.STAFF],
        )
    assert not User.objects.filter(username="newcomer").exists()
    with pytest.raises(PermissionDenied, match="outside your organisation"):
        services.user_password_reset(by=t1admin, user=county.t2staff)
    with pytest.raises(PermissionDenied, match="outside your organisation"):
        services.user_update(
            by=t1admin,
            user=county.t2staff,
            last_name="Li",
            organisation=county.t1,
            roles=[Role.STAFF],
        )
    county.t2staff.refresh_from_db()
    assert county.t2staff.organisation == county.t2
