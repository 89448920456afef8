"""What waits in counselling: today's booked sessions (``core.todo``).

Staff and chairs count the bookings in their scope on the booking list
(``?when=today&status=booked``); a counsellor counts the booked slots of their
own calendar (``?when=today``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.todo import TodoItem, list_item, register

from . import selectors
from .forms import BookingFilterForm
from .models import BookingStatus


@register
def counselling_todo(user) -> list[TodoItem]:
    from .views import BookingList

    items = []
    if user.has_perm("counselling.add_counsellingslot"):
        query = f"when={BookingFilterForm.TODAY}"
        count = selectors.counsellor_calendar(user, booked_on=timezone.localdate()).count()
        items.append(
            TodoItem(
                _("Your counselling sessions booked for today"),
                count,
                f"{reverse('counselling:my-calendar')}?{query}",
            )
        )
    item = list_item(
        user,
        _("Counselling bookings for today"),
        BookingList,
        "counselling:booking-list",
        f"when={BookingFilterForm.TODAY}&status={BookingStatus.BOOKED.value}",
    )
    if item is not None:
        items.append(item)
    return items
