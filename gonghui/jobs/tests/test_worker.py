"""The task worker (``gonghui jobs_worker``): a failing job is marked failed and the
worker goes on, even when the database refuses the failure's first record; the
jobs a dead worker left unfinished are marked failed when a worker starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gonghui.conftest import make_user
from gonghui.jobs import services
from gonghui.jobs.models import Job, JobStatus
from gonghui.jobs.services import job_finish, job_start
from gonghui.jobs.tasks import KINDS, SHORT_QUEUE, handler

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _database_tasks(settings, monkeypatch):
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", SHORT_QUEUE],
        }
    }
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    handler("test_explodes")(_explodes)
    handler("test_works")(_works)
    handler("test_short", queue=SHORT_QUEUE)(_works)
    yield
    for kind in ("test_explodes", "test_works", "test_short"):
        KINDS.pop(kind)


def _explodes(job):
    raise RuntimeError("the disk is full")


def _works(job):
    job_finish(job, message="all good")


@pytest.fixture
def user(db):
    return make_user("jobs_user", None)


def start(user, kind: str) -> Job:
    job = job_start(by=user, kind=kind, title=kind, params={})
    job.refresh_from_db()
    return job


def work(queue: str = "default") -> None:
    call_command("jobs_worker", "--batch", "--no-startup-delay", "--queue-name", queue, verbosity=0)


def task_of(job: Job) -> DBTaskResult:
    return DBTaskResult.objects.get(pk=job.task_id)


def test_a_job_whose_handler_raises_is_marked_failed_and_the_next_job_still_runs(user):
    failing, next_one = start(user, "test_explodes"), start(user, "test_works")
    work()
    failing.refresh_from_db()
    next_one.refresh_from_db()
    assert failing.status == JobStatus.FAILED
    assert failing.message == "The job failed: the disk is full"
    assert failing.finished_at is not None
    assert task_of(failing).status == TaskResultStatus.FAILED
    assert next_one.status == JobStatus.DONE


def test_a_failure_the_database_refuses_at_first_is_recorded_and_the_worker_goes_on(
    user, monkeypatch
):
    failing, next_one = start(user, "test_explodes"), start(user, "test_works")
    refused = []

    def locked_once(execute, sql, params, many, context):
        if sql.startswith('UPDATE "jobs_job"') and not refused and "failed" in (params or ()):
            refused.append(sql)
            raise OperationalError("database is locked")
        return execute(sql, params, many, context)

    # The task's own record cannot be written either: db_worker would end here.
    def set_failed(self, exc):
        raise OperationalError("database is locked")

    monkeypatch.setattr(DBTaskResult, "set_failed", set_failed)
    with connection.execute_wrapper(locked_once):
        work()
    assert refused
    failing.refresh_from_db()
    next_one.refresh_from_db()
    assert failing.status == JobStatus.FAILED
    assert failing.message == "The job failed: the disk is full"
    assert next_one.status == JobStatus.DONE


def test_jobs_left_unfinished_by_a_dead_worker_are_marked_failed_when_a_worker_starts(user):
    running = start(user, "test_works")
    DBTaskResult.objects.filter(pk=running.task_id).update(status=TaskResultStatus.RUNNING)
    Job.objects.filter(pk=running.pk).update(status=JobStatus.RUNNING, done=10, total=100)
    # Recorded, but the process ended before its task was enqueued.
    lost = Job.objects.create(kind="test_works", title="lost", started_by=user)
    Job.objects.filter(pk=lost.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    just_started = Job.objects.create(kind="test_works", title="just started", started_by=user)
    waiting = start(user, "test_works")
    other_queue = start(user, "test_short")
    DBTaskResult.objects.filter(pk=other_queue.task_id).update(status=TaskResultStatus.RUNNING)
    Job.objects.filter(pk=other_queue.pk).update(status=JobStatus.RUNNING)

    work("default")

    for job in (running, lost, just_started, waiting, other_queue):
        job.refresh_from_db()
    assert running.status == lost.status == JobStatus.FAILED
    assert running.message == (
        "The background worker stopped before this job finished. Please start it again."
    )
    assert task_of(running).status == TaskResultStatus.FAILED
    assert just_started.status == JobStatus.QUEUED  # its task may be on its way
    assert waiting.status == JobStatus.DONE  # its task was waiting: it ran
    # The exports queue has a worker of its own, alive: its job is not touched.
    assert other_queue.status == JobStatus.RUNNING
    assert task_of(other_queue).status == TaskResultStatus.RUNNING


def test_a_job_that_was_already_marked_failed_is_not_run(user):
    job = start(user, "test_works")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message="stopped")
    work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.message == "stopped"
