"""Fault drill: the disk fills up while a roster upload is kept for its import
(docs/security.md, "Load and fault drills"). The user is told why; no file, no job."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core.tests.disk import files_under, fill_the_disk
from gonghui.jobs.models import Job
from gonghui.people.models import Person
from gonghui.people.roster import services

from .roster_fixtures import cases, write_roster

IMPORT = reverse("people:roster:import")
DISK_FULL = "The server&#x27;s disk is full, so the file was not saved."


def test_a_full_disk_during_a_roster_upload_leaves_no_file_and_no_job(
    people, county, client_for, settings, monkeypatch, tmp_path
):
    content = write_roster("xlsx", tmp_path, cases(people)).read_bytes()
    people_before = Person.objects.count()
    fill_the_disk(monkeypatch, settings.MEDIA_ROOT, services)

    response = client_for(county.chair1).post(
        IMPORT, {"union": county.g1.pk, "file": SimpleUploadedFile("花名册.xlsx", content)}
    )

    assert response.status_code == 200  # the form again, with the reason
    page = response.content.decode()
    assert DISK_FULL in page
    assert "Traceback" not in page
    assert not Job.objects.exists()
    assert Person.objects.count() == people_before
    assert files_under(settings.MEDIA_ROOT) == []
