"""Reads about studios and mentoring: the outcomes of mentoring by studio and by union,
the sections of a person's file and of an employer's page, the leader's titles, and
the portal's showcase. Every console read goes through ``for_user`` (the scope rule);
the portal's through the worker's own file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from gonghui.core.scope import SEGMENT_WIDTH

from .levels import high_skilled_values
from .models import (
    Achievement,
    AchievementPhoto,
    MentoringPair,
    MentoringStatus,
    Studio,
    StudioMember,
)

# --- Outcomes of mentoring ------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """One line of the outcomes: pairs, pairs completed, and apprentices (each counted
    once) whose evaluation reached 高级工 or above."""

    name: str
    detail: str
    pairs: int
    completed: int
    high_skilled: int


@dataclass
class Outcomes:
    by_studio: list[OutcomeRow] = field(default_factory=list)
    by_union: list[OutcomeRow] = field(default_factory=list)
    total: OutcomeRow | None = None


def _counts() -> dict:
    high = high_skilled_values()
    return {
        "n_pairs": Count("pk"),
        "n_completed": Count("pk", filter=Q(status=MentoringStatus.COMPLETED)),
        "n_high": Count("apprentice", filter=Q(level_reached__in=high), distinct=True),
    }


def _row(values: dict, name: str, detail: str = "") -> OutcomeRow:
    return OutcomeRow(
        name=name,
        detail=detail,
        pairs=values["n_pairs"],
        completed=values["n_completed"],
        high_skilled=values["n_high"],
    )


def mentoring_outcomes(user) -> Outcomes:
    """The outcomes of the pairs ``user`` sees, by studio and by union (three queries)."""
    pairs = MentoringPair.objects.for_user(user)
    counts = _counts()
    by_studio = (
        pairs.filter(studio__isnull=False)
        .values("studio_id", "studio__name", "studio__employer__name")
        .annotate(**counts)
        .order_by("studio__name", "studio_id")
    )
    by_union = (
        pairs.values("union_id", "union__name", "union__path")
        .annotate(**counts)
        .order_by("union__path")
    )
    total = pairs.aggregate(**counts)
    return Outcomes(
        by_studio=[_row(v, v["studio__name"], v["studio__employer__name"]) for v in by_studio],
        by_union=[_row(v, v["union__name"]) for v in by_union],
        total=_row(total, ""),
    )


# --- Sections and pages ---------------------------------------------------------------------


def leader_titles(person) -> list:
    """The titles (劳动模范, 工匠 …) ``person`` holds, from ``gonghui.honours`` when that
    app provides ``TitleHolding``; an empty list otherwise."""
    try:
        from gonghui.honours.models import TitleHolding
    except ImportError:
        return []
    manager = TitleHolding.objects
    held_by_person = getattr(manager, "held_by_person", None)
    if held_by_person is not None:
        return list(held_by_person(person))
    return list(manager.filter(person=person))


def person_section(person, user) -> dict:
    """What a person's file shows: studios led or joined, pairs as mentor or apprentice."""
    return {
        "studios_led": list(
            Studio.objects.for_user(user).filter(leader=person).select_related("employer")
        ),
        "studio_memberships": list(
            StudioMember.objects.for_user(user)
            .filter(person=person)
            .exclude(studio__leader=person)
            .select_related("studio")
            .order_by("-joined_on", "-pk")
        ),
        "pairs": list(
            MentoringPair.objects.for_user(user)
            .filter(Q(mentor=person) | Q(apprentice=person))
            .select_related("mentor", "apprentice")
        ),
    }


def employer_section(employer, user) -> dict:
    return {
        "studios": list(
            Studio.objects.for_user(user)
            .filter(employer=employer)
            .select_related("leader")
            .annotate(
                n_members=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
                ),
                n_achievements=Count("achievements", distinct=True),
            )
        )
    }


# --- The portal ---------------------------------------------------------------------------


def county_path_of(person) -> str | None:
    """The path of the county whose union the member belongs to (None: not a member)."""
    if person is None or person.current_union_id is None:
        return None
    return person.current_union.path[:SEGMENT_WIDTH]


def portal_showcase(person) -> QuerySet:
    """The published achievements of studios in the member's county (none for a
    worker who is not a member: the showcase is for the county's union members)."""
    county = county_path_of(person)
    if county is None:
        return Achievement.objects.none()
    return (
        Achievement.objects.published()
        .filter(studio__employer__township__path__startswith=county)
        .select_related("studio", "studio__employer")
    )


def portal_photos(person) -> QuerySet:
    return AchievementPhoto.objects.filter(achievement__in=portal_showcase(person).values("pk"))
