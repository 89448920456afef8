"""My data (PIPL arts. 44–46): a worker sees and downloads everything held about them,
and asks for a correction that their union answers within 15 working days."""

from __future__ import annotations

import json
from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core.idnumbers import complete_id_number
from gonghui.inbox.models import Message
from gonghui.people.services import join_application_submit, membership_start, person_create
from gonghui.people.vocabularies import JoinChannel
from gonghui.portal.models import CorrectionRequest, CorrectionStatus
from gonghui.workdays.calendar import add_working_days

MY_DATA = reverse("portal:my-data")


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1990, 5, 6):%Y%m%d}{seq:03d}")


@pytest.fixture
def worker(county, portal_sign_in):
    """张一, member of G1, signed into the portal and bound; 李二 of G2 beside."""
    su = county.superuser
    person = person_create(
        by=su, name="张一", id_number=id_number(1), phone="13912340001", employer=county.e1
    )
    membership_start(by=su, person=person, union=county.g1, joined_on=date(2024, 1, 1))
    other = person_create(
        by=su, name="李二", id_number=id_number(2), phone="13912340002", employer=county.e2
    )
    join_application_submit(by=su, channel=JoinChannel.STAFF, person=other, employer=county.e2)
    client = portal_sign_in("13912340001")
    client.post(reverse("portal:bind"), {"name": "张一", "id_number": id_number(1)})
    return client


@pytest.mark.django_db
def test_the_worker_reads_their_file_and_records_and_nobody_elses(worker):
    page = worker.get(MY_DATA).content.decode()

    assert "张一" in page and "东镇机械厂工会" in page
    # On the screen the ID number and the phone are masked; the download has them whole.
    assert id_number(1) not in page and "139****0001" in page
    assert "Memberships" in page and "Worker accounts" in page
    assert "李二" not in page and "东镇纺织厂工会" not in page


@pytest.mark.django_db
def test_the_copy_downloads_as_json_and_as_a_workbook_with_the_full_id_number(worker):
    document = json.loads(worker.get(MY_DATA, {"format": "json"}).content)
    [file] = document["sections"][0]["rows"]
    assert file["ID number"] == id_number(1) and file["mobile phone"] == "13912340001"
    titles = [section["title"] for section in document["sections"]]
    assert "Memberships" in titles

    response = worker.get(MY_DATA, {"format": "xlsx"})
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    book = load_workbook(BytesIO(response.content), read_only=True)
    assert book.sheetnames[:2] == ["My file", "Memberships"]
    cells = [c for row in book["My file"].iter_rows(values_only=True) for c in row]
    assert id_number(1) in cells and "李二" not in cells


@pytest.mark.django_db
def test_an_unbound_account_has_no_data_and_is_asked_to_link(portal_sign_in):
    client = portal_sign_in("13700000009")
    assert "Link your file to see" in client.get(MY_DATA).content.decode()
    assert client.get(MY_DATA, {"format": "json"})["Location"] == reverse("portal:bind")


@pytest.mark.django_db
def test_a_correction_is_due_in_15_working_days_and_answered_in_the_portal(
    worker, county, client_for
):
    worker.post(MY_DATA, {"text": "电话号码已换成13912349999"})
    worker.post(MY_DATA, {"text": "电话号码已换成13912349999"})  # a double tap

    request = CorrectionRequest.objects.get()
    assert request.due_on == add_working_days(timezone.localdate(), 15)
    assert client_for(county.chair2).get(request.get_absolute_url()).status_code == 404
    chair = client_for(county.chair1)
    assert "张一" in chair.get(reverse("corrections:list")).content.decode()
    refused = chair.post(reverse("corrections:answer", args=[request.pk]), {"answer": " "})
    assert refused.status_code == 200
    chair.post(reverse("corrections:answer", args=[request.pk]), {"answer": "已更正"})

    request.refresh_from_db()
    assert request.status == CorrectionStatus.ANSWERED and request.answered_by == county.chair1
    assert "已更正" in worker.get(MY_DATA).content.decode()
    [message] = Message.objects.filter(person=request.person)
    assert message.body == "已更正" and message.url == MY_DATA
