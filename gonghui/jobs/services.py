"""Starting background jobs, reporting their progress, and ending them.

A job always ends done or failed: ``job_fail`` outlasts a busy database,
and a worker that starts marks failed the jobs a dead worker left behind
(``jobs_fail_abandoned``).
"""

from __future__ import annotations

import logging
import time
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Job, JobStatus

logger = logging.getLogger(__name__)
UNFINISHED = (JobStatus.QUEUED, JobStatus.RUNNING)
#: A job whose task was never enqueued this long after it was recorded was lost
#: (the process ended between the commit and the enqueue).
ENQUEUE_GRACE = timedelta(minutes=1)


def job_check_limit(*, by, kind: str) -> None:
    """Refuse a job of a limited kind (imports) when ``by`` already has one running
    and ``settings.JOBS_MAX_QUEUED_PER_USER`` more waiting: one user's files must
    not hold the queue every other user's jobs wait in."""
    from .tasks import KINDS

    job_kind = KINDS.get(kind)
    if job_kind is None or not job_kind.limited:
        return
    allowed = 1 + settings.JOBS_MAX_QUEUED_PER_USER
    unfinished = Job.objects.filter(started_by=by, kind=kind, status__in=UNFINISHED).count()
    if unfinished >= allowed:
        raise ValidationError(
            ngettext(
                "You already have %(count)d job like this waiting or running. Start "
                "another when it has finished (see Background jobs).",
                "You already have %(count)d jobs like this waiting or running. Start "
                "another when one of them has finished (see Background jobs).",
                unfinished,
            )
            % {"count": unfinished},
            code="too_many_jobs",
        )


@transaction.atomic
def job_start(*, by, kind: str, title: str, params: dict) -> Job:
    """Record a job and enqueue its task on the kind's queue once the record is committed."""
    from .tasks import DEFAULT_QUEUE, KINDS, run_job

    job_kind = KINDS.get(kind)
    if job_kind is not None and job_kind.limited:
        # One user's starts one at a time (PostgreSQL; SQLite writes one at a time anyway).
        get_user_model().objects.select_for_update().filter(pk=by.pk).first()
        job_check_limit(by=by, kind=kind)
    job = Job.objects.create(
        kind=kind,
        title=title,
        started_by=by,
        params=params,
        language=translation.get_language() or "",
    )
    queue = job_kind.queue if job_kind is not None else DEFAULT_QUEUE

    def enqueue():
        result = run_job.using(queue_name=queue).enqueue(job.pk)
        Job.objects.filter(pk=job.pk).update(task_id=str(result.id))

    transaction.on_commit(enqueue)
    return job


def export_start(*, view, by) -> Job:
    """Export a console list in the background (too long to build within a request)."""
    cls = type(view)
    return job_start(
        by=by,
        kind="export",
        title=_("Excel export: %(title)s") % {"title": view.title},
        params={
            "view": f"{cls.__module__}.{cls.__qualname__}",
            "query": view.request.GET.urlencode(),
        },
    )


def job_progress(job: Job, done: int, total: int | None = None) -> None:
    fields = {"done": done, "status": JobStatus.RUNNING}
    if total is not None:
        fields["total"] = total
    Job.objects.filter(pk=job.pk).update(**fields)


def job_finish(
    job: Job,
    *,
    message: str = "",
    result_file: str = "",
    result_name: str = "",
    total: int | None = None,
    outcome: dict | None = None,
) -> None:
    """Mark ``job`` done; ``total``, when given, is the exact count its progress estimated."""
    fields = {}
    if total is not None:
        job.total = total
        fields["total"] = total
    if outcome is not None:
        job.outcome = outcome
        fields["outcome"] = outcome
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        message=message,
        result_file=result_file,
        result_name=result_name,
        finished_at=timezone.now(),
        done=total if total is not None else (job.total or job.done),
        **fields,
    )


def job_fail(job: Job, message: str, *, attempts: int = 5) -> bool:
    """Mark ``job`` failed with ``message``; never raises.

    A database error (a lock held too long, a dropped connection) is retried on
    a fresh connection, which holds no stale snapshot, a few times over about
    half a minute; returns whether the failure was recorded (if not, the next
    start of a worker records it).
    """
    for attempt in range(1, attempts + 1):
        try:
            Job.objects.filter(pk=job.pk, status__in=UNFINISHED).update(
                status=JobStatus.FAILED, message=message, finished_at=timezone.now()
            )
            return True
        except DatabaseError:
            logger.warning("recording the failure of job %s failed", job.pk, exc_info=True)
            if connection.in_atomic_block or attempt == attempts:
                break  # a transaction that failed cannot be retried from within
            connection.close()
            time.sleep(attempt)
    logger.error("job %s could not be marked failed: %s", job.pk, message)
    return False


def _abandoned_message(job: Job) -> str:
    with translation.override(job.language or settings.LANGUAGE_CODE):
        return _("The background worker stopped before this job finished. Please start it again.")


def jobs_fail_abandoned(*, queues: list[str] | None) -> int:
    """Mark failed the jobs that a dead worker of ``queues`` (None: every queue) left
    behind, and the task it was running; returns how many jobs.

    Called by a worker as it starts (``gonghui jobs_worker``): each queue has one
    worker, so a task of its queue still "running" belongs to a worker that
    died. A job is abandoned when its task is running, finished, or gone, or
    when it never got a task (``ENQUEUE_GRACE`` after it was recorded); a job
    whose task is still waiting is left to run.
    """
    from django_tasks_db.compat import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from .tasks import DEFAULT_QUEUE, KINDS

    jobs = list(Job.objects.filter(status__in=UNFINISHED))
    task_ids = []
    for job in jobs:
        try:
            task_ids.append(uuid.UUID(job.task_id))
        except ValueError:
            pass
    tasks = {str(t.id): t for t in DBTaskResult.objects.filter(id__in=task_ids)}
    now = timezone.now()
    abandoned = []
    for job in jobs:
        task_result = tasks.get(job.task_id)
        if task_result is not None:
            queue = task_result.queue_name
        else:
            queue = KINDS[job.kind].queue if job.kind in KINDS else DEFAULT_QUEUE
        if queues is not None and queue not in queues:
            continue
        if task_result is not None and task_result.status == TaskResultStatus.READY:
            continue
        if not job.task_id and job.created_at > now - ENQUEUE_GRACE:
            continue
        abandoned.append(job)
    running = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING)
    if queues is not None:
        running = running.filter(queue_name__in=queues)
    running.update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="gonghui.jobs.services.WorkerStopped",
        traceback="The worker running this task stopped before it finished.",
    )
    for job in abandoned:
        logger.warning(
            "job %s (%s) was left unfinished by a worker; marked failed", job.pk, job.kind
        )
        job_fail(job, _abandoned_message(job))
    return len(abandoned)
