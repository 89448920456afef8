"""What waits in needy-worker files: objections from the public notice to settle
(``core.todo``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def needy_todo(user) -> list[TodoItem]:
    from .views import ESTABLISH, FileList

    # Objections are settled by those who establish files (views.ObjectionResolve).
    if not user.has_perm(ESTABLISH):
        return []
    item = list_item(
        user,
        _("Needy-worker files with an objection to settle"),
        FileList,
        "needy:file-list",
        "objections=on",
    )
    return [item] if item is not None else []
