"""The background task that runs every job, and the handlers for each kind.

Handlers are registered by kind; a later app adds its own (imports, reports)
with ``@handler("kind")``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Job
from .services import job_fail, job_finish, job_progress

logger = logging.getLogger(__name__)
HANDLERS: dict[str, Callable[[Job], None]] = {}


def handler(kind: str):
    def register(function: Callable[[Job], None]):
        HANDLERS[kind] = function
        return function

    return register


@task()
def run_job(job_id: int) -> None:
    job = Job.objects.select_related("started_by").get(pk=job_id)
    try:
        with translation.override(job.language or settings.LANGUAGE_CODE):
            HANDLERS[job.kind](job)
    except Exception as exc:  # the user sees a message; the trace goes to the log
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        job_fail(job, _("The job failed: %(error)s") % {"error": exc})
        raise


def job_file_path(job: Job, suffix: str) -> Path:
    folder = Path(settings.MEDIA_ROOT) / "jobs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}{suffix}"


@handler("export")
def export_list(job: Job) -> None:
    """Rebuild the list the user was looking at, in their scope, and write it to .xlsx."""
    from gonghui.core import exports

    view_class = import_string(job.params["view"])
    view = view_class.for_query(job.started_by, job.params.get("query", ""))
    queryset = view.get_queryset()
    total = queryset.count()
    job.total = total
    job_progress(job, 0, total)
    path = job_file_path(job, ".xlsx")
    written = exports.write_xlsx(
        path,
        view.export_headers(),
        view.export_rows(queryset),
        sheet_title=str(view.title),
        progress=lambda done: job_progress(job, done),
    )
    job_finish(
        job,
        message=_("%(n)d rows exported.") % {"n": written},
        result_file=str(path),
        result_name=exports.xlsx_filename(view.export_stem),
    )
