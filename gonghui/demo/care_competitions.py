"""The demo county's labour and skills competitions: one whose results are locked and
published (certificates not made yet: the organiser starts that job), one open for
registration with entries awaiting approval, and one being scored, its judge halfway
through the sheet.

Written in bulk with the values the services would have recorded: the locked one's
places and awards come from ``competitions.selectors.ranking_of`` over its scores.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gonghui.accounts.models import Role, User
from gonghui.competitions import selectors
from gonghui.competitions.models import (
    Competition,
    CompetitionStatus,
    Entry,
    EntryStatus,
    Event,
    JudgeAssignment,
    Score,
)

from .care import BATCH_SIZE

#: Entrants of each demo competition (fewer in a small county).
ENTRANTS = 40


def _competition(world, creator, *, name, trade, starts_on, status, **fields) -> Competition:
    day = datetime.timedelta
    fields = {"members_only": True, **fields}
    return Competition.objects.create(
        name=name,
        trade=trade,
        level="county",
        organiser=world.root,
        starts_on=starts_on,
        ends_on=starts_on + day(days=1),
        registration_opens_on=starts_on - day(days=40),
        registration_closes_on=starts_on - day(days=10),
        tie_rule="practical",
        award_basis="count",
        first_awards=1,
        second_awards=3,
        third_awards=5,
        excellence_awards=8,
        status=status,
        created_by=creator,
        **fields,
    )


def _events(competition) -> list[Event]:
    return Event.objects.bulk_create(
        [
            Event(competition=competition, name=_("Theory"), kind="theory", weight=30),
            Event(competition=competition, name=_("Practical"), kind="practical", weight=70),
        ]
    )


def build_competitions(world, summary) -> None:
    rng = world.rng
    creator = world.users.get("admin") or world.default_user
    judges = list(
        User.objects.filter(groups__name=Role.JUDGE, is_active=True).order_by("pk")[:7]
    ) or [creator]
    members = [
        world.person_ids[i]
        for i in range(len(world.person_ids))
        if world.person_orgs[i] != world.person_townships[i]
    ]
    if len(members) < 3:
        return
    today = world.today
    day = datetime.timedelta
    locked = _competition(
        world,
        creator,
        name=_("County CNC lathe operators' skills competition"),
        trade=_("CNC lathe operator"),
        starts_on=today - day(days=60),
        status=CompetitionStatus.LOCKED,
        locked_at=world.moment(today - day(days=50)),
        locked_by=creator,
    )
    opened = _competition(
        world,
        creator,
        name=_("County couriers' skills competition"),
        trade=_("Courier"),
        starts_on=today + day(days=30),
        status=CompetitionStatus.OPEN,
        members_only=False,
    )
    opened.registration_opens_on = today - day(days=5)
    opened.registration_closes_on = today + day(days=20)
    opened.save(update_fields=["registration_opens_on", "registration_closes_on"])
    scoring = _competition(
        world,
        creator,
        name=_("County electricians' skills competition"),
        trade=_("Electrician"),
        starts_on=today - day(days=2),
        status=CompetitionStatus.SCORING,
    )
    count = min(ENTRANTS, len(members))
    entries = []
    for competition, status in (
        (locked, EntryStatus.APPROVED),
        (opened, EntryStatus.PENDING),
        (scoring, EntryStatus.APPROVED),
    ):
        for person_id in rng.sample(members, count):
            entries.append(Entry(competition=competition, person_id=person_id, status=status))
    Entry.objects.bulk_create(entries, batch_size=BATCH_SIZE)
    events = {c.pk: _events(c) for c in (locked, opened, scoring)}
    JudgeAssignment.objects.bulk_create(
        JudgeAssignment(competition=c, judge=j, assigned_by=creator)
        for c in (locked, scoring)
        for j in judges
    )
    scores = []
    for entry in Entry.objects.filter(competition__in=[locked, scoring]).order_by("pk"):
        skill = rng.uniform(60, 95)
        for event in events[entry.competition_id]:
            for index, judge in enumerate(judges):
                # The judge of the competition being scored is halfway through the sheet.
                if entry.competition_id == scoring.pk and (entry.pk + index) % 2:
                    continue
                value = max(0, min(100, skill + rng.uniform(-5, 5)))
                scores.append(
                    Score(entry=entry, event=event, judge=judge, value=Decimal(f"{value:.2f}"))
                )
    Score.objects.bulk_create(scores, batch_size=BATCH_SIZE)
    placed = []
    for result in selectors.ranking_of(locked):
        placed.append(
            Entry(
                pk=result.entry,
                final_score=Decimal(str(result.final_points)),
                place=result.place,
                award=result.award,
            )
        )
    Entry.objects.bulk_update(placed, ["final_score", "place", "award"], batch_size=BATCH_SIZE)
    summary.competitions = 3
    summary.competition_entries = len(entries)
    summary.competition_scores = len(scores)
