"""The separation of powers (三权分立, GB/T 22239-2019 level 3): the system administrator,
the security administrator and the auditor, each held alone, never self-given; the
system administrator reads no audit record, the auditor changes nothing, the security
administrator opens no account; all three sign in with a second factor."""

from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.accounts import services
from gonghui.accounts.models import Role, User
from gonghui.conftest import make_user

from .conftest import add_device, sign_in

SEPARATED = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
EVENTS = reverse("security:event-list")
CHANGES = reverse("security:change-list")


def roles_of(user) -> set[str]:
    return User.objects.get(pk=user.pk).role_names()


# --- the one service that gives roles ----------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        [Role.SYSTEM_ADMIN, Role.AUDITOR],
        [Role.SECURITY_ADMIN, Role.AUDITOR],
        [Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
        [Role.AUDITOR, Role.LEADER],
        [Role.SYSTEM_ADMIN, Role.COUNTY_ADMIN],
    ],
)
def test_no_account_holds_a_separated_role_with_another(county, roles):
    with pytest.raises(ValidationError, match="each hold their role alone"):
        services.user_update(by=county.superuser, user=county.t1staff, roles=roles)
    assert roles_of(county.t1staff) == {Role.STAFF}


def test_a_separated_role_is_refused_on_a_new_account_too(county):
    with pytest.raises(ValidationError, match="each hold their role alone"):
        services.user_create(
            by=county.superuser,
            username="double",
            last_name="Zhao",
            organisation=county.root,
            roles=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN],
        )
    assert not User.objects.filter(username="double").exists()


def test_a_separated_role_moves_from_one_account_to_another_only_alone(county):
    services.user_update(by=county.superuser, user=county.auditor, roles=[Role.SECURITY_ADMIN])
    assert roles_of(county.auditor) == {Role.SECURITY_ADMIN}


def test_nobody_gives_a_role_to_themselves(county):
    for holder in (county.superuser, county.secadmin):
        before = roles_of(holder)
        with pytest.raises(PermissionDenied, match="your own roles"):
            services.user_update(by=holder, user=holder, roles=[Role.AUDITOR])
        assert roles_of(holder) == before


def test_the_security_administrator_gives_no_separated_role_and_opens_no_account(county):
    for role in SEPARATED:
        with pytest.raises(PermissionDenied, match="You may not give these roles"):
            services.user_update(by=county.secadmin, user=county.t1staff, roles=[role])
    with pytest.raises(PermissionDenied, match="not allowed to manage staff accounts"):
        services.user_create(
            by=county.secadmin, username="new", last_name="Qian", organisation=county.t1
        )
    assert roles_of(county.t1staff) == {Role.STAFF}
    assert not User.objects.filter(username="new").exists()


def test_the_system_administrator_gives_no_role(county):
    with pytest.raises(PermissionDenied, match="not allowed to give or take roles"):
        services.user_update(by=county.sysadmin, user=county.t1staff, roles=[Role.LEADER])
    assert roles_of(county.t1staff) == {Role.STAFF}


def test_the_other_powers_accounts_are_only_unlocked_by_the_security_administrator(county):
    """Roles and details of the three are the superuser's; a lost phone is the security
    administrator's to reset."""
    with pytest.raises(PermissionDenied, match="managed by the superuser only"):
        services.user_update(by=county.secadmin, user=county.sysadmin, roles=[Role.STAFF])
    with pytest.raises(PermissionDenied, match="managed by the superuser only"):
        services.user_password_reset(by=county.sysadmin, user=county.auditor)
    add_device(county.sysadmin)
    assert services.user_totp_reset(by=county.secadmin, user=county.sysadmin) == 1
    assert roles_of(county.sysadmin) == {Role.SYSTEM_ADMIN}


def test_the_auditor_account_holds_read_permissions_only(county):
    """What the account may do, from every source (its group, any app's registration)."""
    permissions = User.objects.get(pk=county.auditor.pk).get_all_permissions()
    assert {"auditlog.view_logentry", "security.view_securityevent"} <= permissions
    assert all(name.split(".", 1)[1].startswith("view_") for name in permissions), permissions


# --- conflicts that came another way --------------------------------------------------


