"""Starting background jobs and reporting their progress."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .models import Job, JobStatus


def job_start(*, by, kind: str, title: str, params: dict) -> Job:
    """Record a job and enqueue its task once the record is committed."""
    from .tasks import run_job

    job = Job.objects.create(
        kind=kind,
        title=title,
        started_by=by,
        params=params,
        language=translation.get_language() or "",
    )

    def enqueue():
        result = run_job.enqueue(job.pk)
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
    job: Job, *, message: str = "", result_file: str = "", result_name: str = ""
) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.DONE,
        message=message,
        result_file=result_file,
        result_name=result_name,
        finished_at=timezone.now(),
        done=job.total or job.done,
    )


def job_fail(job: Job, message: str) -> None:
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, message=message, finished_at=timezone.now()
    )
