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

from django.db import connections, models
from django.db.models import Q
from django.db.models.lookups import In

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
        if organisation.parent_id is None and self._always_placed():
            if is_whole_tree(organisation):
                return self.all()
        elif organisation.parent_id is not None and self._hops() >= 2:
            return self.filter(subquery_condition(self.model, self.scope_fields, organisation.path))
        elif organisation.parent_id is not None and self._hops() == 1:
            return self.filter(
                subquery_condition(
                    self.model,
                    self.scope_fields,
                    organisation.path,
                    leading=is_small_subtree(organisation),
                )
            )
        return self.filter(joined_condition(self.scope_fields, organisation.path))

    def for_user(self, user) -> ScopedQuerySet:
        if sees_everything(user):
            return self.all()
        root = user_scope_root(user)
        if root is None:
            return self.none()
        return self.in_subtree(root)

    def holds(self, user, pk) -> bool:
        """Whether the row ``pk``, which the caller has just read, is in ``user``'s scope:
        without a query for a reader of the whole tree (``for_user`` adds no condition)."""
        if sees_everything(user) or (self._always_placed() and sees_whole_tree(user)):
            return True
        return self.for_user(user).filter(pk=pk).exists()

    def _hops(self) -> int:
        """How many tables away the farthest key lies: 2 for ``person__employer__township``,
        1 for ``employer__township``, 0 for ``organisation``."""
        return max(field.count("__") for field in self.scope_fields)

    def _always_placed(self) -> bool:
        """Whether every row is placed in the tree by a key that cannot be empty."""
        for field in self.scope_fields:
            if not field:
                return True
            if "__" not in field and not self.model._meta.get_field(field).null:
                return True
        return False


# How the rule is asked of the database. The answer is the same every way; the
# cost is not (figures at 200,000 workers, docs/benchmarks.md):
# - The reader at the top of the only tree sees every row placed by a key that
#   cannot be empty: no condition at all.
# - Rows placed through a chain of tables (an aid application through its
#   applicant's employer to the township) are asked below the top as "the key is
#   among the subtree's rows of the table it points to", one ``IN (subquery)``
#   per table, which the foreign-key indexes answer directly: a township's aid
#   list 64 ms, a chair's 26 ms, against 300 ms when every row joins every table.
# - Rows placed one table away (a person through their employer) are asked the
#   same way below the top, in one of two orders (figures at 1,000,000 workers,
#   docs/benchmarks.md). A small subtree (a grassroots union: ``is_small_subtree``)
#   holds few rows, so its keys lead: the database starts from the subtree's rows
#   (a chair searching 建国: 2 ms, against 36 ms when the name index leads and
#   every match joins its organisations; a chair's whole list counted: 1 ms
#   against 1.3 s). For a larger subtree (a township) the list's own index leads
#   (the name) and each row's keys are only checked against the subtree's lists
#   (``not_leading``): 13 ms for the count of 建国, against 29 ms by joins and
#   147 ms when the subtree's tens of thousands of rows lead.
# - Otherwise each row joins its organisations (the join form): a list scanned in
#   its own order stops after a page.

#: A subtree of at most this many organisations is small: its rows are found from
#: the subtree's side (a grassroots union has one organisation; a township hundreds).
SMALL_SUBTREE = 20


def is_small_subtree(organisation: Organisation) -> bool:
    """Whether the subtree at ``organisation`` is small (remembered on it)."""
    if not hasattr(organisation, "_is_small_subtree"):
        subtree = type(organisation)._base_manager.filter(subtree_q(organisation.path))
        organisation._is_small_subtree = subtree[: SMALL_SUBTREE + 1].count() <= SMALL_SUBTREE
    return organisation._is_small_subtree


class NotLeading(models.Func):
    """A column the query must not be led by: SQLite's unary ``+`` keeps its index out
    of the plan (https://sqlite.org/optoverview.html, "Disqualifying WHERE clause
    terms"); elsewhere the column itself, the planner weighing its statistics."""

    template = "%(expressions)s"

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="+%(expressions)s", **extra_context)


def is_whole_tree(organisation: Organisation) -> bool:
    """Whether ``organisation`` is the only top-level organisation (remembered on it)."""
    if not hasattr(organisation, "_is_whole_tree"):
        organisation._is_whole_tree = organisation.parent_id is None and not _another_top(
            organisation
        )
    return organisation._is_whole_tree


def _another_top(organisation: Organisation) -> bool:
    # Asked on every request of the county's accounts, so written once: the ORM took
    # longer to build this query than the database to answer it.
    meta = organisation._meta
    connection = connections[organisation._state.db or "default"]
    quote = connection.ops.quote_name
    sql = (
        f"SELECT 1 FROM {quote(meta.db_table)} WHERE {quote(meta.get_field('parent').column)} "
        f"IS NULL AND {quote(meta.pk.column)} <> %s LIMIT 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [organisation.pk])
        return cursor.fetchone() is not None


def sees_whole_tree(user) -> bool:
    """Whether ``user`` reads the whole tree: a superuser, or an account of the only
    top-level organisation. Every row placed by a key that cannot be empty is theirs."""
    if sees_everything(user):
        return True
    root = user_scope_root(user)
    return root is not None and root.parent_id is None and is_whole_tree(root)


def joined_condition(fields: tuple[str, ...], path: str) -> Q:
    """Rows any of whose ``fields`` points into the subtree at ``path``, by joins."""
    condition = Q()
    for field in fields:
        condition |= subtree_q(path, field)
    return condition


def subquery_condition(model, fields: tuple[str, ...], path: str, *, leading=True) -> Q:
    """Rows of ``model`` any of whose ``fields`` points into the subtree at ``path``,
    each key asked as "among the subtree's rows of the table it points to".

    ``leading=False``: the keys of ``model`` itself are checked, not used to find
    its rows (``NotLeading``); the subqueries inside are computed once either way.
    """
    from gonghui.orgs.models import Organisation

    def among(field: str, rows) -> Q:
        if leading:
            return Q(**{f"{field}__in": rows})
        column = NotLeading(models.F(field), output_field=models.IntegerField())
        return Q(In(column, rows.order_by()))

    condition = Q()
    hops: dict[str, list[str]] = {}
    for field in fields:
        if not field:
            condition |= subtree_q(path)
        elif "__" in field:
            hop, rest = field.split("__", 1)
            hops.setdefault(hop, []).append(rest)
        else:
            condition |= among(field, Organisation.objects.filter(subtree_q(path)).values("pk"))
    for hop, rests in hops.items():
        related = model._meta.get_field(hop).related_model
        inner = related._base_manager.filter(subquery_condition(related, tuple(rests), path))
        condition |= among(hop, inner.values("pk"))
    return condition


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
