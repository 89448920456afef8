"""The scoring rules on generated score sheets, checked against a direct computation
in exact fractions: the highest and lowest dropped with 5 or more judges, the
weights, both tie rules, and the awards."""

from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.competitions.ranking import award_cutoffs, event_score, give_awards, rank

EVENTS = {1: ("theory", 40), 2: ("practical", 35), 3: ("practical", 25)}
# Few distinct score values make ties common.
scores = st.sampled_from([6000, 7050, 8000, 8000, 9025, 10000])


@st.composite
def sheets(draw):
    judges = draw(st.integers(min_value=1, max_value=7))
    entrants = draw(st.integers(min_value=1, max_value=12))
    return {
        entry: {event: draw(st.lists(scores, min_size=judges, max_size=judges)) for event in EVENTS}
        for entry in range(1, entrants + 1)
    }


def direct_event(values):
    values = sorted(values)
    if len(values) >= 5:
        values = values[1:-1]
    return Fraction(sum(values), len(values))


def direct_final(events):
    return sum(Fraction(EVENTS[e][1], 100) * direct_event(v) for e, v in events.items())


def direct_practical(events):
    return sum(
        Fraction(EVENTS[e][1], 100) * direct_event(v)
        for e, v in events.items()
        if EVENTS[e][0] == "practical"
    )


def direct_places(sheet, by_practical):
    """Place = 1 + how many entrants are strictly better."""
    key = {
        entry: (direct_final(ev), direct_practical(ev) if by_practical else 0)
        for entry, ev in sheet.items()
    }
    return {
        entry: 1 + sum(1 for other in key.values() if other > mine) for entry, mine in key.items()
    }


WEIGHTS = {e: w for e, (_k, w) in EVENTS.items()}
PRACTICAL = [e for e, (k, _w) in EVENTS.items() if k == "practical"]


@settings(max_examples=300, deadline=None)
@given(sheets(), st.sampled_from(["shared", "practical"]))
def test_places_and_final_scores_match_a_direct_computation(sheet, tie_rule):
    results = rank(sheet, WEIGHTS, practical=PRACTICAL, tie_rule=tie_rule)
    expected = direct_places(sheet, tie_rule == "practical")
    assert {r.entry: r.place for r in results} == expected
    for result in results:
        assert result.final == direct_final(sheet[result.entry])
    assert [r.place for r in results] == sorted(r.place for r in results)


@given(st.lists(scores, min_size=1, max_size=9))
def test_an_event_drops_the_highest_and_lowest_from_five_judges(values):
    assert event_score(values) == direct_event(values)
    if len(values) >= 5:
        assert event_score(values) == Fraction(
            sum(values) - max(values) - min(values), len(values) - 2
        )


def test_equal_final_scores_share_a_place_and_skip_the_next():
    sheet = {1: {1: [9000]}, 2: {1: [9000]}, 3: {1: [8000]}}
    assert [r.place for r in rank(sheet, {1: 100})] == [1, 1, 3]


def test_the_practical_score_breaks_a_tie_of_final_scores():
    # Both 80 in the end; entrant 2 did better in the practical event.
    sheet = {1: {1: [10000], 2: [6000]}, 2: {1: [6000], 2: [10000]}}
    weights = {1: 50, 2: 50}
    shared = rank(sheet, weights, practical=[2], tie_rule="shared")
    broken = rank(sheet, weights, practical=[2], tie_rule="practical")
    assert [r.place for r in shared] == [1, 1]
    assert [(r.entry, r.place) for r in broken] == [(2, 1), (1, 2)]


@given(
    sheets(),
    st.sampled_from(["count", "share"]),
    st.lists(st.integers(0, 40), min_size=4, max_size=4),
)
def test_awards_follow_the_places(sheet, basis, numbers):
    awards = dict(zip(["first", "second", "third", "excellence"], numbers, strict=True))
    results = give_awards(rank(sheet, WEIGHTS), awards, basis)
    cutoffs = award_cutoffs(awards, basis, len(results))
    for result in results:
        wanted = next((a for a, last in cutoffs if result.place <= last), "")
        assert result.award == wanted
    # Tied entrants always hold the same award.
    by_place = {}
    for result in results:
        by_place.setdefault(result.place, set()).add(result.award)
    assert all(len(held) == 1 for held in by_place.values())


def test_a_share_rounds_down():
    assert award_cutoffs({"first": 10, "second": 20}, "share", 25) == [("first", 2), ("second", 7)]
