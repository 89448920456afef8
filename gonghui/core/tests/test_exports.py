"""Excel export of a console list: its contents, formula neutralisation, and the
background path for long lists."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.conftest import credit_code
from gonghui.core.exports import write_xlsx
from gonghui.jobs.models import Job, JobStatus
from gonghui.orgs.services import employer_create

LIST = reverse("orgs:employer-list")


def rows_of(content: bytes) -> list[tuple]:
    """The header row and the rows under it (the title row above them is left out)."""
    sheet = load_workbook(BytesIO(content)).active
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_the_export_holds_the_columns_and_rows_of_the_list(county, client_for):
    response = client_for(county.t1staff).get(LIST, {"export": "xlsx"})

    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="employers-')
    assert rows_of(response.content) == [
        (
            "name",
            "credit code",
            "industry",
            "ownership",
            "employees",
            "township / street",
            "covering union",
        ),
        (
            "东镇机械有限公司",
            county.e1.credit_code,
            "Manufacturing",
            "Non-public",
            60,
            "东镇总工会",
            "东镇机械厂工会",
        ),
        (
            "东镇纺织有限公司",
            county.e2.credit_code,
            "Manufacturing",
            "Non-public",
            60,
            "东镇总工会",
            "东镇纺织厂工会",
        ),
    ]


def test_the_export_follows_the_search_and_filters_on_screen(county, client_for):
    client = client_for(county.leader)

    no_union = rows_of(client.get(LIST, {"has_union": "no", "export": "xlsx"}).content)
    searched = rows_of(client.get(LIST, {"q": "纺织", "export": "xlsx"}).content)

    assert [row[0] for row in no_union[1:]] == [county.e3.name]
    assert [row[0] for row in searched[1:]] == [county.e2.name]


FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+86 138 0000 0000",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
]


@pytest.mark.parametrize("name", FORMULAS)
def test_a_name_that_looks_like_a_formula_is_exported_as_text(county, client_for, name):
    employer_create(
        by=county.superuser,
        credit_code=credit_code(50),
        name=name,
        industry="C",
        ownership="non_public",
        employee_count=1,
        township=county.t2,
        union=None,
    )

    response = client_for(county.t2staff).get(LIST, {"export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    cells = {row[0].value: row[0] for row in sheet.iter_rows(min_row=3)}
    cell = cells[name]  # the text is kept exactly, without a visible apostrophe
    assert cell.data_type == "s"
    assert cell.quotePrefix is True
    assert not cells[county.e3.name].quotePrefix
    with zipfile.ZipFile(BytesIO(response.content)) as xlsx:
        sheet_xml = xlsx.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml


def test_ordinary_values_keep_their_types(tmp_path):
    from datetime import UTC, date, datetime

    path = tmp_path / "out.xlsx"
    written = write_xlsx(
        path,
        ["a", "b", "c", "d", "e"],
        [[1, None, date(2026, 1, 2), datetime(2026, 1, 2, 0, 30, tzinfo=UTC), "a-b"]],
    )

    assert written == 1
    sheet = load_workbook(path).active
    values = [cell.value for cell in sheet[2]]
    assert values[:3] == [1, None, datetime(2026, 1, 2)]
    assert values[3] == datetime(2026, 1, 2, 8, 30)  # local time (Asia/Shanghai)
    assert values[4] == "a-b"
    assert not any(cell.quotePrefix for cell in sheet[2])


# --- a long list exports in the background ---------------------------------------------


@pytest.fixture
def background(settings):
    settings.EXPORT_INLINE_MAX_ROWS = 1


def test_a_long_export_becomes_a_job_its_owner_downloads(
    county, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(county.t1staff)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(LIST, {"export": "xlsx", "has_union": "yes"})

    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.started_by == county.t1staff
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (2, 2)

    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert '<progress class="progress" max="100" value="100">' in page
    assert "2 rows exported." in page
    assert reverse("jobs:download", args=[job.pk]) in page

    download = client.get(reverse("jobs:download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    rows = rows_of(b"".join(download.streaming_content))
    assert [row[0] for row in rows[1:]] == [county.e1.name, county.e2.name]


def test_a_background_export_stays_in_the_scope_of_who_started_it(
    county, client_for, background, django_capture_on_commit_callbacks
):
    from gonghui.orgs.services import employer_create

    employer_create(
        by=county.superuser,
        credit_code=credit_code(60),
        name="西镇仓储有限公司",
        industry="G",
        ownership="non_public",
        employee_count=5,
        township=county.t2,
        union=None,
    )
    client = client_for(county.t2staff)

    with django_capture_on_commit_callbacks(execute=True):
        client.get(LIST, {"export": "xlsx"})

    job = Job.objects.get()
    download = client.get(reverse("jobs:download", args=[job.pk]))
    names = {row[0] for row in rows_of(b"".join(download.streaming_content))[1:]}
    assert names == {county.e3.name, "西镇仓储有限公司"}


def test_another_user_cannot_see_or_download_the_job(
    county, client_for, background, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(county.t1staff).get(LIST, {"export": "xlsx"})
    job = Job.objects.get()

    client = client_for(county.t2staff)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404
    assert job not in client.get(reverse("jobs:list")).context["object_list"]
    client.logout()
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_short_export_is_answered_at_once(county, client_for, settings):
    settings.EXPORT_INLINE_MAX_ROWS = 2

    response = client_for(county.t1staff).get(LIST, {"export": "xlsx"})

    assert response.status_code == 200
    assert not Job.objects.exists()


def test_a_background_export_speaks_the_language_of_who_started_it(
    county, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(county.t1staff)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"

    with django_capture_on_commit_callbacks(execute=True):
        client.get(LIST, {"export": "xlsx"})

    job = Job.objects.get()
    assert job.message == "已导出 2 行。"
    headers = rows_of(
        b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    )[0]
    assert "统一社会信用代码" in headers


def test_a_background_export_keeps_the_search_and_filters_of_the_list(
    county, client_for, background, django_capture_on_commit_callbacks
):
    client = client_for(county.admin)

    with django_capture_on_commit_callbacks(execute=True):
        # Two of the county's three employers; the third has no union and another name.
        client.get(LIST, {"export": "xlsx", "q": "东镇", "has_union": "yes"})

    job = Job.objects.get()
    rows = rows_of(b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content))
    assert [row[0] for row in rows[1:]] == [county.e1.name, county.e2.name]
