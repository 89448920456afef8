"""Spring-jobs data on the shared test county (gonghui/conftest.py):

w1  works at E1 (T1, union G1)         posting P1  at E1 (T1), 2 positions
w2  works at E2 (T1, union G2)         posting P3  at E3 (T2), 1 position
w3  works at E3 (T2, no union)         application A1: w1 → P1; A3: w3 → P3
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from gonghui.core.idnumbers import complete_id_number
from gonghui.employment import services
from gonghui.employment.models import JobApplication, JobPosting
from gonghui.people.models import Person
from gonghui.people.services import person_create

YEAR = 2026


def valid_id(seq: int) -> str:
    """A valid 18-character ID number, different for every ``seq`` below 1000."""
    return complete_id_number(f"330106{date(1990, 1, 1):%Y%m%d}{seq:03d}")


def posting_data(employer, **overrides) -> dict:
    data = {
        "employer": employer,
        "title": "Machinist",
        "pay_min": Decimal("4000.00"),
        "pay_max": Decimal("6000.00"),
        "headcount": 2,
        "location": "Workshop 1",
        "campaign_year": YEAR,
    }
    data.update(overrides)
    return data


@dataclass
class Jobs:
    w1: Person
    w2: Person
    w3: Person
    p1: JobPosting
    p3: JobPosting
    a1: JobApplication
    a3: JobApplication


@pytest.fixture
def jobs(county) -> Jobs:
    su = county.superuser
    w1 = person_create(by=su, name="张一", id_number=valid_id(11), employer=county.e1)
    w2 = person_create(by=su, name="李二", id_number=valid_id(12), employer=county.e2)
    w3 = person_create(by=su, name="王三", id_number=valid_id(13), employer=county.e3)
    p1 = services.job_posting_create(by=su, **posting_data(county.e1))
    p3 = services.job_posting_create(by=su, **posting_data(county.e3, title="Driver", headcount=1))
    a1 = services.job_application_create(by=su, posting=p1, person=w1)
    a3 = services.job_application_create(by=su, posting=p3, person=w3)
    return Jobs(w1=w1, w2=w2, w3=w3, p1=p1, p3=p3, a1=a1, a3=a3)
