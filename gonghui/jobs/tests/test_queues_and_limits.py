"""Exports run on a queue of their own, so a long import never keeps them waiting;
a user has at most one import running and JOBS_MAX_QUEUED_PER_USER waiting."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from gonghui.jobs.models import Job, JobStatus
from gonghui.people.roster.services import (
    IMPORT_JOB,
    UPLOAD_FOLDER,
    roster_export_start,
    roster_import_start,
)

IMPORT = reverse("people:roster:import")
ROSTER = "姓名,身份证号码\n张三,330106199001010011\n".encode()
TOO_MANY = (
    "You already have 3 jobs like this waiting or running. Start another when one of "
    "them has finished (see Background jobs)."
)


@pytest.fixture(autouse=True)
def _database_tasks(settings):
    """Tasks are only queued (no worker runs here): what waits is what is counted."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "exports"],
        }
    }
    settings.JOBS_MAX_QUEUED_PER_USER = 2


def queue_of(job: Job) -> str:
    job.refresh_from_db()
    return DBTaskResult.objects.get(pk=job.task_id).queue_name


def upload(client, union, capture):
    data = {"union": union.pk, "file": SimpleUploadedFile("花名册.csv", ROSTER)}
    with capture(execute=True):
        return client.post(IMPORT, data)


def kept_uploads(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    return list(folder.iterdir()) if folder.exists() else []


def test_exports_are_queued_apart_from_imports(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    settings.EXPORT_INLINE_MAX_ROWS = -1  # every list exports in the background
    with django_capture_on_commit_callbacks(execute=True):
        imported = roster_import_start(
            by=county.chair1,
            union=county.g1,
            upload=SimpleUploadedFile("花名册.csv", ROSTER),
            dry_run=True,
        )
        roster = roster_export_start(by=county.admin, organisation=county.root, full_numbers=False)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(county.admin).get(reverse("people:person-list") + "?export=xlsx")
    assert response.status_code == 302
    listed = Job.objects.get(kind="export")
    assert queue_of(imported) == "default"
    assert queue_of(roster) == "exports"
    assert queue_of(listed) == "exports"


def test_a_fourth_import_while_three_wait_is_refused_with_a_message_and_keeps_no_file(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    client = client_for(county.chair1)
    for _ in range(3):
        response = upload(client, county.g1, django_capture_on_commit_callbacks)
        assert response.status_code == 302
    response = upload(client, county.g1, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    assert Job.objects.filter(kind=IMPORT_JOB, started_by=county.chair1).count() == 3
    assert len(kept_uploads(settings)) == 3


def test_the_limit_is_per_user_and_frees_up_as_imports_finish(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    chair1 = client_for(county.chair1)
    for _ in range(3):
        assert upload(chair1, county.g1, django_capture_on_commit_callbacks).status_code == 302
    # Another user's import is not held back by chair1's.
    roster_import_start(
        by=county.chair2,
        union=county.g2,
        upload=SimpleUploadedFile("花名册.csv", ROSTER),
        dry_run=True,
    )
    first = Job.objects.filter(started_by=county.chair1).earliest("pk")
    Job.objects.filter(pk=first.pk).update(status=JobStatus.DONE)
    response = upload(chair1, county.g1, django_capture_on_commit_callbacks)
    assert response.status_code == 302, response.content.decode()


def test_the_limit_counts_a_running_import(county, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = roster_import_start(
            by=county.chair1,
            union=county.g1,
            upload=SimpleUploadedFile("花名册.csv", ROSTER),
            dry_run=True,
        )
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING)
    for _ in range(2):
        roster_import_start(
            by=county.chair1,
            union=county.g1,
            upload=SimpleUploadedFile("花名册.csv", ROSTER),
            dry_run=True,
        )
    with pytest.raises(ValidationError) as refused:
        roster_import_start(
            by=county.chair1,
            union=county.g1,
            upload=SimpleUploadedFile("花名册.csv", ROSTER),
            dry_run=True,
        )
    assert refused.value.messages == [TOO_MANY]
