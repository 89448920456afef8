"""``gonghui roster import FILE --union CODE``: a member roster into a union.

Without ``--user`` the command acts as the operator, like every other command:
any union of the tree, and the memberships it starts name no creating user.
With ``--user USERNAME`` it acts as that staff account: its permission and
its scope apply, and the memberships and the audit entry name it.

stdout carries the result (with ``--json``: one JSON object and nothing else);
the progress bar and messages go to stderr.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from gonghui.accounts.models import User
from gonghui.orgs.models import Organisation
from gonghui.people.roster.importer import roster_import
from gonghui.people.roster.reader import RosterFileError
from gonghui.people.roster.report import write_report
from gonghui.people.roster.result import RowStatus, status_label

BAR_WIDTH = 30


class ProgressBar:
    """A one-line bar on a terminal; elsewhere (a log, a pipe) a line every tenth of the way."""

    def __init__(self, stream):
        # ``stream`` is a command's OutputWrapper: write(text, ending="") writes text as it is.
        self.stream = stream
        self.tty = stream.isatty()
        self.started = time.monotonic()
        self.shown_tenths = -1

    def __call__(self, done: int, total: int) -> None:
        fraction = done / total if total else 1.0
        seconds = time.monotonic() - self.started
        if self.tty:
            filled = int(fraction * BAR_WIDTH)
            bar = "#" * filled + "." * (BAR_WIDTH - filled)
            self.stream.write(
                f"\r[{bar}] {fraction:4.0%} {done}/{total} {seconds:5.1f}s", ending=""
            )
        else:
            tenths = int(fraction * 10)
            if tenths == self.shown_tenths:
                return
            self.shown_tenths = tenths
            self.stream.write(f"{fraction:4.0%} {done}/{total} {seconds:5.1f}s")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("")
            self.stream.flush()


class _Raw:
    """A command's stdout written to as a plain text stream (no line endings added)."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")


class Command(BaseCommand):
    help = "Work with member rosters (花名册)."

    def add_arguments(self, parser):
        subcommands = parser.add_subparsers(dest="subcommand", required=True, metavar="SUBCOMMAND")
        importing = subcommands.add_parser(
            "import",
            help="Import a roster (.xlsx, .xls or .csv) into a grassroots or joint union.",
        )
        importing.add_argument("file", metavar="FILE", help="The roster file.")
        importing.add_argument(
            "--union", required=True, metavar="CODE", help="Code of the union the rows join."
        )
        importing.add_argument(
            "--dry-run", action="store_true", help="Check every row and report; write nothing."
        )
        importing.add_argument(
            "--report", metavar="OUT.xlsx", help="Write the rows with their results to this file."
        )
        importing.add_argument(
            "--json", action="store_true", dest="as_json", help="Print one JSON object."
        )
        importing.add_argument(
            "--user",
            metavar="USERNAME",
            help="Act as this staff account (its scope applies); default: the operator.",
        )

    def handle(self, *args, subcommand: str, **options):
        getattr(self, f"handle_{subcommand}")(**options)

    def handle_import(
        self,
        *,
        file: str,
        union: str,
        dry_run: bool = False,
        report: str | None = None,
        as_json: bool = False,
        user: str | None = None,
        **options,
    ):
        path = Path(file)
        if not path.is_file():
            self._fail(_("There is no file %(file)s.") % {"file": file}, as_json)
        target = Organisation.objects.filter(code=union).first()
        if target is None:
            self._fail(_("No organisation has the code “%(code)s”.") % {"code": union}, as_json)
        by = None
        if user:
            by = User.objects.filter(username=user, is_active=True).first()
            if by is None:
                self._fail(_("No active account is named “%(user)s”.") % {"user": user}, as_json)
        progress = ProgressBar(self.stderr)
        try:
            result = roster_import(
                by=by, union=target, path=path, dry_run=dry_run, progress=progress
            )
        except RosterFileError as exc:
            progress.close()
            self._fail(exc.message, as_json)
        except (ValidationError, PermissionDenied) as exc:
            progress.close()
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            self._fail(" ".join(messages), as_json)
        progress.close()
        if report:
            try:
                write_report(result, report)
            except OSError as exc:
                self._fail(
                    _("The report could not be written to %(file)s: %(error)s")
                    % {"file": report, "error": exc.strerror or exc},
                    as_json,
                )
        if as_json:
            result.write_json(_Raw(self.stdout))
            return
        self.stdout.write(result.summary())
        for row, status, reasons in result.rows():
            if status == RowStatus.IMPORTED:
                continue
            label = status_label(status, dry_run=dry_run)
            self.stdout.write(
                _("row %(row)d: %(status)s. %(reasons)s")
                % {"row": row, "status": label, "reasons": " ".join(reasons)}
            )
        if report:
            self.stdout.write(_("Report written to %(file)s.") % {"file": report})

    def _fail(self, message: str, as_json: bool) -> NoReturn:
        if as_json:
            data = {"error": message, "imported": 0, "rejected": 0, "warnings": 0, "rows": []}
            self.stdout.write(json.dumps(data, ensure_ascii=False))
        raise CommandError(message)
