"""Background-job handlers of the roster pages (``jobs.tasks.handler``).

Imported by ``PeopleConfig.ready`` so that the web process and the worker
both know them.
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from gonghui.core import exports
from gonghui.jobs.models import Job
from gonghui.jobs.services import job_fail, job_finish, job_progress
from gonghui.jobs.tasks import SHORT_QUEUE, handler, job_file_path
from gonghui.orgs.models import Organisation

from .importer import roster_import
from .reader import RosterFileError
from .report import write_report
from .services import EXPORT_JOB, IMPORT_JOB, roster_export, roster_queryset, scope_key


def _problem(exc: Exception) -> str:
    if isinstance(exc, RosterFileError):
        return exc.message
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _say(job: Job, message: str) -> None:
    """What the job is doing now, on its page (committed at once: the page polls)."""
    Job.objects.filter(pk=job.pk).update(message=message)


def _keep(job: Job, upload: Path) -> Path:
    """Move a dry run's upload beside its report (owner-only), for ``roster_import_run``."""
    kept = job_file_path(job, ".roster")
    os.replace(upload, kept)
    kept.chmod(0o600)
    Job.objects.filter(pk=job.pk).update(params={**job.params, "kept": str(kept)})
    return kept


def _outcome(result, rejected: list[dict], union: Organisation) -> dict:
    """What the job page shows: the counts in the report's words, the first rejected rows."""
    return {
        "dry_run": result.dry_run,
        "union": union.pk,
        "rows": result.counted,
        "importable": result.imported,
        "counts": [list(line) for line in result.count_lines()],
        "rejected": rejected,
        "rejected_total": result.rejected,
    }


# Imports may run for minutes: one running per user (and a few waiting), on the
# default queue, away from the exports.
@handler(IMPORT_JOB, limited=True, outcome_template="people/roster/_import_outcome.html")
def roster_import_job(job: Job) -> None:
    """Check the roster, import it, write the report; the upload is deleted, except
    that a dry run's is kept for importing it as it is (``services.roster_import_run``).

    A real run's writes are one transaction, and progress written inside it
    stays invisible to the job page until it commits (on SQLite the page could
    not even write it). So a real run is checked first as a dry run, whose
    progress the page shows, then written, then reported on.
    """
    params = job.params
    upload = Path(params["path"])
    keep = False

    def progress(done: int, total: int) -> None:
        job.total = total
        job_progress(job, done, total)

    try:
        if "scope" in params and params["scope"] != scope_key(job.started_by):
            raise ValidationError(
                _("Your organisation has changed since the check. Upload the roster again.")
            )
        union = Organisation.objects.get(pk=params["union"])
        run = partial(
            roster_import,
            by=job.started_by,
            union=union,
            path=upload,
            source_name=params["file"],
        )
        if params["dry_run"]:
            result = run(dry_run=True, progress=progress)
        else:
            _say(job, _("Checking the rows…"))
            checked = run(dry_run=True, progress=progress)
            _say(
                job,
                _("Checked: %(imported)d rows to import, %(rejected)d rejected. Writing…")
                % {"imported": checked.imported, "rejected": checked.rejected},
            )
            result = run(dry_run=False)
        _say(job, _("Writing the report…"))
        report = job_file_path(job, ".xlsx")
        # The progress stays in the roster's rows: the report is written in one go.
        rejected = write_report(result, report)
        if params["dry_run"] and result.imported:
            upload = _keep(job, upload)
            keep = True
    except (RosterFileError, ValidationError, PermissionDenied, Organisation.DoesNotExist) as exc:
        # What the user can act on is their message; a bug still fails the job loudly.
        job_fail(job, _problem(exc) or _("The union no longer exists."))
        return
    finally:
        if not keep:
            upload.unlink(missing_ok=True)
    stem = Path(params["file"]).stem or "roster"
    job_finish(
        job,
        message=result.summary(),
        result_file=str(report),
        result_name=f"{stem}-{_('result')}.xlsx",
        total=result.counted,
        outcome=_outcome(result, rejected, union),
    )


@handler(EXPORT_JOB, queue=SHORT_QUEUE)
def roster_export_job(job: Job) -> None:
    params = job.params
    try:
        organisation = Organisation.objects.get(pk=params["organisation"])
        by = job.started_by
        job.total = roster_queryset(by=by, organisation=organisation).count()
        job_progress(job, 0, job.total)
        path = job_file_path(job, ".xlsx")
        written = roster_export(
            by=by,
            organisation=organisation,
            full_numbers=params["full_numbers"],
            target=path,
            ip_address=params.get("ip_address"),
            progress=lambda done: job_progress(job, done),
        )
    except (PermissionDenied, Organisation.DoesNotExist) as exc:
        job_fail(job, str(exc) or _("The organisation no longer exists."))
        return
    job_finish(
        job,
        message=_("%(n)d members exported.") % {"n": written},
        result_file=str(path),
        result_name=exports.xlsx_filename("member-roster"),
    )
