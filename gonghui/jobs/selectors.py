"""Reads of background jobs: a job is seen only by the user who started it."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone

from .models import Job, JobStatus

#: The most days back the job list's ``days`` filter reaches.
MAX_DAYS = 366


def own_jobs(user, query: QueryDict) -> QuerySet:
    """The jobs ``user`` started, filtered as the job list's query string says:
    ``status`` (queued, running, done, failed) and ``days`` (finished within
    that many days). Values that are not understood are ignored."""
    jobs = Job.objects.filter(started_by=user)
    status = query.get("status", "")
    if status in JobStatus.values:
        jobs = jobs.filter(status=status)
    days = query.get("days", "")
    if days.isdigit() and 1 <= int(days) <= MAX_DAYS:
        jobs = jobs.filter(finished_at__gte=timezone.now() - timedelta(days=int(days)))
    return jobs
