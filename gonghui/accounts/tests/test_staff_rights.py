"""Who may manage staff accounts, and which roles they may give."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.accounts import services
from gonghui.accounts.models import Role, User
from gonghui.conftest import make_user

ROUTES = [
    ("get", "accounts:staff-list", False),
    ("get", "accounts:staff-create", False),
    ("get", "accounts:staff-detail", True),
    ("get", "accounts:staff-update", True),
    ("post", "accounts:staff-deactivate", True),
    ("post", "accounts:staff-reactivate", True),
    ("post", "accounts:staff-password-reset", True),
    ("post", "accounts:staff-totp-reset", True),
    ("post", "accounts:staff-unlock", True),
]


@pytest.mark.parametrize(("method", "route", "with_pk"), ROUTES)
@pytest.mark.parametrize("persona", ["t1staff", "leader", "chair1", "outsider"])
def test_staff_without_the_permission_are_refused_every_page(
    client_for, county, persona, method, route, with_pk
):
    url = reverse(route, args=[county.chair1.pk] if with_pk else [])
    response = getattr(client_for(getattr(county, persona)), method)(url)
    assert response.status_code == 403
    county.chair1.refresh_from_db()
    assert county.chair1.is_active


def test_a_visitor_is_sent_to_sign_in(client, county):
    response = client.get(reverse("accounts:staff-list"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_staff_accounts_entry_is_in_the_menu_of_administrators_only(client_for, county):
    url = reverse("accounts:staff-list")
    for administrator in (county.sysadmin, county.secadmin):
        assert url in client_for(administrator).get(reverse("core:home")).content.decode()
    for other in (county.t1staff, county.admin, county.auditor):
        assert url not in client_for(other).get(reverse("core:home")).content.decode()


def test_the_services_refuse_a_user_without_the_permission(county):
    with pytest.raises(PermissionDenied):
        services.user_create(
            by=county.t1staff,
            username="newcomer",
            last_name="Li",
            organisation=county.g1,
            roles=[Role.STAFF],
        )
    with pytest.raises(PermissionDenied):
        services.user_deactivate(by=county.t1staff, user=county.chair1)
    assert not User.objects.filter(username="newcomer").exists()


def test_an_administrator_cannot_deactivate_their_own_account(client_for, county):
    with pytest.raises(PermissionDenied):
        services.user_deactivate(by=county.sysadmin, user=county.sysadmin)
    county.sysadmin.refresh_from_db()
    assert county.sysadmin.is_active


def test_an_administrator_cannot_change_their_own_roles(county):
    with pytest.raises(PermissionDenied):
        services.user_update(
            by=county.secadmin, user=county.secadmin, roles=[Role.COUNTY_ADMIN, Role.LEADER]
        )
    assert User.objects.get(pk=county.secadmin.pk).role_names() == {Role.SECURITY_ADMIN}


def test_the_superuser_flag_cannot_be_given_through_the_create_page(client_for, county):
    response = client_for(county.sysadmin).post(
        reverse("accounts:staff-create"),
        {
            "username": "climber",
            "last_name": "Zhao",
            "organisation": county.t1.pk,
            "roles": [Role.STAFF],
            "is_superuser": "on",
            "is_staff": "on",
        },
    )
    assert response.status_code == 200
    climber = User.objects.get(username="climber")
    assert not climber.is_superuser
    assert not climber.is_staff


@pytest.fixture
def junior_manager(county):
    """A union staff member allowed to manage accounts and roles, whose role gives no roles."""
    user = make_user("junior", county.t1, Role.STAFF)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["manage_staff", "grant_roles", "view_user"])
    )
    return User.objects.get(pk=user.pk)


def test_a_manager_cannot_give_a_role_their_own_roles_do_not_reach(client_for, junior_manager):
    with pytest.raises(PermissionDenied, match="You may not give these roles"):
        services.user_create(
            by=junior_manager,
            username="newcomer",
            last_name="Li",
            organisation=junior_manager.organisation,
            roles=[Role.COUNTY_ADMIN],
        )
    assert not User.objects.filter(username="newcomer").exists()


def test_the_create_page_offers_only_the_roles_the_administrator_may_give(
    client_for, junior_manager
):
    form = client_for(junior_manager).get(reverse("accounts:staff-create")).context["form"]
    assert list(form.fields["roles"].choices) == []


def test_a_manager_cannot_give_roles_to_an_account_holding_a_role_above_theirs(
    county, junior_manager
):
    # chair1 is a grassroots chair, a role junior_manager's role cannot give.
    with pytest.raises(PermissionDenied, match="so you may not manage it"):
        services.user_update(by=junior_manager, user=county.chair1, roles=[Role.MEDIATOR])
    assert User.objects.get(pk=county.chair1.pk).role_names() == {Role.GRASSROOTS_CHAIR}


def test_the_system_administrator_cannot_touch_the_accounts_of_the_other_powers(client_for, county):
    for other in (county.secadmin, county.auditor):
        response = client_for(county.sysadmin).post(
            reverse("accounts:staff-deactivate", args=[other.pk]), follow=True
        )
        assert "managed by the superuser only" in response.content.decode()
        other.refresh_from_db()
        assert other.is_active


def test_the_security_administrator_gives_every_operational_role_but_no_separated_one(
    county, t1admin, t1secadmin
):
    user, _password = services.user_create(
        by=t1admin, username="deputy", last_name="Sun", organisation=county.g1
    )
    with pytest.raises(PermissionDenied):  # the system administrator gives no role
        services.user_update(by=t1admin, user=user, roles=[Role.MEDIATOR])
    with pytest.raises(PermissionDenied):  # the security administrator opens no account
        services.user_create(
            by=t1secadmin, username="other", last_name="Qian", organisation=county.g1
        )
    services.user_update(by=t1secadmin, user=user, roles=[Role.COUNTY_ADMIN, Role.MEDIATOR])
    assert User.objects.get(pk=user.pk).role_names() == {Role.COUNTY_ADMIN, Role.MEDIATOR}
    with pytest.raises(PermissionDenied, match="You may not give these roles"):
        services.user_update(by=t1secadmin, user=user, roles=[Role.AUDITOR])
    assert not user.is_superuser
