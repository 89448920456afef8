"""What waits for a union in the portal: accounts whose binding it must confirm
(``core.todo``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def portal_todo(user) -> list[TodoItem]:
    from .views import DECIDE_BINDINGS, BindingList, CorrectionList

    items = []
    if user.has_perm(DECIDE_BINDINGS):
        items.append(
            list_item(
                user,
                _("Portal accounts to confirm"),
                BindingList,
                "bindings:list",
                "status=pending",
            )
        )
    if user.has_perm("portal.change_correctionrequest"):
        items.append(
            list_item(
                user,
                _("Requests to correct personal data"),
                CorrectionList,
                "corrections:list",
                "status=open",
            )
        )
    return [item for item in items if item is not None]
