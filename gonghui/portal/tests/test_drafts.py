"""Drafts kept on the server as a worker types (worker portal, item 5): what a dropped
connection would lose is there when the page opens again, the worker's alone."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from gonghui.core.idnumbers import complete_id_number
from gonghui.people.services import membership_start, person_create
from gonghui.portal.models import Draft

DRAFTS = reverse("portal:draft")


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1990, 5, 6):%Y%m%d}{seq:03d}")


@pytest.fixture
def worker(county, portal_sign_in):
    person = person_create(
        by=county.superuser,
        name="张一",
        id_number=id_number(1),
        phone="13912340001",
        employer=county.e1,
    )
    membership_start(
        by=county.superuser, person=person, union=county.g1, joined_on=date(2024, 1, 1)
    )
    client = portal_sign_in("13912340001")
    client.post(reverse("portal:bind"), {"name": "张一", "id_number": id_number(1)})
    return client


@pytest.mark.django_db
def test_a_draft_is_kept_encrypted_and_given_back_without_the_forms_tokens(worker):
    response = worker.post(
        f"{DRAFTS}?form=correction",
        {"text": "电话号码已换", "csrfmiddlewaretoken": "x", "key": "y"},
    )
    assert response.status_code == 204

    assert worker.get(DRAFTS, {"form": "correction"}).json() == {"text": "电话号码已换"}
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data_encrypted FROM {Draft._meta.db_table}")
        [(stored,)] = cursor.fetchall()
    assert "电话" not in stored


@pytest.mark.django_db
def test_a_draft_is_the_workers_own_and_nobody_elses(worker, portal_sign_in):
    worker.post(f"{DRAFTS}?form=wish", {"text": "一台电风扇"})
    other = portal_sign_in("13700000002")
    assert other.get(DRAFTS, {"form": "wish"}).json() == {}
    assert Client().get(DRAFTS, {"form": "wish"}).status_code == 302


@pytest.mark.django_db
def test_a_bad_form_name_or_a_huge_draft_is_refused(worker):
    assert worker.post(f"{DRAFTS}?form=No Such", {"text": "x"}).status_code == 400
    assert worker.post(f"{DRAFTS}?form=wish", {"text": "字" * 5000}).status_code == 400
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_sending_the_form_forgets_its_draft(worker):
    worker.post(f"{DRAFTS}?form=correction", {"text": "地址有误"})
    page = worker.get(reverse("portal:my-data")).content.decode()
    assert 'data-draft="correction"' in page

    worker.post(reverse("portal:my-data"), {"text": "地址有误"})

    assert not Draft.objects.exists()
