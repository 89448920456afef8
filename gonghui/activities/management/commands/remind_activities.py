"""``gonghui remind_activities``: tell each worker holding a place in tomorrow's
activity, once.

For a daily run from the scheduler, beside ``remind_bookings`` (docs/inbox.md), e.g.

    0 18 * * *  gonghui remind_activities

Each reminder is a message with the key ``activity-signup:<id>:tomorrow``, unique per
person, so a second run (the same day, or after a run that failed halfway) tells
nobody twice. Someone moved up from the waiting list after the day's run is told of
the place by the message that moved them up.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand

from gonghui.activities.services import signup_remind, tomorrows_signups


class Command(BaseCommand):
    help = "Send the reminders of tomorrow's activities (once each; run daily)."

    def handle(self, *args, **options):
        sent = sum(signup_remind(signup) for signup in tomorrows_signups())
        self.stdout.write(f"reminders sent: {sent}")
