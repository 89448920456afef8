"""What waits for a union in the portal: accounts whose binding it must confirm
(``core.todo``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def portal_todo(user) -> list[TodoItem]:
    from .views import DECIDE_BINDINGS, BindingList

    if not user.has_perm(DECIDE_BINDINGS):
        return []
    item = list_item(
        user, _("Portal accounts to confirm"), BindingList, "bindings:list", "status=pending"
    )
    return [item] if item is not None else []
