"""What waits in rights cases (``core.todo``): group cases for county administrators
(the alert of 劳动争议调解仲裁法 第七条: no staff notification exists, the to-do list
is where they are told), cases waiting for acceptance, the reader's own overdue cases,
the overdue cases of their organisation, and those escalated to it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.accounts.models import Role
from gonghui.core.todo import TodoItem, list_item, register


@register
def rights_todo(user) -> list[TodoItem]:
    from .views import CaseList

    wanted = []
    if user.has_role(Role.COUNTY_ADMIN) or user.is_superuser:
        wanted.append((_("Group cases waiting to be accepted"), "group=on&status=received"))
    wanted += [
        (_("Rights cases waiting to be accepted"), "status=received"),
        (_("Your overdue rights cases"), "mine=on&overdue=on"),
        (_("Overdue rights cases"), "overdue=on"),
        (_("Rights cases escalated to your organisation"), "escalated=on"),
    ]
    items = []
    for label, query in wanted:
        item = list_item(user, label, CaseList, "rights:case-list", query)
        if item is not None:
            items.append(item)
    return items
