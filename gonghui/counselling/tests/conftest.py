"""Counselling data on the shared test county (gonghui/conftest.py):

counsellor   county federation counsellor (Role.COUNSELLOR at C)
counsellor2  a second counsellor at C
w1  works at E1 (T1)      slot s1 tomorrow 09:00-10:00, booked for w1 (b1)
w3  works at E3 (T2)      slot s2 tomorrow 10:00-11:00, booked for w3 (b3)
                          slot s3 tomorrow 14:00-15:00, free
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from gonghui.accounts.models import Role, User
from gonghui.conftest import make_user
from gonghui.core.idnumbers import complete_id_number
from gonghui.counselling import services
from gonghui.counselling.models import Booking, CounsellingSlot
from gonghui.people.models import Person
from gonghui.people.services import person_create


def valid_id(seq: int) -> str:
    """A valid 18-character ID number, different for every ``seq`` below 1000."""
    return complete_id_number(f"330106{date(1991, 2, 3):%Y%m%d}{seq:03d}")


def tomorrow_at(hour: int, minute: int = 0) -> datetime:
    day = timezone.localdate() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@dataclass
class Counselling:
    counsellor: User
    counsellor2: User
    w1: Person
    w3: Person
    s1: CounsellingSlot
    s2: CounsellingSlot
    s3: CounsellingSlot
    b1: Booking
    b3: Booking


@pytest.fixture
def care(county) -> Counselling:
    su = county.superuser
    counsellor = make_user("counsellor", county.root, Role.COUNSELLOR)
    counsellor2 = make_user("counsellor2", county.root, Role.COUNSELLOR)
    w1 = person_create(by=su, name="张一", id_number=valid_id(21), employer=county.e1)
    w3 = person_create(by=su, name="王三", id_number=valid_id(23), employer=county.e3)

    def publish(start, end):
        return services.slot_publish(
            by=counsellor, starts_at=start, ends_at=end, mode="in_person", place="Room 2"
        )

    s1 = publish(tomorrow_at(9), tomorrow_at(10))
    s2 = publish(tomorrow_at(10), tomorrow_at(11))
    s3 = publish(tomorrow_at(14), tomorrow_at(15))
    b1 = services.booking_create(slot=s1, person=w1, by=county.t1staff, channel="staff")
    b3 = services.booking_create(slot=s2, person=w3, by=county.t2staff, channel="staff")
    return Counselling(counsellor, counsellor2, w1, w3, s1, s2, s3, b1, b3)
