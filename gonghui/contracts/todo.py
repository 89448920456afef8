"""What waits in collective contracts (``core.todo``): contracts ending within 90 days,
and signed contracts whose filing is overdue (more than 10 days after signing).

Each counts the rows of the contract list with the same filter, as the user sees it,
so the number on the home page is what the link shows.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register

from .models import EXPIRY_WARNING_DAYS


@register
def contracts_todo(user) -> list[TodoItem]:
    from .views import ContractList

    items = []
    for label, query in (
        (
            _("Collective contracts ending within %(days)s days") % {"days": EXPIRY_WARNING_DAYS},
            "expiring=on",
        ),
        (_("Collective contracts not filed within 10 days of signing"), "filing_overdue=on"),
    ):
        item = list_item(user, label, ContractList, "contracts:list", query)
        if item is not None:
            items.append(item)
    return items
