"""What each role may do. The scope rule (the user's organisation) decides where.

Kept as data: ``sync_roles()`` makes the groups match this table after every
migrate, so a permission added here reaches every existing account.
"""

from collections.abc import Iterable

from django.contrib.auth.models import Group, Permission
from django.core import checks
from django.db import DatabaseError

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
#: A record's own change history, shown on its page (``core/_history.html``) to the
#: operational roles that work on it.
READ_AUDIT = ["auditlog.view_logentry"]
#: The audit logs themselves: the security event log and the whole change history
#: (the auditor's console, ``gonghui.security``). Named as strings: a permission whose
#: app is not installed is skipped by ``_permissions``.
READ_AUDIT_LOGS = READ_AUDIT + ["security.view_securityevent"]
#: Reaching the staff pages (the list and an account's page).
VIEW_STAFF = ["accounts.view_user"]

#: The separation of powers (三权分立, GB/T 22239-2019 8.1.4.2/8.1.4.3): the system
#: administrator keeps the accounts and the organisations; the security administrator
#: the roles, the locks and the second factors; the auditor reads the audit logs and
#: changes nothing. Each is held alone (``breaks_separation``), given by a superuser
#: only (none is in ``GRANTABLE_ROLES``), and never by its own holder (services).
SEPARATED_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})

ROLE_PERMISSIONS: dict[str, list[str]] = {
    Role.SYSTEM_ADMIN: VIEW_ORGS + EDIT_ORGS + VIEW_STAFF + ["accounts.manage_staff"],
    Role.SECURITY_ADMIN: VIEW_STAFF + ["accounts.grant_roles", "accounts.manage_sign_in"],
    # Read permissions only: a test checks that every permission of the group is view_*.
    Role.AUDITOR: list(READ_AUDIT_LOGS),
    # The operational county work; staff accounts and roles are the separated powers'.
    Role.COUNTY_ADMIN: VIEW_ORGS + EDIT_ORGS + READ_AUDIT,
    Role.STAFF: VIEW_ORGS + EDIT_ORGS + READ_AUDIT,
    Role.GRASSROOTS_CHAIR: VIEW_ORGS
    + ["orgs.change_organisation", "orgs.add_employer", "orgs.change_employer"],
    Role.LEGAL_AID: [],
    Role.MEDIATOR: [],
    Role.COUNSELLOR: [],
    Role.JUDGE: [],
    Role.LEADER: VIEW_ORGS,
}


#: The roles a holder of each role may give to, or take from, accounts in their own
#: subtree. The superuser flag is given by no role (only by a superuser, in the
#: Django admin), and the separated roles by a superuser only.
GRANTABLE_ROLES: dict[str, frozenset[str]] = {
    Role.SECURITY_ADMIN: frozenset(Role.values) - SEPARATED_ROLES,
}


def breaks_separation(roles: Iterable[str]) -> bool:
    """Whether one account holding ``roles`` would hold a separated role together with
    any other role."""
    roles = set(roles)
    return bool(roles & SEPARATED_ROLES) and len(roles) > 1


def separation_conflicts() -> list[tuple[str, list[str]]]:
    """The accounts that hold a separated role with another role: (user name, roles)."""
    from .models import User

    holders = User.objects.filter(groups__name__in=SEPARATED_ROLES).distinct()
    conflicts = []
    for user in holders.prefetch_related("groups").order_by("username"):
        roles = sorted(group.name for group in user.groups.all())
        if breaks_separation(roles):
            conflicts.append((user.username, roles))
    return conflicts


def check_separation(app_configs=None, databases=None, **kwargs) -> list[checks.CheckMessage]:
    """A system check (``manage.py check --database default``, and ``migrate`` before it
    migrates) naming every account that holds a separated role with another role: the
    services refuse such a grant, so one found here came another way (a shell, an old
    database) and a superuser settles it on the staff pages."""
    if not databases:
        return []
    try:
        conflicts = separation_conflicts()
    except DatabaseError:
        return []  # before the first migrate there are no accounts to check
    return [
        checks.Warning(
            f"Account {username!r} holds {', '.join(roles)}: the system administrator, the "
            "security administrator and the auditor each hold their role alone.",
            hint="Take the other roles from the account on its staff page.",
            id="accounts.W001",
        )
        for username, roles in conflicts
    ]


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
