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
