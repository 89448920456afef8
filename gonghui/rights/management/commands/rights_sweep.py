"""``gonghui rights_sweep``: flag overdue rights cases and escalate the long overdue.

For a nightly run from the scheduler, like ``remind_bookings`` (docs/inbox.md).
Idempotent: a second run the same night changes nothing (``services.rights_sweep``).
"""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from gonghui.rights.services import rights_sweep


class Command(BaseCommand):
    help = "Flag overdue rights cases and escalate those overdue past their rule's delay."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to sweep as (YYYY-MM-DD); default today")

    def handle(self, *args, **options):
        today = None
        if options["today"]:
            try:
                today = date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today takes a date as YYYY-MM-DD") from None
        result = rights_sweep(today=today)
        self.stdout.write(f"flagged: {result['flagged']}; escalated: {result['escalated']}")
