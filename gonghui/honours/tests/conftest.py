"""Model workers of the shared test county (gonghui/conftest.py) and helpers.

w1 works at E1 (township T1), member of G1 (chair1's union)
w2 works at E2 (township T1), member of G2 (chair2's union)
county_staff: union staff at the county (the top of the review path)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.accounts.models import Role
from gonghui.conftest import make_user
from gonghui.core.idnumbers import complete_id_number
from gonghui.honours import services
from gonghui.honours.models import Title
from gonghui.people import services as people_services

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)  # a Monday


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class World:
    w1: object
    w2: object
    county_staff: object
    county_title: Title


@pytest.fixture
def world(county, clock) -> World:
    su = county.superuser

    def register(seq, name, employer, union):
        person = people_services.person_create(
            by=su,
            name=name,
            id_number=complete_id_number(f"330106{dt.date(1980, 1, 1):%Y%m%d}{seq:03d}"),
            employer=employer,
        )
        people_services.membership_start(
            by=su, person=person, union=union, joined_on=dt.date(2020, 1, 1)
        )
        person.refresh_from_db()
        return person

    return World(
        w1=register(11, "劳模甲", county.e1, county.g1),
        w2=register(12, "劳模乙", county.e2, county.g2),
        county_staff=make_user("countystaff", county.root, Role.STAFF),
        county_title=Title.objects.get(name="县劳动模范"),
    )


def nominate(county, world, person=None, **extra):
    return services.nomination_create(
        by=county.chair1,
        title=world.county_title,
        year=2026,
        person=person or world.w1,
        reasons="二十年扎根一线",
        deeds="带领班组完成技术改造",
        **extra,
    )


def to_notice(county, world, nomination, **extra):
    """G1's nomination approved by T1 and the county, then put on notice."""
    services.nomination_approve(by=county.t1staff, nomination=nomination)
    services.nomination_approve(by=world.county_staff, nomination=nomination)
    return services.nomination_start_notice(by=world.county_staff, nomination=nomination, **extra)
