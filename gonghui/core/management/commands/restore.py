"""``gonghui restore DIR``: a backup of ``gonghui backup`` into the configured database,
which must be empty, and ``MEDIA_ROOT``; refused before anything is written when the
backup is changed or the keys in force are not the backup's (core.backup)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Restore a backup into an empty database and an empty media folder."

    # The target has no tables yet: the usual checks would find it unmigrated.
    requires_migrations_checks = False
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("dir", help="a folder written by `gonghui backup`")

    def handle(self, *args, **options):
        try:
            summary = restore(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored %(tables)s tables (%(rows)s rows) and %(files)s files; every table "
                "and file matches the backup."
            )
            % {"tables": summary.tables, "rows": summary.rows, "files": summary.files}
        )
