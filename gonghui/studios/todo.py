"""What waits in studios and mentoring (``core.todo``): mentoring pairs whose agreement
has ended without the evaluation that closes them (名师带高徒: the outcome is what the
pair is counted by), for the union the pair is placed at and those above it."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def studios_todo(user) -> list[TodoItem]:
    from .views import CHANGE_PAIR, PairList

    if not user.has_perm(CHANGE_PAIR):
        return []
    item = list_item(
        user,
        _("Mentoring pairs ended without an evaluation"),
        PairList,
        "studios:pair-list",
        "evaluation_due=on",
    )
    return [item] if item is not None else []
