"""The demo county's competitions: one locked with its results (no certificates yet),
one open for registration, one being scored; and the wipe removes them."""

import pytest

from gonghui.competitions import selectors
from gonghui.competitions.models import Certificate, Competition, CompetitionStatus, Entry
from gonghui.demo.tests.helpers import build


@pytest.fixture
def demo(db):
    build(7)


def test_the_demo_has_a_locked_an_open_and_a_scoring_competition(demo):
    statuses = set(Competition.objects.values_list("status", flat=True))
    assert statuses >= {
        CompetitionStatus.LOCKED,
        CompetitionStatus.OPEN,
        CompetitionStatus.SCORING,
    }
    locked = Competition.objects.get(status=CompetitionStatus.LOCKED)
    placed = Entry.objects.filter(competition=locked).exclude(award="")
    assert placed.filter(place=1, award="first").exists()
    assert not Certificate.objects.exists()
    # The stored places are what the ranking of the scores gives.
    ranked = {r.entry: r.place for r in selectors.ranking_of(locked)}
    assert dict(Entry.objects.filter(competition=locked).values_list("pk", "place")) == ranked
    scoring = Competition.objects.get(status=CompetitionStatus.SCORING)
    missing, _shown = selectors.missing_scores(scoring)
    assert missing > 0
    assert Entry.objects.filter(competition__status="open", status="pending").exists()


def test_rebuilding_the_demo_wipes_the_competitions_first(demo):
    before = Entry.objects.count()
    build(7, "--force")
    assert Entry.objects.count() == before
    assert Competition.objects.count() == 3
