"""Fault drill: the disk fills up while an evidence file is written (docs/security.md,
"Load and fault drills"). The user is told why; no file, no row is left."""

from __future__ import annotations

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.aid.models import Evidence
from gonghui.core.tests.disk import files_under, fill_the_disk

from .conftest import relief_application

PDF = b"%PDF-1.7\n" + b"0" * 200_000
DISK_FULL = "The server&#x27;s disk is full, so the file was not saved."


def test_a_full_disk_during_an_evidence_upload_leaves_no_file_and_no_row(
    county, aid, client_for, settings, monkeypatch
):
    application = relief_application(county, aid)
    fill_the_disk(monkeypatch, settings.MEDIA_ROOT)

    response = client_for(county.chair1).post(
        f"/aid/{application.pk}/evidence/",
        {"kind": "income", "upload": SimpleUploadedFile("证明.pdf", PDF, "application/pdf")},
    )

    assert response.status_code == 200  # the form again, with the reason
    page = response.content.decode()
    assert DISK_FULL in page
    assert "Traceback" not in page
    assert not Evidence.objects.exists()
    assert files_under(settings.MEDIA_ROOT) == []


def test_once_there_is_room_again_the_same_upload_is_stored_whole(
    county, aid, client_for, settings, monkeypatch
):
    application = relief_application(county, aid)
    client = client_for(county.chair1)
    with monkeypatch.context() as full:
        fill_the_disk(full, settings.MEDIA_ROOT)
        client.post(
            f"/aid/{application.pk}/evidence/",
            {"kind": "income", "upload": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
        )

    response = client.post(
        f"/aid/{application.pk}/evidence/",
        {"kind": "income", "upload": SimpleUploadedFile("a.pdf", PDF, "application/pdf")},
    )

    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.read() == PDF
    assert files_under(settings.MEDIA_ROOT) == [Path(evidence.file.path)]
