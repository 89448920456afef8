"""Scoped reads of staff accounts for the administrators who manage them."""

from __future__ import annotations

from axes.models import AccessAttempt
from django.db.models import Sum
from django.utils.translation import gettext as _

from gonghui.core.audit import HistoryRow, history_for

from .models import DeviceSignInFailures, Role, User, UserQuerySet


def manageable_staff(user) -> UserQuerySet:
    """The accounts ``user`` may see on the staff pages: those of their subtree
    (the scope rule, which leaves superusers to superusers)."""
    return User.objects.for_user(user).select_related("organisation")


def active_staff(user) -> UserQuerySet:
    """The active accounts of ``user``'s subtree that belong to an organisation: the
    staff ``user`` may name on a record (visitors) or link to their person records."""
    return User.objects.for_user(user).filter(is_active=True).exclude(organisation=None)


def sign_in_failures(user: User) -> int:
    """How many failed sign-ins of the account django-axes still counts (those from
    browsers without a device cookie for it; they lock the account for such browsers)."""
    total = AccessAttempt.objects.filter(username=user.get_username()).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def device_sign_in_failures(user: User) -> int:
    """How many failed sign-ins to the account its browsers with a device cookie made."""
    total = DeviceSignInFailures.objects.filter(username=user.get_username()).aggregate(
        total=Sum("failures")
    )["total"]
    return total or 0


def account_history(user: User) -> list[HistoryRow]:
    """The account's audit trail, with role changes (auditlog's many-to-many
    entries on ``groups``) spelled out as role names."""
    labels = dict(Role.choices)
    rows = []
    for row in history_for(user):
        changes = list(row.changes)
        groups = row.entry.changes_dict.get("groups")
        if isinstance(groups, dict) and groups.get("type") == "m2m":
            names = ", ".join(str(labels.get(name, name)) for name in groups.get("objects", []))
            removed = groups.get("operation") in {"delete", "clear"}
            changes.append(
                (
                    str(_("roles")),
                    names if removed else "—",
                    "—" if removed else names,
                )
            )
        rows.append(HistoryRow(entry=row.entry, action=row.action, changes=changes))
    return rows
