"""The ``gonghui`` console command: Django's management commands under one name.

``gonghui orgs list`` is ``manage.py orgs list``; ``gonghui migrate`` is
``manage.py migrate``.
"""

import os
import sys


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["gonghui", *(argv if argv is not None else sys.argv[1:])])
    return 0
