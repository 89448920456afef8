"""An evidence record whose file is gone from disk: the download page says so (410)
and logs the record's ids, and ``gonghui check_files`` lists it with a non-zero exit."""

import json
import logging
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from gonghui.aid.models import Evidence
from gonghui.jobs.models import Job

from .conftest import relief_application
from .pages import duplicate_ids
from .test_aid_evidence import PDF, upload


@pytest.fixture
def lost(county, aid, client_for) -> Evidence:
    """A PDF uploaded to p1's application, then lost from the disk."""
    application = relief_application(county, aid)
    assert upload(client_for(county.chair1), application, "收入证明.pdf", PDF).status_code == 302
    evidence = Evidence.objects.get()
    Path(evidence.file.path).unlink()
    return evidence


def test_a_missing_file_is_a_clear_page_not_an_error(county, aid, client_for, lost, caplog):
    with caplog.at_level(logging.WARNING, logger="gonghui.aid.views"):
        response = client_for(county.t1staff).get(lost.get_absolute_url())

    assert response.status_code == 410
    page = response.content.decode()
    assert "is missing from the server. Upload it again on the application" in page
    assert f'href="/aid/{lost.application_id}/"' in page
    assert duplicate_ids(page) == []
    [record] = [r for r in caplog.records if r.name == "gonghui.aid.views"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert f"Evidence {lost.pk} of aid application {lost.application_id}" in message
    assert "收入证明" not in message and "张一" not in message


def test_a_missing_file_outside_the_scope_is_still_a_404(county, aid, client_for, lost):
    assert client_for(county.chair2).get(lost.get_absolute_url()).status_code == 404


def test_check_files_lists_the_record_whose_file_is_missing(county, aid, client_for, lost):
    out = StringIO()
    with pytest.raises(CommandError, match="1 files are missing") as refused:
        call_command("check_files", stdout=out)
    assert refused.value.returncode == 1
    lines = out.getvalue().splitlines()
    assert lines[0] == f"aid.Evidence {lost.pk} file: {lost.file.name}"
    assert lines[-1] == "1 files checked, 1 missing."


def test_check_files_speaks_json(county, aid, client_for, lost):
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_files", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {
        "checked": 1,
        "missing": [
            {"model": "aid.Evidence", "pk": lost.pk, "field": "file", "name": lost.file.name}
        ],
    }


def test_check_files_passes_when_every_file_is_there(county, aid, client_for):
    application = relief_application(county, aid)
    upload(client_for(county.chair1), application, "a.pdf", PDF)
    out = StringIO()
    call_command("check_files", stdout=out)
    assert out.getvalue().strip() == "1 files checked, 0 missing."


def test_check_files_reads_the_path_columns_a_model_names(county, monkeypatch, tmp_path):
    monkeypatch.setattr(Job, "file_path_columns", ("result_file",), raising=False)
    present = tmp_path / "present.xlsx"
    present.write_bytes(b"x")
    kept = Job.objects.create(kind="export", started_by=county.admin, result_file=str(present))
    gone = Job.objects.create(
        kind="export", started_by=county.admin, result_file=str(tmp_path / "gone.xlsx")
    )
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("check_files", "--json", stdout=out)
    missing = json.loads(out.getvalue())["missing"]
    assert [(m["model"], m["pk"]) for m in missing] == [("jobs.Job", gone.pk)]
    assert kept.pk != gone.pk
