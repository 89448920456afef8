"""A dry run's result imports the same file ("Import it now"), shows its rejected rows
with their reasons, and counts rows the same way on the page and in the report; the
template workbook holds the column names the import reads."""

from __future__ import annotations

import stat
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from gonghui.jobs.models import Job, JobStatus
from gonghui.people.models import Membership
from gonghui.people.roster import columns as col
from gonghui.people.roster.services import roster_import_run
from gonghui.people.roster.template import TEMPLATE_FIELDS

from .roster_fixtures import roster_id

IMPORT = reverse("people:roster:import")
TEMPLATE = reverse("people:roster:template")


def small_roster() -> bytes:
    """Two good rows, one without an ID number, a signature line."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["东镇机械厂工会会员花名册"])
    sheet.append(["姓名", "身份证号码"])
    sheet.append(["钱一", roster_id(901)])
    sheet.append(["钱二", roster_id(902)])
    sheet.append(["钱三", ""])
    sheet.append(["填表人：张三"])
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def dry_run(client, union, capture, content=None) -> Job:
    with capture(execute=True):
        response = client.post(
            IMPORT,
            {
                "union": union.pk,
                "file": SimpleUploadedFile("花名册.xlsx", content or small_roster()),
                "dry_run": "on",
            },
        )
    assert response.status_code == 302, response.context["form"].errors
    return Job.objects.filter(started_by__isnull=False).latest("pk")


def import_now(client, job, capture):
    with capture(execute=True):
        return client.post(reverse("people:roster:import-run", args=[job.pk]))


def test_a_dry_run_shows_its_counts_and_rejected_rows_and_offers_to_import(
    county, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county.chair1)

    job = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()

    assert job.status == JobStatus.DONE, job.message
    # Three people's rows; the title, header and signature lines are not rows.
    assert (job.done, job.total) == (3, 3)
    assert "Dry run, nothing was written. 3 rows: Would be imported: 2;" in job.message
    assert "Rejected: 1;" in job.message
    assert 'id="rejected-rows"' in page
    assert "<td>5</td><td>钱三</td><td>The ID number is missing." in page
    assert reverse("people:roster:import-run", args=[job.pk]) in page
    assert "Import it now: 2 rows" in page
    job.refresh_from_db()
    kept = Path(job.params["kept"])
    assert kept.is_file()
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    assert kept.parent == Path(job.result_file).parent  # beside the report, in the jobs folder
    assert not Membership.objects.filter(union=county.g1, person__name="钱一").exists()


def test_import_it_now_imports_the_kept_file_and_counts_alike(
    county, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county.chair1)
    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    checked.refresh_from_db()

    response = import_now(client, checked, django_capture_on_commit_callbacks)

    real = Job.objects.latest("pk")
    assert response["Location"] == reverse("jobs:detail", args=[real.pk])
    assert real.status == JobStatus.DONE, real.message
    assert real.params["dry_run"] is False
    assert (
        Membership.objects.filter(union=county.g1, person__name__in=["钱一", "钱二"]).count() == 2
    )
    assert (real.done, real.total) == (3, 3)
    assert real.message.startswith("3 rows: Imported: 2;")
    assert not Path(checked.params["kept"]).exists()
    page = client.get(reverse("jobs:detail", args=[checked.pk])).content.decode()
    assert 'id="import-now"' not in page
    assert reverse("jobs:detail", args=[real.pk]) in page
    report = load_workbook(
        BytesIO(b"".join(client.get(reverse("jobs:download", args=[real.pk])).streaming_content))
    )
    summary = {
        label: count for label, count in report["summary"].iter_rows(min_row=2, values_only=True)
    }
    assert summary == {
        "Imported": 2,
        "Imported, with a warning": 0,
        "Already a member": 0,
        "Rejected": 1,
        "Not a person's row": 1,  # the signature line: reported, not counted as a row
        "rows": 3,
    }
    counts = dict((label, count) for _status, label, count in real.outcome["counts"])
    assert counts == {k: v for k, v in summary.items() if k != "rows"}


def test_a_second_import_of_the_same_dry_run_is_refused(
    county, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county.chair1)
    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    import_now(client, checked, django_capture_on_commit_callbacks)

    response = import_now(client, checked, django_capture_on_commit_callbacks)

    assert response["Location"] == reverse("jobs:detail", args=[checked.pk])
    page = client.get(response["Location"]).content.decode()
    assert "This roster has already been imported." in page
    assert Job.objects.count() == 2


def test_a_file_no_longer_kept_is_refused(county, client_for, django_capture_on_commit_callbacks):
    client = client_for(county.chair1)
    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    checked.refresh_from_db()
    Path(checked.params["kept"]).unlink()

    response = import_now(client, checked, django_capture_on_commit_callbacks)

    page = client.get(response["Location"]).content.decode()
    assert "The checked file is no longer kept. Upload the roster again." in page
    assert Job.objects.count() == 1


def test_a_changed_scope_is_refused(county, client_for, django_capture_on_commit_callbacks):
    client = client_for(county.chair1)
    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    county.chair1.organisation = county.g2
    county.chair1.save()

    with pytest.raises(Exception) as refused:
        roster_import_run(by=county.chair1, checked=checked)

    assert "Your organisation has changed since the check." in str(refused.value)
    assert Job.objects.count() == 1


def test_someone_elses_dry_run_is_not_found(county, client_for, django_capture_on_commit_callbacks):
    checked = dry_run(client_for(county.chair1), county.g1, django_capture_on_commit_callbacks)

    response = import_now(client_for(county.t1staff), checked, django_capture_on_commit_callbacks)

    assert response.status_code == 404
    assert Job.objects.count() == 1


def test_import_it_now_keeps_to_the_job_limit(
    county, client_for, django_capture_on_commit_callbacks, settings
):
    client = client_for(county.chair1)
    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks)
    settings.JOBS_MAX_QUEUED_PER_USER = 0
    Job.objects.create(kind="roster_import", title="x", started_by=county.chair1, params={})

    response = import_now(client, checked, django_capture_on_commit_callbacks)

    page = client.get(response["Location"]).content.decode()
    assert "You already have 1 job like this waiting or running." in page
    checked.refresh_from_db()
    assert Path(checked.params["kept"]).is_file()  # kept for when the other one has finished


def test_the_template_holds_the_first_name_of_each_column_and_imports_cleanly(
    county, client_for, django_capture_on_commit_callbacks
):
    client = client_for(county.chair1)

    response = client.get(TEMPLATE)

    assert response.status_code == 200
    assert "roster-template.xlsx" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    roster, notes = workbook.worksheets
    header = [cell.value for cell in roster[1]]
    assert header == [col.SYNONYMS[field][0] for field in TEMPLATE_FIELDS]
    assert header[:2] == ["姓名", "身份证号"]
    assert roster.cell(2, 2).value == "11010519491231002X"
    assert roster.cell(2, 2).number_format == "@"
    note_text = " ".join(str(c) for row in notes.iter_rows(values_only=True) for c in row if c)
    assert "公民身份号码" in note_text and "2021年3月5日" in note_text
    assert TEMPLATE in client.get(IMPORT).content.decode()

    checked = dry_run(client, county.g1, django_capture_on_commit_callbacks, response.content)
    checked.refresh_from_db()
    assert checked.outcome["importable"] == 1, checked.message
    assert checked.outcome["rows"] == 1
