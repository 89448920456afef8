"""The portal's home: what matters to the worker now, and nothing of anyone else."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gonghui.core.idnumbers import complete_id_number
from gonghui.people.services import join_application_submit, person_create
from gonghui.people.vocabularies import JoinChannel

HOME = reverse("portal:home")


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1990, 5, 6):%Y%m%d}{seq:03d}")


@pytest.fixture
def applicant(county):
    person = person_create(
        by=county.superuser,
        name="赵六",
        id_number=id_number(6),
        phone="13912340006",
        employer=county.e1,
    )
    join_application_submit(
        by=county.superuser, channel=JoinChannel.STAFF, person=person, employer=county.e1
    )
    return person


@pytest.mark.django_db
def test_the_home_shows_the_workers_open_application_and_not_anothers(
    applicant, county, portal_sign_in
):
    other = person_create(
        by=county.superuser,
        name="钱七",
        id_number=id_number(7),
        phone="13912340007",
        employer=county.e2,
    )
    join_application_submit(
        by=county.superuser, channel=JoinChannel.STAFF, person=other, employer=county.e2
    )
    client = portal_sign_in("13912340006")
    client.post(reverse("portal:bind"), {"name": "赵六", "id_number": id_number(6)})

    home = client.get(HOME).content.decode()

    assert "赵六" in home and "Not a member of a union yet." in home
    assert "Joining 东镇机械厂工会" in home and "Waiting for a decision" in home
    assert "钱七" not in home and "东镇纺织厂工会" not in home


@pytest.mark.django_db
def test_the_home_counts_unread_messages_and_offers_the_services(applicant, portal_sign_in):
    from gonghui.inbox.services import notify

    client = portal_sign_in("13912340006")
    client.post(reverse("portal:bind"), {"name": "赵六", "id_number": id_number(6)})
    home = client.get(HOME).content.decode()
    assert "new message" not in home
    assert reverse("portal:my-data") in home and reverse("inbox:list") in home
    # Waiting for a decision on joining: no second offer to join.
    assert reverse("membership:join") not in home

    notify(applicant, "general", title="通知", body="工会活动")
    notify(applicant, "general", title="通知二", body="工会活动")

    assert "2 new messages" in client.get(HOME).content.decode()
