"""What waits for the reader: the to-do list on the console's home page.

Each app contributes a provider, a function ``(user) -> list[TodoItem]``,
registered with ``@register`` in the app's ``todo.py`` (imported by its
``AppConfig.ready()``), the way apps add their entries to ``core.navigation``.

An item counts the rows of a filtered list page and links to that page. The
count is taken from the list itself (``list_item``: the list view's own
queryset for the same query string, as a background export rebuilds it), so
the number on the home page is the number of rows the link shows, and a change
to a list's filter changes both at once. Every item costs one COUNT query,
however many rows wait.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import reverse


@dataclass(frozen=True)
class TodoItem:
    label: Any
    count: int
    url: str


Provider = Callable[[Any], list[TodoItem]]

PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    """Add an app's provider (usable as a decorator); registering twice adds it once."""
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def todo_for(user) -> list[TodoItem]:
    """Every item waiting for ``user``, in the order the apps registered them."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[TodoItem] = []
    for provider in PROVIDERS:
        items.extend(provider(user))
    return items


def _may_open(user, view_class) -> bool:
    permissions = getattr(view_class, "permission_required", None)
    if permissions is None:
        return True
    if isinstance(permissions, str):
        permissions = (permissions,)
    return user.has_perms(permissions)


def list_item(user, label, view_class, url_name: str, query: str) -> TodoItem | None:
    """An item for the rows of the list page ``url_name`` (built by ``view_class``, a
    ``core.views.ObjectListView``) with the query string ``query``, as ``user`` sees
    them; None when the user may not open that list."""
    if not _may_open(user, view_class):
        return None
    count = view_class.for_query(user, query).get_queryset().count()
    return TodoItem(label, count, f"{reverse(url_name)}?{query}")
