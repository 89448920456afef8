"""The worker's rule: a worker sees their own records and nothing else.

This is to the portal what ``core/scope.py`` is to the console: every portal page
reaches records through ``mine(account, queryset)``, so another worker's record
does not exist for it (404). A record is the worker's when it is about the person
file the account is bound to; an account not bound yet (or waiting for its union
to confirm the binding) has no records at all.

A queryset says how its rows reach the person with ``worker_field`` (a lookup
ending at ``people.Person``; ``"person"`` unless it says otherwise, ``"pk"`` for
Person itself).
"""

from __future__ import annotations

from django.db.models import QuerySet


def mine(account, queryset: QuerySet) -> QuerySet:
    """The rows of ``queryset`` about the worker of ``account``."""
    if account is None or account.person_id is None:
        return queryset.none()
    model = queryset.model
    field = getattr(queryset, "worker_field", None)
    if field is None:
        field = "pk" if model._meta.label_lower == "people.person" else "person"
    return queryset.filter(**{field: account.person_id})
