"""The demo county's studios and mentoring: studios at larger employers, achievements of
every kind with some published, completed pairs with their evaluations, the rules the
services keep held by the bulk build, and the wipe leaving none of it."""

import pytest

from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.studios.models import (
    PATENT_NUMBER,
    Achievement,
    AchievementKind,
    MentoringPair,
    MentoringStatus,
    Studio,
)


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_studios_achievements_and_evaluated_pairs(demo):
    assert Studio.objects.count() >= 1
    kinds = set(Achievement.objects.values_list("kind", flat=True))
    assert len(kinds) >= 3
    assert Achievement.objects.filter(published=True).exists()
    assert Achievement.objects.filter(published=False).exists()
    for achievement in Achievement.objects.filter(kind=AchievementKind.PATENT):
        assert PATENT_NUMBER.match(achievement.patent_number)
    completed = MentoringPair.objects.filter(status=MentoringStatus.COMPLETED)
    assert completed.exists()
    for pair in completed:
        assert pair.evaluated_on >= pair.ends_on and pair.result and pair.evaluated_by_id
    for pair in MentoringPair.objects.all():
        assert pair.mentor_id != pair.apprentice_id and pair.ends_on > pair.starts_on
