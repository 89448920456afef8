"""The background task that runs every job, and the kinds of job it runs.

A kind is a handler registered with ``@handler("kind")``; a later app adds its
own (imports, reports). The kind also says which task queue runs it (one
worker per queue, ``scripts/serve.sh``) and how many jobs of it one user may
have waiting or running at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from .models import Job
from .services import job_fail, job_finish, job_progress

logger = logging.getLogger(__name__)

#: The queue of jobs that may run long (imports): one worker works through it.
DEFAULT_QUEUE = "default"
#: The queue of short jobs (exports), so that a long import never keeps them waiting.
SHORT_QUEUE = "exports"


@dataclass(frozen=True)
class JobKind:
    """How a kind of job runs: its handler, its queue, and the per-user limit
    (``limited``: one running and ``settings.JOBS_MAX_QUEUED_PER_USER`` waiting)."""

    run: Callable[[Job], None]
    queue: str = DEFAULT_QUEUE
    limited: bool = False
    #: A template the finished job's page includes to show ``Job.outcome``.
    outcome_template: str = ""


KINDS: dict[str, JobKind] = {}


class JobFailed(Exception):
    """Raised by ``run_job`` after it has recorded a job's failure on the job, so that
    the task's own record says "failed" too (the full trace is in the log)."""


def handler(
    kind: str, *, queue: str = DEFAULT_QUEUE, limited: bool = False, outcome_template: str = ""
):
    def register(function: Callable[[Job], None]):
        KINDS[kind] = JobKind(
            run=function, queue=queue, limited=limited, outcome_template=outcome_template
        )
        return function

    return register


@task()
def run_job(job_id: int) -> None:
    """Run the job's handler; whatever happens, the job ends done or failed.

    The failure is recorded after the ``except`` block, once the exception and
    its traceback are gone: they hold the handler's frames, and with them any
    database cursor it still had open, whose read would keep the connection's
    snapshot and make the write fail as well (SQLITE_BUSY_SNAPSHOT).
    """
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None or job.finished:
        return  # deleted, or already failed (by the start of a worker)
    failure: str | None = None
    try:
        kind = KINDS.get(job.kind)
        if kind is None:
            raise LookupError(f"no handler for jobs of kind {job.kind!r}")
        with translation.override(job.language or settings.LANGUAGE_CODE):
            kind.run(job)
    except Exception as exc:  # the user sees a message; the trace goes to the log
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        with translation.override(job.language or settings.LANGUAGE_CODE):
            failure = _("The job failed: %(error)s") % {"error": exc}
    if failure is not None:
        job_fail(job, failure)
        raise JobFailed(f"job {job.pk} ({job.kind}): {failure}")


def job_file_path(job: Job, suffix: str) -> Path:
    """Where ``job`` writes its file: created empty, readable by the owner only
    (a file written over keeps its rights), in a folder only the owner enters."""
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder = media / "jobs"
    folder.mkdir(mode=0o700, exist_ok=True)
    folder.chmod(0o700)
    path = folder / f"job-{job.pk}{suffix}"
    path.touch(mode=0o600)
    path.chmod(0o600)
    return path


def _rows_in_chunks(view, queryset):
    from gonghui.core import exports

    for part in exports.querysets_in_chunks(queryset):
        # Every row of the slice is read before any is handed on: the job writes
        # its progress in between, which it must not do with a read still open.
        yield from list(view.export_rows(part))


@handler("export", queue=SHORT_QUEUE)
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
    written = view.export_write(
        path,
        queryset,
        rows=_rows_in_chunks(view, queryset),
        progress=lambda done: job_progress(job, done),
    )
    path.chmod(0o600)
    job_finish(
        job,
        message=_("%(n)d rows exported.") % {"n": written},
        result_file=str(path),
        result_name=exports.xlsx_filename(view.export_stem),
    )
