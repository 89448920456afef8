"""``gonghui backup DIR``: the database and the uploaded files into a new folder, with a
manifest of row counts, checksums and file hashes (core.backup; docs/operations.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a new folder."

    def add_arguments(self, parser):
        parser.add_argument("dir", help="a new or empty folder")

    def handle(self, *args, **options):
        try:
            summary = backup(options["dir"])
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _("Backed up %(tables)s tables (%(rows)s rows) and %(files)s files into %(dir)s.")
            % {
                "tables": summary.tables,
                "rows": summary.rows,
                "files": summary.files,
                "dir": options["dir"],
            }
        )