def test_the_system_check_names_an_account_holding_two_separated_roles(county):
    out = StringIO()
    call_command("check", "--database", "default", stdout=out, stderr=out)
    assert "accounts.W001" not in out.getvalue()

    # A conflict that bypassed the services (a shell, an old database).
    county.auditor.groups.add(county.sysadmin.groups.get())
    call_command("check", "--database", "default", stdout=out, stderr=out)
    report = out.getvalue()
    assert "accounts.W001" in report
    assert "'auditor' holds auditor, system_admin" in report


# --- the pages ----------------------------------------------------------------------


def test_the_system_administrator_works_on_accounts_without_the_history(client_for, county):
    client = client_for(county.sysadmin)
    assert client.get(reverse("accounts:staff-list")).status_code == 200
    assert client.get(reverse("accounts:staff-create")).status_code == 200
    page = client.get(county.t1staff.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="history"' not in html
    assert reverse("accounts:staff-password-reset", args=[county.t1staff.pk]) in html
    assert reverse("accounts:staff-unlock", args=[county.t1staff.pk]) not in html
    # Nor on the record pages, whose history the operational staff read.
    organisation_page = client.get(county.g1.get_absolute_url()).content.decode()
    assert 'id="history"' not in organisation_page
    assert (
        'id="history"'
        in client_for(county.admin).get(county.g1.get_absolute_url()).content.decode()
    )
    for log in (EVENTS, CHANGES):
        assert client.get(log).status_code == 403


def test_the_security_administrator_finds_the_accounts_waiting_for_a_role(client_for, county):
    services.user_create(
        by=county.sysadmin, username="newcomer", last_name="Li", organisation=county.g1
    )
    response = client_for(county.secadmin).get(reverse("accounts:staff-list"), {"role": "none"})
    assert [a.username for a in response.context["object_list"]] == ["newcomer"]


def test_the_security_administrator_sees_the_locks_but_neither_passwords_nor_logs(
    client_for, county
):
    client = client_for(county.secadmin)
    html = client.get(county.t1staff.get_absolute_url()).content.decode()
    assert reverse("accounts:staff-password-reset", args=[county.t1staff.pk]) not in html
    assert reverse("accounts:staff-deactivate", args=[county.t1staff.pk]) not in html
    assert 'id="history"' not in html
    assert client.get(reverse("accounts:staff-create")).status_code == 403
    for log in (EVENTS, CHANGES):
        assert client.get(log).status_code == 403


def test_an_account_page_offers_only_the_actions_the_reader_may_take_on_it(client_for, county):
    def actions_seen(reader, account) -> set[str]:
        TOTPDevice.objects.get_or_create(user=account, confirmed=True, defaults={"name": "app"})
        html = client_for(reader).get(account.get_absolute_url()).content.decode()
        routes = ("update", "password-reset", "deactivate", "totp-reset")
        return {r for r in routes if reverse(f"accounts:staff-{r}", args=[account.pk]) in html}

    # The accounts of the three are the superuser's to change; a lost phone is the
    # security administrator's to reset.
    assert actions_seen(county.sysadmin, county.secadmin) == set()
    assert actions_seen(county.secadmin, county.sysadmin) == {"totp-reset"}
    assert actions_seen(county.superuser, county.secadmin) == {
        "update",
        "password-reset",
        "deactivate",
        "totp-reset",
    }
    assert actions_seen(county.sysadmin, county.t1staff) == {
        "update",
        "password-reset",
        "deactivate",
    }
    assert actions_seen(county.secadmin, county.t1staff) == {"update", "totp-reset"}


def test_the_auditor_reads_both_logs_and_no_staff_page(client_for, county):
    client = client_for(county.auditor)
    for log in (EVENTS, CHANGES):
        assert client.get(log).status_code == 200
    assert client.get(reverse("accounts:staff-list")).status_code == 403
    response = client.post(reverse("accounts:staff-deactivate", args=[county.t1staff.pk]))
    assert response.status_code == 403
    assert User.objects.get(pk=county.t1staff.pk).is_active


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_each_of_the_three_signs_in_with_a_second_factor(client, county, username):
    sign_in(client, username)
    response = client.get(reverse("core:home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:otp-setup"))


def test_a_separated_role_given_to_a_township_account_still_needs_the_second_factor(county):
    user = make_user("t1auditor", county.t1, Role.AUDITOR)
    assert user.requires_otp
