"""What waits in the reading rooms (``core.todo``): loans past their due date, counted
from the loan list's own "overdue" filter as the reader sees it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def library_todo(user) -> list[TodoItem]:
    from .views import LoanList

    label = _("Books overdue at the reading rooms")
    item = list_item(user, label, LoanList, "library:loan-list", "overdue=on")
    return [item] if item is not None else []
