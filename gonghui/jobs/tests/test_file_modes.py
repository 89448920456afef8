"""Files holding personal data are readable by their owner only (0600, folders 0700):
an import's report, an export, an evidence upload; and, as the settings load, the
var folder and the SQLite database."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.aid import services as aid_services
from gonghui.aid.evidence import evidence_add
from gonghui.aid.tests.conftest import aid  # noqa: F401 - the aid world, as a fixture
from gonghui.jobs.models import Job, JobStatus
from gonghui.people.roster.services import roster_import_start

ROSTER = "姓名,身份证号码\n张三,330106199001010011\n".encode()


def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def assert_private(path: Path, media: Path) -> None:
    """The file is 0600 and every folder from it up to MEDIA_ROOT is 0700."""
    assert mode(path) == 0o600, path
    folder = path.parent
    while True:
        assert mode(folder) == 0o700, folder
        if folder == media:
            break
        folder = folder.parent


@pytest.fixture(autouse=True)
def _media(settings):
    """MEDIA_ROOT as the settings create it (0700) before anything is uploaded."""
    Path(settings.MEDIA_ROOT).mkdir(mode=0o700)


def test_an_import_report_and_an_export_are_private(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    media = Path(settings.MEDIA_ROOT)
    with django_capture_on_commit_callbacks(execute=True):
        imported = roster_import_start(
            by=county.chair1,
            union=county.g1,
            upload=SimpleUploadedFile("花名册.csv", ROSTER),
            dry_run=True,
        )
    settings.EXPORT_INLINE_MAX_ROWS = -1  # every list exports in the background
    with django_capture_on_commit_callbacks(execute=True):
        client_for(county.admin).get(reverse("people:person-list") + "?export=xlsx")
    exported = Job.objects.get(kind="export")
    for job in (imported, exported):
        job.refresh_from_db()
        assert job.status == JobStatus.DONE, job.message
        assert_private(Path(job.result_file), media)


def test_an_evidence_upload_is_private(county, aid, settings):  # noqa: F811
    application = aid_services.aid_application_create(
        by=county.chair1,
        campaign=aid.relief_campaign,
        person=aid.p1,
        amount_requested=Decimal("1000.00"),
        reason="家庭困难",
        bank_name="工商银行",
        bank_account="6222020200001111",
    )
    evidence = evidence_add(
        by=county.chair1,
        application=application,
        kind="invoice",
        upload=SimpleUploadedFile("发票.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    assert_private(Path(evidence.file.path), Path(settings.MEDIA_ROOT))


def test_the_settings_close_the_var_folder_and_the_database_to_others(tmp_path):
    var = tmp_path / "var"
    (var / "media").mkdir(parents=True, mode=0o755)
    var.chmod(0o755)
    (var / "media").chmod(0o755)
    (var / "gonghui.sqlite3").touch(mode=0o644)
    (var / "gonghui.sqlite3").chmod(0o644)
    env = {**os.environ, "GONGHUI_VAR_DIR": str(var), "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "-c", "import gonghui.settings"], env=env, check=True, timeout=60
    )
    assert mode(var) == 0o700
    assert mode(var / "media") == 0o700
    assert mode(var / "gonghui.sqlite3") == 0o600
    assert mode(var / "secret_key") == 0o600


def test_a_new_database_is_created_private(tmp_path):
    var = tmp_path / "var"
    env = {**os.environ, "GONGHUI_VAR_DIR": str(var), "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "-c", "import gonghui.settings"], env=env, check=True, timeout=60
    )
    assert mode(var) == 0o700
    assert mode(var / "gonghui.sqlite3") == 0o600
