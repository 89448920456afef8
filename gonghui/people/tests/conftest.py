"""People of the shared test county (gonghui/conftest.py):

p1  works at E1, member of G1 (chair1's union)
p2  works at E2, member of G2 (chair2's union)
p3  works at E3 in T2 (no union there), not a member
p4  works at E1, not a member, with a pending application routed to G1
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from gonghui.conftest import credit_code
from gonghui.core.idnumbers import complete_id_number
from gonghui.orgs.services import employer_create
from gonghui.people import services
from gonghui.people.models import JoinApplication, Person
from gonghui.people.vocabularies import JoinChannel


@pytest.fixture(autouse=True)
def _english(settings):
    # Page text and messages are asserted in English, whatever catalogue is compiled.
    settings.LANGUAGE_CODE = "en"


def valid_id(seq: int, *, born: date = date(1990, 1, 1), region: str = "330106") -> str:
    """A valid 18-character ID number, different for every ``seq`` below 1000."""
    born = born + timedelta(days=seq // 1000)
    return complete_id_number(f"{region}{born:%Y%m%d}{seq % 1000:03d}")


def valid_phone(seq: int) -> str:
    return f"139{seq:08d}"


@dataclass
class People:
    p1: Person
    p2: Person
    p3: Person
    p4: Person
    a4: JoinApplication


@pytest.fixture
def people(county) -> People:
    su = county.superuser

    def register(seq, name, employer):
        return services.person_create(
            by=su, name=name, id_number=valid_id(seq), phone=valid_phone(seq), employer=employer
        )

    p1 = register(1, "张一", county.e1)
    p2 = register(2, "李二", county.e2)
    p3 = register(3, "王三", county.e3)
    p4 = register(4, "赵四", county.e1)
    services.membership_start(by=su, person=p1, union=county.g1, joined_on=date(2020, 5, 1))
    services.membership_start(by=su, person=p2, union=county.g2, joined_on=date(2021, 6, 1))
    a4 = services.join_application_submit(
        by=su, channel=JoinChannel.STAFF, person=p4, employer=county.e1
    )
    for person in (p1, p2, p3, p4):
        person.refresh_from_db()
    return People(p1=p1, p2=p2, p3=p3, p4=p4, a4=a4)


@pytest.fixture
def uncovered_t1_employer(county):
    """An employer in township T1 with no union yet."""
    return employer_create(
        by=county.superuser,
        credit_code=credit_code(9),
        name="东镇小餐馆",
        industry="H",
        ownership="non_public",
        employee_count=8,
        township=county.t1,
        union=None,
    )
