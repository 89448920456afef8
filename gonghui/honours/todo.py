"""What waits in honours (``core.todo``): model workers whose care is overdue, for the
union responsible for them (and those above it), and nominations waiting for the
reader's level."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register


@register
def honours_todo(user) -> list[TodoItem]:
    from .models import Nomination, NominationStatus
    from .views import MANAGE_CARE, REVIEW, CareList

    items: list[TodoItem] = []
    if user.has_perm(MANAGE_CARE):
        item = list_item(
            user, _("Model workers with care overdue"), CareList, "honours:care-list", "overdue=on"
        )
        if item is not None:
            items.append(item)
    if user.has_perm(REVIEW) and getattr(user, "organisation_id", None):
        waiting = Nomination.objects.filter(
            status=NominationStatus.REVIEW, awaiting_id=user.organisation_id
        ).count()
        items.append(
            TodoItem(
                _("Nominations waiting for your review"),
                waiting,
                reverse("honours:nomination-list"),
            )
        )
    return items
