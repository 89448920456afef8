"""The roster import page: upload → background job → counts and report on the job page."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.jobs.models import Job, JobStatus
from gonghui.people.models import Membership, Person
from gonghui.people.roster.services import UPLOAD_FOLDER

from .roster_fixtures import cases, row_numbers, write_roster

IMPORT = reverse("people:roster:import")
EXPORT = reverse("people:roster:export")


@pytest.fixture
def roster_bytes(people, tmp_path) -> tuple[bytes, list]:
    the_cases = cases(people)
    return write_roster("xlsx", tmp_path, the_cases).read_bytes(), the_cases


def upload(client, union, content: bytes, *, name="花名册.xlsx", dry_run=False, capture=None):
    data = {"union": union.pk, "file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    with capture(execute=True):
        return client.post(IMPORT, data)


def leftovers(settings) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / UPLOAD_FOLDER
    return list(folder.iterdir()) if folder.exists() else []


def test_a_chair_imports_a_roster_and_downloads_the_report(
    roster_bytes, county, client_for, django_capture_on_commit_callbacks, settings
):
    content, the_cases = roster_bytes
    client = client_for(county.chair1)

    response = upload(client, county.g1, content, capture=django_capture_on_commit_callbacks)

    job = Job.objects.get(started_by=county.chair1)
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.kind == "roster_import"
    # A row is a person's line: not the titles, the header nor the signature lines.
    counted = sum(c.status != "ignored" for c in the_cases)
    assert job.total == job.done == counted
    imported = sum(c.status == "imported" for c in the_cases)
    rejected = sum(c.status == "rejected" for c in the_cases)
    page = client.get(response["Location"]).content.decode()
    assert f"{counted} rows: Imported: {imported};" in page
    assert f"Rejected: {rejected};" in page
    assert Person.objects.filter(name="钱一", current_union=county.g1).exists()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "result.xlsx" in download["Content-Disposition"]
    sheet = load_workbook(BytesIO(b"".join(download.streaming_content))).active
    row = row_numbers("xlsx", the_cases)["duplicate"]
    assert "Rejected" in [cell.value for cell in sheet[row]]
    assert leftovers(settings) == []  # the upload is gone once the report is written


def test_a_dry_run_from_the_page_writes_nothing_but_reports(
    roster_bytes, county, client_for, django_capture_on_commit_callbacks
):
    content, _cases = roster_bytes
    before = (Person.objects.count(), Membership.objects.count())

    upload(
        client_for(county.chair1),
        county.g1,
        content,
        dry_run=True,
        capture=django_capture_on_commit_callbacks,
    )

    job = Job.objects.get(started_by=county.chair1)
    assert job.status == JobStatus.DONE
    assert job.message.startswith("Dry run, nothing was written")
    assert job.result_file
    assert (Person.objects.count(), Membership.objects.count()) == before


def test_a_chair_cannot_import_into_a_sibling_union(
    roster_bytes, county, client_for, django_capture_on_commit_callbacks
):
    content, _cases = roster_bytes
    client = client_for(county.chair1)
    assert county.g2.name not in client.get(IMPORT).content.decode()

    response = upload(client, county.g2, content, capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Job.objects.exists()
    assert not Membership.objects.filter(union=county.g2, created_by=county.chair1).exists()


def test_another_users_import_job_and_report_are_not_found(
    roster_bytes, county, client_for, django_capture_on_commit_callbacks
):
    content, _cases = roster_bytes
    upload(
        client_for(county.chair1), county.g1, content, capture=django_capture_on_commit_callbacks
    )
    job = Job.objects.get()
    client = client_for(county.chair2)

    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_file_over_the_size_limit_is_refused_with_the_limit(
    roster_bytes, county, client_for, django_capture_on_commit_callbacks, settings
):
    content, _cases = roster_bytes
    settings.ROSTER_MAX_UPLOAD_BYTES = 1024 * 1024
    big = content + b"\0" * (1024 * 1024)

    response = upload(
        client_for(county.chair1), county.g1, big, capture=django_capture_on_commit_callbacks
    )

    assert response.status_code == 200
    assert "the limit is 1 MB" in response.content.decode()
    assert not Job.objects.exists()
    assert leftovers(settings) == []


def test_a_file_that_is_no_spreadsheet_is_refused_on_the_form(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    response = upload(
        client_for(county.chair1),
        county.g1,
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR",
        name="roster.xlsx",
        capture=django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert "This file is not a spreadsheet" in response.content.decode()
    assert not Job.objects.exists()
    assert leftovers(settings) == []


def test_a_roster_without_a_header_fails_its_job_with_the_reason(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    upload(
        client_for(county.chair1),
        county.g1,
        "一些文字\n没有表头\n".encode(),
        name="notes.csv",
        capture=django_capture_on_commit_callbacks,
    )

    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    assert "No header row" in job.message
    assert leftovers(settings) == []


# fmt: off
#                    super admin leader t1st t2st chair1 chair2 outsider unplaced
ACCESS = {
    IMPORT:          (200,  200, 403,   200, 200, 200,   200,   403,     200),
    EXPORT:          (200,  200, 200,   200, 200, 200,   200,   403,     200),
}
# fmt: on
PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "outsider")


@pytest.mark.parametrize("url", list(ACCESS))
@pytest.mark.parametrize("persona", [*PERSONAS, "unplaced", "anonymous"])
def test_access(url, persona, county, client, client_for):
    if persona == "anonymous":
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
        return
    if persona == "unplaced":
        user = make_user("unplaced", None, Role.STAFF)
    else:
        user = getattr(county, persona)

    response = client_for(user).get(url)

    assert response.status_code == ACCESS[url][[*PERSONAS, "unplaced"].index(persona)]


@pytest.mark.parametrize(
    ("persona", "unions"),
    [
        ("chair1", {"G1"}),
        ("t1staff", {"G1", "G2", "J1"}),
        ("t2staff", set()),
        ("admin", {"G1", "G2", "J1"}),
    ],
)
def test_the_union_choices_are_the_unions_in_scope(persona, unions, county, client_for):
    response = client_for(getattr(county, persona)).get(IMPORT)

    choices = response.context["form"].fields["union"].queryset
    assert {union.code for union in choices} == unions
