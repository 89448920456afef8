"""The demo county's skill levels: a share of the workers in proportion to the scale,
mostly 初级 and 中级 with about three in ten records 高级工 and above, trades fitting
the employers' industries, each worker's highest record marked as the services mark it."""

from collections import Counter

import pytest
from django.db.models import Count

from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.people.models import Person
from gonghui.skills import selectors
from gonghui.skills.models import SkillLevel, SkillRecord


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_holds_skill_levels_in_a_realistic_spread(demo):
    records = list(SkillRecord.objects.values_list("person_id", "level", "trade", "is_highest"))
    workers = Person.objects.count()
    skilled = {person for person, *_rest in records}
    assert 0.05 * workers <= len(skilled) <= 0.2 * workers
    levels = Counter(level for _p, level, _t, _h in records)
    high = sum(levels[value] for value in SkillLevel.HIGH_SKILLED)
    assert levels["5"] + levels["4"] > high
    assert 0.15 <= high / len(records) <= 0.45
    # One highest record per skilled worker, at the lowest level number they hold.
    best = {}
    for person, level, _trade, _highest in records:
        best[person] = min(best.get(person, level), level)
    marked = {person: level for person, level, _t, highest in records if highest}
    assert marked == best
    assert not (
        SkillRecord.objects.values("person", "trade", "level")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )


def test_the_demo_counts_match_the_records(demo):
    from gonghui.accounts.models import User

    report = selectors.skill_counts(User.objects.get(username="admin"))
    assert report.total.skilled == SkillRecord.objects.values("person").distinct().count()
    assert sum(row.skilled for row in report.townships) == report.total.skilled
