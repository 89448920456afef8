from django.contrib.auth.models import Group, Permission

from gonghui.accounts.models import Role
from gonghui.accounts.roles import ROLE_PERMISSIONS, sync_roles


def test_every_permission_a_role_names_exists(db):
    for role, names in ROLE_PERMISSIONS.items():
        for name in names:
            app_label, codename = name.split(".", 1)
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), f"{role} names {name}, which does not exist"


def test_every_role_is_a_group_holding_exactly_its_permissions(db):
    sync_roles()
    for role in Role:
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(ROLE_PERMISSIONS[role])


def test_a_permission_removed_from_a_role_is_taken_away_on_the_next_sync(db):
    sync_roles()
    group = Group.objects.get(name=Role.LEADER)
    group.permissions.add(Permission.objects.get(codename="delete_employer"))
    sync_roles()
    assert not group.permissions.filter(codename="delete_employer").exists()


# --- the separation of powers (三权分立) ---------------------------------------------------


def held(role) -> set[str]:
    sync_roles()
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_auditor_reads_and_changes_nothing(db):
    permissions = held(Role.AUDITOR)
    assert {"auditlog.view_logentry", "security.view_securityevent"} <= permissions
    assert all(p.split(".")[1].startswith("view_") for p in permissions), permissions


def test_the_system_administrator_reads_no_audit_record(db):
    permissions = held(Role.SYSTEM_ADMIN)
    assert "accounts.manage_staff" in permissions
    assert not {"auditlog.view_logentry", "security.view_securityevent"} & permissions
    assert not {"accounts.grant_roles", "accounts.manage_sign_in"} & permissions


def test_the_security_administrator_opens_no_account(db):
    permissions = held(Role.SECURITY_ADMIN)
    assert {"accounts.grant_roles", "accounts.manage_sign_in"} <= permissions
    assert "accounts.manage_staff" not in permissions
    assert not {"auditlog.view_logentry", "security.view_securityevent"} & permissions


def test_the_operational_roles_hold_none_of_the_three_powers(db):
    powers = {
        "accounts.manage_staff",
        "accounts.grant_roles",
        "accounts.manage_sign_in",
        "security.view_securityevent",
    }
    for role in set(Role.values) - {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}:
        assert not powers & held(role), role
