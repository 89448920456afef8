"""``gonghui remind_bookings``: tell each worker booked for tomorrow, once.

For a daily run from the scheduler (docs/inbox.md). Each booking's reminder is a
message with the key ``booking:<id>:tomorrow``, unique per person, so a second run
(the same day, or a run repeated after a failure) tells nobody twice.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.core.management.base import BaseCommand
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.counselling.models import Booking, BookingStatus
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language


def reminder_key(booking: Booking) -> str:
    return f"booking:{booking.pk}:tomorrow"


def tomorrows_bookings():
    day = timezone.localdate() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(day, time.min))
    return (
        Booking.objects.filter(
            status=BookingStatus.BOOKED,
            slot__withdrawn_at__isnull=True,
            slot__starts_at__gte=start,
            slot__starts_at__lt=start + timedelta(days=1),
        )
        .select_related("slot", "person")
        .order_by("slot__starts_at", "pk")
    )


def booking_remind(booking: Booking) -> bool:
    """Remind the booking's worker; False if they were reminded already."""
    slot = booking.slot
    at = timezone.localtime(slot.starts_at)
    with workers_language():
        try:
            with transaction.atomic():
                message = notify(
                    booking.person,
                    MessageKind.BOOKING_TOMORROW,
                    # "Appointment", not what it is for: a phone is often shared.
                    title=_("Reminder: your appointment tomorrow at %(time)s")
                    % {"time": f"{at:%H:%M}"},
                    body=_("%(start)s to %(end)s, %(place)s.")
                    % {
                        "start": f"{at:%Y-%m-%d %H:%M}",
                        "end": f"{timezone.localtime(slot.ends_at):%H:%M}",
                        "place": slot.place or slot.get_mode_display(),
                    },
                    key=reminder_key(booking),
                )
        except IntegrityError:
            return False  # a run at the same moment wrote it first
    return message is not None


class Command(BaseCommand):
    help = "Send the reminders of tomorrow's counselling bookings (once each; run daily)."

    def handle(self, *args, **options):
        sent = sum(booking_remind(booking) for booking in tomorrows_bookings())
        self.stdout.write(f"reminders sent: {sent}")
