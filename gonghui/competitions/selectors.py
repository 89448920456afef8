"""Reads of competitions: the scope rule's querysets, the ranking of a competition
(every score in one query, ranked in Python by ``ranking``), and what a judge and a
worker may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, IntegerField, Q, QuerySet
from django.db.models.functions import Round

from gonghui.orgs.models import Employer

from . import ranking
from .models import (
    Competition,
    CompetitionStatus,
    Entry,
    EntryStatus,
    Event,
    JudgeAssignment,
    Score,
)


def competitions_for(user) -> QuerySet:
    return Competition.objects.for_user(user).select_related("organiser")


def score_sheet(competition: Competition) -> dict[int, dict[int, list[int]]]:
    """{entry: {event: [scores in hundredths]}} of the approved entries.

    Two reads: the approved entries, then every score of the competition's events as
    whole hundredths computed by the database (no Decimal made per row: 210,000 of
    them cost more than the ranking itself), without a join, the index
    ``competition_score_event`` answering ``event IN (…)``."""
    approved = Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
    # Every approved entrant is ranked, scored or not.
    sheet: dict[int, dict[int, list[int]]] = {
        pk: {} for pk in approved.values_list("pk", flat=True)
    }
    events = list(Event.objects.filter(competition=competition).values_list("pk", flat=True))
    hundredths = Round(F("value") * 100, output_field=IntegerField())
    scores = (
        Score.objects.filter(event_id__in=events)
        .order_by()
        .values_list("entry_id", "event_id", hundredths)
    )
    for entry_id, event_id, value in scores:
        row = sheet.get(entry_id)
        if row is not None:  # a refused entrant's old scores do not count
            row.setdefault(event_id, []).append(int(value))
    return sheet


def ranking_of(competition: Competition) -> list[ranking.Ranked]:
    """The competition's ranking from its scores, with the awards the places win."""
    events = list(Event.objects.filter(competition=competition).values_list("pk", "weight", "kind"))
    weights = {pk: weight for pk, weight, _kind in events}
    practical = [pk for pk, _weight, kind in events if kind == "practical"]
    results = ranking.rank(
        score_sheet(competition), weights, practical=practical, tie_rule=competition.tie_rule
    )
    return ranking.give_awards(results, competition.award_numbers(), competition.award_basis)


@dataclass(frozen=True)
class Missing:
    """A judge who has not scored an approved entrant in an event yet."""

    judge: str
    entrant: str
    event: str


def missing_scores(competition: Competition, *, limit: int = 20) -> tuple[int, list[Missing]]:
    """How many (judge, entrant, event) scores are missing, and the first ``limit``."""
    judges = list(
        JudgeAssignment.objects.filter(competition=competition)
        .select_related("judge")
        .order_by("pk")
    )
    events = list(Event.objects.filter(competition=competition))
    entries = list(
        Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
        .select_related("person")
        .order_by("pk")
    )
    have = set(
        Score.objects.filter(event__competition=competition).values_list(
            "judge_id", "entry_id", "event_id"
        )
    )
    count = 0
    shown: list[Missing] = []
    for assignment in judges:
        for entry in entries:
            for event in events:
                if (assignment.judge_id, entry.pk, event.pk) not in have:
                    count += 1
                    if len(shown) < limit:
                        shown.append(
                            Missing(assignment.judge.display_name, entry.person.name, event.name)
                        )
    return count, shown


def entry_counts(competition: Competition) -> dict[str, int]:
    return dict(
        Entry.objects.filter(competition=competition)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )


def judge_competitions(user) -> QuerySet:
    """The competitions ``user`` judges, those being scored first."""
    return (
        Competition.objects.for_judge(user)
        .select_related("organiser")
        .order_by("-starts_on", "-pk")
    )


# --- the worker's side ----------------------------------------------------------------


def competitions_for_worker(person) -> QuerySet:
    """The competitions whose organiser covers the worker's employer (an employer in the
    organiser's subtree): the only ones the worker may see, enter or read results of."""
    if person is None or person.employer_id is None:
        return Competition.objects.none()
    employer = (
        Employer.objects.select_related("township", "union").filter(pk=person.employer_id).first()
    )
    placed = [org for org in (employer.township, employer.union) if org is not None]
    above: set[int] = set()
    for organisation in placed:
        above.update(organisation.ancestor_ids())
        above.add(organisation.pk)
    return (
        Competition.objects.filter(organiser_id__in=above)
        .exclude(status=CompetitionStatus.DRAFT)
        .select_related("organiser")
    )


def open_competitions_for_worker(person) -> QuerySet:
    return competitions_for_worker(person).filter(status=CompetitionStatus.OPEN)


def published_results(competition: Competition) -> QuerySet:
    """The awarded entrants of a locked competition, best first (what is published)."""
    if competition.status != CompetitionStatus.LOCKED:
        return Entry.objects.none()
    return (
        Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
        .filter(~Q(award=""))
        .select_related("person__employer")
        .order_by("place", "pk")
    )


def entries_for_person(user, person) -> QuerySet:
    """A person's entries, for their file (in the user's scope)."""
    return (
        Entry.objects.for_user(user)
        .filter(person=person)
        .select_related("competition")
        .order_by("-competition__starts_on")
    )
