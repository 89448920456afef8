"""The scoring rules of a competition, as pure functions over plain numbers.

- An event's score is the mean of its judges' scores; with ``DROP_FROM_JUDGES`` (5)
  or more judges the single highest and the single lowest are dropped first.
- The final score is Σ weight × event score, weights being whole percentages that
  add up to 100.
- Places: equal final scores share a place and the next place is skipped (1, 1, 3);
  under the practical tie rule equal final scores are first ordered by the
  practical events' weighted score, and only what is still equal shares.
- Awards follow the places: with ``n`` first prizes, every entrant placed ``n`` or
  better wins one (tied entrants share an award), then the second prizes, and so on.
  By share, ``n`` is that percentage of the ranked entrants, rounded down.

Scores arrive as whole hundredths (the database keeps two decimals) and every sum is
kept exact in integers: a mean is a fraction, and two fractions compared as floats
could tie when they differ, or differ when they tie. The sort key of an entrant is
its final score multiplied by a common denominator, so ordering and ties are exact.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from .models import DROP_FROM_JUDGES, WEIGHT_TOTAL, Award, AwardBasis, TieRule

#: The awards in the order they are given.
AWARD_ORDER = (Award.FIRST, Award.SECOND, Award.THIRD, Award.EXCELLENCE)


def kept_scores(values: Sequence[int]) -> tuple[int, int]:
    """(sum, count) of the scores that count: all of them, or without the single
    highest and lowest when there are ``DROP_FROM_JUDGES`` or more."""
    if len(values) >= DROP_FROM_JUDGES:
        return sum(values) - max(values) - min(values), len(values) - 2
    return sum(values), len(values)


def event_score(values: Sequence[int]) -> Fraction:
    """An event's score (in the unit of ``values``) from its judges' scores."""
    total, count = kept_scores(values)
    return Fraction(total, count)


@dataclass
class Ranked:
    """One entrant's result. ``final`` is in hundredths of a point."""

    entry: int
    final: Fraction
    practical: Fraction
    place: int = 0
    award: str = ""

    @property
    def final_points(self) -> float:
        """The final score in points, for display and storage (two decimals)."""
        return round(float(self.final) / 100, 2)


def rank(
    sheet: Mapping[int, Mapping[int, Sequence[int]]],
    weights: Mapping[int, int],
    *,
    practical: Iterable[int] = (),
    tie_rule: str = TieRule.SHARED,
) -> list[Ranked]:
    """Rank the entrants of ``sheet`` ({entry: {event: [judges' scores in hundredths]}}).

    ``weights`` gives each event's weight (whole percentages); an event an entrant has
    no score in counts as 0. Returns the entrants best first, with their places.
    """
    practical = frozenset(practical)
    # The common denominator of every event mean: the lcm of the counts kept.
    kept: dict[int, dict[int, tuple[int, int]]] = {}
    denominator = 1
    for entry, events in sheet.items():
        row = {}
        for event, values in events.items():
            if values and event in weights:
                total, count = kept_scores(values)
                row[event] = (total, count)
                denominator = lcm(denominator, count)
        kept[entry] = row
    # The final score × WEIGHT_TOTAL × denominator, as one integer per entrant.
    keys: list[tuple[int, int, int]] = []
    for entry, row in kept.items():
        final = practical_part = 0
        for event, (total, count) in row.items():
            part = weights[event] * total * (denominator // count)
            final += part
            if event in practical:
                practical_part += part
        keys.append((final, practical_part, entry))
    by_practical = tie_rule == TieRule.PRACTICAL
    keys.sort(key=lambda k: (-k[0], -k[1] if by_practical else 0, k[2]))
    scale = WEIGHT_TOTAL * denominator
    results: list[Ranked] = []
    previous = None
    for position, (final, practical_part, entry) in enumerate(keys, start=1):
        tie_key = (final, practical_part) if by_practical else final
        if results and tie_key == previous:
            place = results[-1].place
        else:
            place = position
        previous = tie_key
        results.append(
            Ranked(
                entry=entry,
                final=Fraction(final, scale),
                practical=Fraction(practical_part, scale),
                place=place,
            )
        )
    return results


def award_cutoffs(
    numbers: Mapping[str, int], basis: str, ranked_count: int
) -> list[tuple[str, int]]:
    """(award, the last place that wins it) in award order; by share, a count is
    that percentage of ``ranked_count``, rounded down."""
    cutoffs = []
    reached = 0
    for award in AWARD_ORDER:
        number = numbers.get(award, 0)
        if basis == AwardBasis.SHARE:
            number = ranked_count * number // 100
        if number <= 0:
            continue
        reached += number
        cutoffs.append((award, reached))
    return cutoffs


def give_awards(results: list[Ranked], numbers: Mapping[str, int], basis: str) -> list[Ranked]:
    """Set each result's award from its place (in place; returns ``results``)."""
    cutoffs = award_cutoffs(numbers, basis, len(results))
    for result in results:
        result.award = next((award for award, last in cutoffs if result.place <= last), "")
    return results


def to_hundredths(value) -> int:
    """A score (Decimal with two places, or a number) in whole hundredths."""
    return int(round(value * 100))
