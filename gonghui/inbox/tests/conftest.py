"""Helpers of the inbox tests: a worker signed into the portal and bound to a file."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gonghui.aid.tests.conftest import aid  # noqa: F401  (the aid world, for the wired tests)
from gonghui.core.idnumbers import complete_id_number
from gonghui.counselling.tests.conftest import care  # noqa: F401  (the counselling world)
from gonghui.people.services import membership_start, person_create
from gonghui.people.tests.conftest import people  # noqa: F401  (the people of the county)


def id_number(seq: int) -> str:
    return complete_id_number(f"330106{date(1988, 3, 4):%Y%m%d}{seq:03d}")


@pytest.fixture
def worker_of(county, portal_sign_in):
    """``worker_of(seq, name)``: a member of G1 whose file holds a phone, signed into
    the portal with that phone and bound to the file through the pages; returns
    (person, client)."""

    def make(seq: int, name: str):
        phone = f"139{seq:08d}"
        person = person_create(
            by=county.superuser,
            name=name,
            id_number=id_number(seq),
            phone=phone,
            employer=county.e1,
        )
        membership_start(
            by=county.superuser, person=person, union=county.g1, joined_on=date(2024, 1, 1)
        )
        client = portal_sign_in(phone)
        response = client.post(reverse("portal:bind"), {"name": name, "id_number": id_number(seq)})
        assert response.status_code == 302, response.content.decode()[:1000]
        person.refresh_from_db()
        return person, client

    return make
