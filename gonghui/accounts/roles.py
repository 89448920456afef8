"""What each role may do. The scope rule (the user's organisation) decides where.

Kept as data: ``sync_roles()`` makes the groups match this table after every
migrate, so a permission added here reaches every existing account.
"""

from django.contrib.auth.models import Group, Permission

from .models import Role

VIEW_ORGS = ["orgs.view_organisation", "orgs.view_employer"]
EDIT_ORGS = [
    "orgs.add_organisation",
    "orgs.change_organisation",
    "orgs.delete_organisation",
    "orgs.move_organisation",
    "orgs.add_employer",
    "orgs.change_employer",
    "orgs.delete_employer",
]
READ_AUDIT = ["auditlog.view_logentry"]
MANAGE_STAFF = ["accounts.manage_staff"]

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.COUNTY_ADMIN: VIEW_ORGS + EDIT_ORGS + READ_AUDIT + MANAGE_STAFF,
    Role.STAFF: VIEW_ORGS + EDIT_ORGS + READ_AUDIT,
    Role.GRASSROOTS_CHAIR: VIEW_ORGS
    + ["orgs.change_organisation", "orgs.add_employer", "orgs.change_employer"],
    Role.LEGAL_AID: [],
    Role.MEDIATOR: [],
    Role.COUNSELLOR: [],
    Role.JUDGE: [],
    Role.LEADER: VIEW_ORGS,
}


#: The roles a holder of each role may give to accounts in their own subtree.
#: A role is never given by someone who holds no role at or above it, and the
#: superuser flag is given by no role (only by a superuser, in the Django admin).
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.COUNTY_ADMIN: frozenset(Role.values),
}


def grantable_roles(user) -> frozenset[str]:
    """The roles ``user`` may give to, or take from, the accounts they manage."""
    if user.is_superuser:
        return frozenset(Role.values)
    granted: set[str] = set()
    for role in user.role_names():
        granted |= GRANTABLE_ROLES.get(role, frozenset())
    return frozenset(granted)


def register_permissions(role: str, *permissions: str) -> None:
    """Later apps add the permissions their pages need to a role."""
    ROLE_PERMISSIONS.setdefault(role, [])
    ROLE_PERMISSIONS[role].extend(p for p in permissions if p not in ROLE_PERMISSIONS[role])


def _permissions(dotted_names: list[str]) -> list[Permission]:
    wanted = {tuple(name.split(".", 1)) for name in dotted_names}
    found = Permission.objects.filter(
        content_type__app_label__in={app for app, _codename in wanted},
        codename__in={codename for _app, codename in wanted},
    ).select_related("content_type")
    return [p for p in found if (p.content_type.app_label, p.codename) in wanted]


def sync_roles(**kwargs) -> None:
    """Make each role's group hold exactly its permissions.

    Runs after every app's post_migrate; permissions of apps not migrated yet
    are picked up by the later runs (a test checks every name exists).
    """
    for role, permissions in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions(permissions))
