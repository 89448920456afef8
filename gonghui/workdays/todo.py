"""The warning county administrators see while a year deadlines reach is not confirmed
(``core.todo``): this year, and next year from 1 November."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, register

from . import selectors, services


@register
def workdays_todo(user) -> list[TodoItem]:
    if not user.has_perm(services.CHANGE):
        return []
    missing = selectors.unconfirmed_years(timezone.localdate())
    if not missing:
        return []
    return [
        TodoItem(
            _("Holiday years to enter (deadlines there are counted Monday to Friday)"),
            len(missing),
            reverse("workdays:year-list"),
        )
    ]
