"""The scope rule: a staff user sees only their organisation's subtree.

This module is the one place the rule lives. Every model whose records belong
to an organisation uses :class:`ScopedQuerySet` (directly or through
``ScopedManager``) and names the foreign keys that place a record in the tree;
every view reaches records through ``Model.objects.for_user(user)``, so a
record outside the subtree simply does not exist for that user (404).

The tree is stored as a materialised path (see ``orgs.models.Organisation``):
"this organisation and everything under it" is the half-open range
``[path, next_sibling_path)`` on one indexed column, which SQLite and
PostgreSQL both answer from a B-tree whatever the collation, because paths
are digits only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.db.models import Q

if TYPE_CHECKING:
    from gonghui.orgs.models import Organisation

SEGMENT_WIDTH = 8


def path_segment(pk: int) -> str:
    return f"{pk:0{SEGMENT_WIDTH}d}"


def subtree_bounds(path: str) -> tuple[str, str]:
    """The half-open range of paths that lie in the subtree rooted at ``path``."""
    head, last = path[:-SEGMENT_WIDTH], int(path[-SEGMENT_WIDTH:])
    return path, head + path_segment(last + 1)


def subtree_q(path: str, field: str = "") -> Q:
    """Records whose ``field`` (an Organisation FK, "" for Organisation) is in the subtree."""
    prefix = f"{field}__path" if field else "path"
    low, high = subtree_bounds(path)
    return Q(**{f"{prefix}__gte": low, f"{prefix}__lt": high})


def user_scope_root(user) -> Organisation | None:
    """The organisation whose subtree ``user`` may see; None means nothing."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    return getattr(user, "organisation", None)


def sees_everything(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_superuser)


class ScopedQuerySet(models.QuerySet):
    """A queryset that knows which organisation foreign keys place its rows in the tree.

    ``scope_fields`` lists those keys ("" for Organisation itself). A record is
    in a user's scope when any of them points into the user's subtree: an
    employer belongs both to its township and to the union that covers it.
    """

    scope_fields: tuple[str, ...] = ()

    def in_subtree(self, organisation: Organisation) -> ScopedQuerySet:
        condition = Q()
        for field in self.scope_fields:
            condition |= subtree_q(organisation.path, field)
        return self.filter(condition)

    def for_user(self, user) -> ScopedQuerySet:
        if sees_everything(user):
            return self.all()
        root = user_scope_root(user)
        if root is None:
            return self.none()
        return self.in_subtree(root)


def is_in_scope(user, organisation: Organisation | None) -> bool:
    """Whether ``organisation`` lies in the user's subtree (for checks on forms and services)."""
    if organisation is None:
        return False
    if sees_everything(user):
        return True
    root = user_scope_root(user)
    if root is None:
        return False
    low, high = subtree_bounds(root.path)
    return low <= organisation.path < high
