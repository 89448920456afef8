"""What waits in competitions (``core.todo``): registrations awaiting the organiser's
approval, for the staff of the organising union and of those above it (who run the
competitions organised in their subtree)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def competitions_todo(user) -> list[TodoItem]:
    from .views import CHANGE, CompetitionList

    if not user.has_perm(CHANGE):
        return []
    item = list_item(
        user,
        _("Competitions with registrations awaiting your approval"),
        CompetitionList,
        "competitions:list",
        "awaiting=on",
    )
    return [item] if item is not None else []
