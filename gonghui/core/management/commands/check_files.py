"""``gonghui check_files``: list the records whose files are missing from storage.

It walks every installed model's ``FileField`` (and ``ImageField``), and the
columns a model names in ``file_path_columns`` (text columns holding a path,
absolute or relative to ``MEDIA_ROOT``), so a new app's files are checked
without changing the command. Nothing is changed: restore the files from the
backup, or have the records' files uploaded again.

Exit status 1 when any file is missing, so a scheduler or a monitoring check
sees it; ``--json`` prints the result for another program.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import models

#: Rows read at a time: the walk holds no more than this many names in memory.
CHUNK = 2000


@dataclass(frozen=True)
class Missing:
    model: str
    pk: object
    field: str
    name: str


def file_columns() -> list[tuple[type[models.Model], str, object]]:
    """(model, column, how to test a stored name) for every file column of the project."""
    found = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                found.append((model, field.attname, field.storage.exists))
        for name in getattr(model, "file_path_columns", ()):
            found.append((model, name, _path_exists))
    return found


def _path_exists(name: str) -> bool:
    path = Path(name)
    if not path.is_absolute():
        path = Path(settings.MEDIA_ROOT) / path
    return path.is_file()


def missing_files() -> tuple[int, list[Missing]]:
    """How many stored files were checked, and the records whose file is not there."""
    checked = 0
    missing: list[Missing] = []
    for model, column, exists in file_columns():
        rows = (
            model._base_manager.exclude(**{column: ""})
            .exclude(**{f"{column}__isnull": True})
            .order_by("pk")
            .values_list("pk", column)
        )
        for pk, name in rows.iterator(chunk_size=CHUNK):
            checked += 1
            if not exists(name):
                missing.append(Missing(model._meta.label, pk, column, name))
    return checked, missing


class Command(BaseCommand):
    help = (
        "List the records whose files (FileFields and the columns a model names in "
        "file_path_columns) are missing from storage; exit status 1 when any is."
    )

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the result as JSON.")

    def handle(self, *args, **options):
        checked, missing = missing_files()
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {"checked": checked, "missing": [asdict(item) for item in missing]},
                    ensure_ascii=False,
                    default=str,
                )
            )
        else:
            for item in missing:
                self.stdout.write(f"{item.model} {item.pk} {item.field}: {item.name}")
            summary = f"{checked} files checked, {len(missing)} missing."
            self.stdout.write(summary if missing else self.style.SUCCESS(summary))
        if missing:
            raise CommandError(f"{len(missing)} files are missing.", returncode=1)
