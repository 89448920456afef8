"""Export of the member roster: masked by default, full numbers only with the right and logged."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.jobs.models import Job, JobStatus
from gonghui.people import services
from gonghui.people.models import RevealLog
from gonghui.people.vocabularies import SensitiveField

from .conftest import valid_id, valid_phone

EXPORT = reverse("people:roster:export")
FORMULA = '=HYPERLINK("http://x","y")'


def exported(response) -> list[tuple]:
    assert response.status_code == 200
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(load_workbook(BytesIO(content)).active.iter_rows(values_only=True))


def by_name(rows) -> dict[str, tuple]:
    return {row[0]: row for row in rows[1:]}


def test_the_roster_is_masked_by_default(people, county, client_for):
    rows = exported(client_for(county.admin).post(EXPORT, {"organisation": county.root.pk}))

    assert rows[0][:5] == ("name", "ID number", "gender", "date of birth", "mobile phone")
    members = by_name(rows)
    assert set(members) == {"张一", "李二"}  # active members only
    assert members["张一"][1] == "330***********" + valid_id(1)[-4:]
    assert members["张一"][4] == "139****0001"
    assert members["张一"][11] == county.g1.name
    assert members["张一"][13].date() == date(2020, 5, 1)
    cells = " ".join(str(cell) for row in rows for cell in row)
    assert valid_id(1) not in cells and valid_phone(1) not in cells
    assert not RevealLog.objects.exists()


def test_full_numbers_are_exported_and_every_one_is_logged(people, county, client_for):
    client = client_for(county.admin)

    rows = exported(
        client.post(
            EXPORT,
            {"organisation": county.root.pk, "full_numbers": "on"},
            REMOTE_ADDR="10.1.2.3",
        )
    )

    members = by_name(rows)
    assert members["张一"][1] == valid_id(1)
    assert members["李二"][4] == valid_phone(2)
    logged = set(RevealLog.objects.values_list("person", "field", "by", "ip_address"))
    assert logged == {
        (person.pk, field, county.admin.pk, "10.1.2.3")
        for person in (people.p1, people.p2)
        for field in (SensitiveField.ID_NUMBER, SensitiveField.PHONE)
    }


def test_a_chair_without_the_reveal_right_gets_masked_numbers_whatever_is_posted(
    people, county, client_for
):
    client = client_for(county.chair1)
    assert "full_numbers" not in client.get(EXPORT).context["form"].fields

    rows = exported(client.post(EXPORT, {"organisation": county.g1.pk, "full_numbers": "on"}))

    members = by_name(rows)
    assert set(members) == {"张一"}
    assert members["张一"][1] != valid_id(1)
    assert not RevealLog.objects.exists()


def test_an_organisation_outside_the_scope_is_refused(people, county, client_for):
    response = client_for(county.chair1).post(EXPORT, {"organisation": county.g2.pk})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_the_scope_bounds_the_roster(people, county, client_for):
    rows = exported(client_for(county.t1staff).post(EXPORT, {"organisation": county.t1.pk}))

    assert set(by_name(rows)) == {"张一", "李二"}
    rows = exported(client_for(county.t2staff).post(EXPORT, {"organisation": county.t2.pk}))
    assert by_name(rows) == {}


def test_a_name_that_looks_like_a_formula_stays_text(people, county, client_for):
    su = county.superuser
    person = services.person_create(by=su, name=FORMULA, id_number=valid_id(31), employer=county.e1)
    services.membership_start(by=su, person=person, union=county.g1)

    response = client_for(county.chair1).post(EXPORT, {"organisation": county.g1.pk})

    sheet = load_workbook(BytesIO(response.content)).active
    cell = next(row[0] for row in sheet.iter_rows(min_row=2) if row[0].value == FORMULA)
    assert cell.data_type == "s"
    assert cell.quotePrefix


@pytest.mark.parametrize("full", [False, True])
def test_a_large_roster_is_written_by_a_background_job(
    full, people, county, client_for, settings, django_capture_on_commit_callbacks
):
    settings.EXPORT_INLINE_MAX_ROWS = 1
    client = client_for(county.admin)
    data = {"organisation": county.root.pk, **({"full_numbers": "on"} if full else {})}

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, data)

    job = Job.objects.get(kind="roster_export")
    assert response["Location"] == reverse("jobs:detail", args=[job.pk])
    assert job.status == JobStatus.DONE
    assert job.message == "2 members exported."
    rows = exported(client.get(reverse("jobs:download", args=[job.pk])))
    assert (by_name(rows)["张一"][1] == valid_id(1)) is full
    assert RevealLog.objects.count() == (4 if full else 0)
