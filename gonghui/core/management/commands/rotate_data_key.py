"""``gonghui rotate_data_key``: re-encrypt every encrypted column with the current data key.

See docs/operations.md ("Rotating the data key").
"""

from django.core.management.base import BaseCommand

from gonghui.core import crypto


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the current (first) key of GONGHUI_DATA_KEY, "
        "in batches. Safe to interrupt and to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Only print a new random key to put in front of GONGHUI_DATA_KEY, and exit.",
        )

    def handle(self, *args, batch_size, new_key, **options):
        if new_key:
            self.stdout.write(crypto.generate_key())
            return
        ring = crypto.keyring()
        self.stderr.write(f"Current data key: {ring.current_id}")
        changed = crypto.rotate_data_key(
            batch_size=batch_size,
            progress=lambda label, done: self.stderr.write(f"  {label}: {done} rows re-encrypted"),
        )
        for label, count in changed.items():
            self.stdout.write(f"{label}: {count} rows re-encrypted")
        self.stdout.write(
            self.style.SUCCESS(f"Every encrypted value now uses key {ring.current_id}.")
        )
