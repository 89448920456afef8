"""What waits in aid: the applications awaiting the reader's decision (``core.todo``).

The count is the list's own "awaiting my decision" queue (``?show=awaiting``,
``ApplicationList`` with its filter form), so which applications a reader may
decide is settled there alone.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def aid_todo(user) -> list[TodoItem]:
    from .forms import ApplicationFilterForm
    from .views import ApplicationList

    if not user.has_perm("aid.approve_aidapplication"):
        return []
    item = list_item(
        user,
        _("Aid applications awaiting your decision"),
        ApplicationList,
        "aid:application-list",
        f"show={ApplicationFilterForm.AWAITING}",
    )
    return [item] if item is not None else []
