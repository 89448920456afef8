"""Workers of the shared test county (gonghui/conftest.py) and helpers for needy files.

w1  works at E1 (township T1), member of G1 (chair1's union)
w2  works at E2 (township T1), member of G2 (chair2's union)
w3  works at E3 (township T2), no union there

Every test runs at ``NOW`` (frozen), with a default income threshold of
1,000 yuan per head and month.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine

from gonghui.core.idnumbers import complete_id_number
from gonghui.needy import services
from gonghui.needy.models import NeedyFile
from gonghui.needy.services import MemberData
from gonghui.needy.vocabularies import Cause, Level, Origin, Standard
from gonghui.people import services as people_services
from gonghui.people.models import Person

TZ = ZoneInfo("Asia/Shanghai")
NOW = dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ)
TODAY = NOW.date()


def valid_id(seq: int, *, born: dt.date = dt.date(1985, 1, 1)) -> str:
    """A valid 18-character ID number, different for every ``seq`` below 1000."""
    return complete_id_number(f"330106{born:%Y%m%d}{seq % 1000:03d}")


@pytest.fixture(autouse=True)
def _frozen_and_thresholded(settings):
    settings.NEEDY_DEFAULT_THRESHOLD = "1000"
    settings.NEEDY_NOTICE_DAYS = 5
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def clock(_frozen_and_thresholded):
    """The frozen clock: ``clock.move_to(datetime)`` moves every test's today."""
    return _frozen_and_thresholded


@dataclass
class Workers:
    w1: Person
    w2: Person
    w3: Person


@pytest.fixture
def workers(county) -> Workers:
    su = county.superuser

    def register(seq, name, employer):
        return people_services.person_create(
            by=su, name=name, id_number=valid_id(seq), employer=employer
        )

    w1 = register(1, "张一", county.e1)
    w2 = register(2, "李二", county.e2)
    w3 = register(3, "王三", county.e3)
    people_services.membership_start(
        by=su, person=w1, union=county.g1, joined_on=dt.date(2020, 5, 1)
    )
    people_services.membership_start(
        by=su, person=w2, union=county.g2, joined_on=dt.date(2021, 6, 1)
    )
    for person in (w1, w2, w3):
        person.refresh_from_db()
    return Workers(w1=w1, w2=w2, w3=w3)


def open_file(by, person, **overrides) -> NeedyFile:
    """A file as entered by ``by``: relative difficulty, illness, 24,000 a year for 3 people."""
    arguments = {
        "origin": Origin.APPLICATION,
        "level": Level.RELATIVE,
        "standard": Standard.COUNTY,
        "causes": [Cause.ILLNESS, Cause.EDUCATION],
        "household_income": Decimal("24000.00"),
        "household": [
            MemberData("陈妻", "spouse", valid_id(101)),
            MemberData("张小", "child", valid_id(102, born=dt.date(2012, 6, 1))),
        ],
    }
    arguments.update(overrides)
    return services.needy_file_create(by=by, person=person, **arguments)


def to_notice(file: NeedyFile, by) -> NeedyFile:
    """Visit, check the income and start a 5-day notice today."""
    services.needy_file_record_visit(
        by=by, file=file, visited_on=TODAY, visitors="工会干部甲、乙", findings="属实"
    )
    services.needy_file_check_income(by=by, file=file)
    return services.needy_file_start_notice(by=by, file=file)


def after_notice() -> dt.datetime:
    """The first moment filing is allowed for a 5-day notice started on ``TODAY``."""
    return NOW + dt.timedelta(days=5)


def establish(file: NeedyFile, by, clock) -> NeedyFile:
    """Take a new file all the way to filed (moves the clock past the notice)."""
    file = to_notice(file, by)
    first_day = file.notice_ends_on + dt.timedelta(days=1)
    clock.move_to(dt.datetime.combine(first_day, dt.time(10, 0), tzinfo=TZ))
    return services.needy_file_file(by=by, file=file)
