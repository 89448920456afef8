"""Congress records of the shared test county (gonghui/conftest.py, people/tests/conftest.py):

``congress_world(n)`` gives employer E1 (covered by G1, chair1's union) a term-1
roll of ``n`` delegates (the first linked to worker p1, the others named only)
and a session s1 of that term; employer E2 (G2, chair2's) has a session of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from gonghui.congress import services
from gonghui.congress.models import CongressSession, Delegate
from gonghui.people.tests.conftest import People, people, valid_id  # noqa: F401

HELD = date(2025, 3, 20)


@dataclass
class CongressWorld:
    delegates: list[Delegate]
    s1: CongressSession
    s2: CongressSession


def roll(county, people, n: int, *, employer=None, term: int = 1, **kinds) -> list[Delegate]:  # noqa: F811
    employer = employer or county.e1
    # p1 works at E1: the first delegate of E1's roll is linked to their file.
    link = (
        employer == county.e1 and not Delegate.objects.filter(person=people.p1, term=term).exists()
    )
    made = []
    for i in range(n):
        made.append(
            services.delegate_create(
                by=county.admin,
                employer=employer,
                term=term,
                elected_on=date(2025, 1, 10),
                person=people.p1 if (i == 0 and link) else None,
                name=f"代表{i:02d}",
                **kinds,
            )
        )
    return made


@pytest.fixture
def congress_world(county, people):  # noqa: F811
    def build(n: int = 9) -> CongressWorld:
        delegates = roll(county, people, n, frontline=True)
        s1 = services.session_create(
            by=county.admin, employer=county.e1, term=1, number=1, held_on=HELD, place="礼堂"
        )
        s2 = services.session_create(
            by=county.admin, employer=county.e2, term=1, number=1, held_on=HELD
        )
        return CongressWorld(delegates=delegates, s1=s1, s2=s2)

    return build
