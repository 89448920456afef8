"""The counts of skilled workers (``selectors.skill_counts``) agree with a direct count:
every record the user sees through the scope rule, each worker's highest level taken
from all their records (not from the marked one), grouped by their employer's
township, industry and union. The counts are read by employer and added up in Python
for speed; this holds them to what the figures mean."""

from __future__ import annotations

from collections import Counter

import pytest

from gonghui.people.services import person_create
from gonghui.people.tests.conftest import valid_id
from gonghui.skills import selectors
from gonghui.skills.models import SkillRecord

from .test_skills import add


@pytest.fixture
def varied(county, people, uncovered_t1_employer):
    """Workers at every level, several with records in more than one trade, one worker
    with no employer, employers with and without a union in both townships."""
    p5 = person_create(
        by=county.superuser, name="孙五", id_number=valid_id(5), employer=uncovered_t1_employer
    )
    # No employer on file: kept by the township that registered them.
    p6 = person_create(by=county.t1staff, name="周六", id_number=valid_id(6))
    p7 = person_create(by=county.superuser, name="吴七", id_number=valid_id(7), employer=county.e1)
    p8 = person_create(by=county.superuser, name="郑八", id_number=valid_id(8), employer=county.e3)
    for person, level, trade in [
        (people.p1, "5", "电工"),
        (people.p1, "3", "电工"),
        (people.p1, "4", "焊工"),
        (people.p2, "2", "钳工"),
        (people.p3, "5", "焊工"),
        (people.p4, "1", "电工"),
        (people.p4, "4", "钳工"),
        (p5, "4", "厨师"),
        (p6, "3", "育婴员"),
        (p7, "2", "焊工"),
        (p7, "5", "电工"),
        (p8, "3", "焊工"),
    ]:
        add(county.admin, person, level, trade)


def direct_counts(user) -> dict[str, Counter]:
    """``{"township"|"industry"|"union"|"total": Counter((key, level) → workers)}``."""
    highest: dict[int, str] = {}
    employer_of = {}
    for record in SkillRecord.objects.for_user(user).select_related("person__employer"):
        person = record.person
        highest[person.pk] = min(highest.get(person.pk, record.level), record.level)
        employer_of[person.pk] = person.employer
    counts = {name: Counter() for name in ("township", "industry", "union", "total")}
    for pk, level in highest.items():
        employer = employer_of[pk]
        counts["township"][(employer.township_id if employer else None, level)] += 1
        counts["industry"][(employer.industry if employer else None, level)] += 1
        counts["union"][(employer.union_id if employer else None, level)] += 1
        counts["total"][("total", level)] += 1
    return counts


def report_counts(report) -> dict[str, Counter]:
    def table(rows, key=lambda row: int(row.key) if row.key else None) -> Counter:
        return Counter(
            {(key(row), level): n for row in rows for level, n in row.by_level.items() if n}
        )

    return {
        "township": table(report.townships),
        "industry": table(report.industries, key=lambda row: row.key or None),
        "union": table(report.unions),
        "total": table([report.total], key=lambda row: "total"),
    }


@pytest.mark.parametrize(
    "username", ["superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2"]
)
def test_the_counts_agree_with_a_direct_count_for_every_scope(county, varied, username):
    user = getattr(county, username)
    expected = direct_counts(user)
    assert expected["total"], "the fixture gives every scope someone to count"
    assert report_counts(selectors.skill_counts(user)) == expected


def test_a_worker_counts_once_at_the_highest_level_held_in_any_trade(county, varied):
    report = selectors.skill_counts(county.admin)
    assert report.total.skilled == 8
    # p1 3, p2 2, p4 1, p6 3, p7 2, p8 3 are advanced or above; p3 5 and p5 4 are not.
    assert report.total.high_skilled == 6


def test_an_account_placed_nowhere_counts_nobody(county, varied):
    from gonghui.conftest import make_user

    report = selectors.skill_counts(make_user("nowhere", None, "staff"))
    assert report_counts(report) == {key: Counter() for key in report_counts(report)}
    assert report.total.skilled == 0
