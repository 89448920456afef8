"""Ranking a competition of 10,000 entrants, 7 judges and 3 events.

Two figures:

- in memory: the score sheet of 210,000 scores ranked by ``competitions.ranking``
  (the function the results page and the lock call), with the awards;
- from the database: ``competitions.selectors.ranking_of``, which reads every score in
  one query and ranks in Python, on a synthetic competition written into the
  database under GONGHUI_VAR_DIR inside a transaction that is rolled back (the
  entrants are the first 10,000 workers of the demo county).

    GONGHUI_VAR_DIR=/tmp/bench-1m python bench/competition_ranking.py [--json]

Target (median): 1 s for each.
"""

from __future__ import annotations

import json
import random
import sys

from common import median_ms, require_demo
from django.db import connection, transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.competitions import ranking, selectors
from gonghui.competitions.models import Competition, Entry, Event, JudgeAssignment, Score
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

ENTRANTS, JUDGES, EVENTS = 10_000, 7, 3
TARGET_MS = 1000


class Rollback(Exception):
    pass


def synthetic_sheet(seed: int = 1):
    rng = random.Random(seed)
    return {
        entry: {
            event: [rng.randrange(5000, 10001, 25) for _judge in range(JUDGES)]
            for event in range(EVENTS)
        }
        for entry in range(ENTRANTS)
    }


def in_memory() -> dict:
    sheet = synthetic_sheet()
    weights = {0: 30, 1: 50, 2: 20}

    def run():
        results = ranking.rank(sheet, weights, practical=[1, 2], tie_rule="practical")
        return ranking.give_awards(
            results, {"first": 1, "second": 3, "third": 6, "excellence": 10}, "share"
        )

    return {**median_ms(run, runs=7, warmup=1), "target_ms": TARGET_MS}


def from_database() -> dict:
    require_demo(ENTRANTS)
    rng = random.Random(2)
    figures: dict = {}
    try:
        with transaction.atomic():
            root = Organisation.objects.filter(parent__isnull=True).order_by("pk").first()
            admin = User.objects.filter(is_superuser=True).first() or User.objects.first()
            today = timezone.localdate()
            competition = Competition.objects.create(
                name="bench",
                trade="bench",
                level="county",
                organiser=root,
                starts_on=today,
                ends_on=today,
                registration_opens_on=today,
                registration_closes_on=today,
                status="scoring",
                created_by=admin,
            )
            events = Event.objects.bulk_create(
                Event(competition=competition, name=f"e{i}", kind=kind, weight=weight)
                for i, (kind, weight) in enumerate(
                    [("theory", 30), ("practical", 50), ("practical", 20)]
                )
            )
            people = list(Person.objects.order_by("pk").values_list("pk", flat=True)[:ENTRANTS])
            entries = Entry.objects.bulk_create(
                (Entry(competition=competition, person_id=pk, status="approved") for pk in people),
                batch_size=2000,
            )
            judges = list(User.objects.order_by("pk")[:JUDGES])
            JudgeAssignment.objects.bulk_create(
                JudgeAssignment(competition=competition, judge=j, assigned_by=admin) for j in judges
            )
            Score.objects.bulk_create(
                (
                    Score(
                        entry=entry,
                        event=event,
                        judge=judge,
                        value=rng.randrange(5000, 10001, 25) / 100,
                    )
                    for entry in entries
                    for event in events
                    for judge in judges
                ),
                batch_size=5000,
            )
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            scores = Score.objects.filter(event__competition=competition).count()
            figures = {
                "entrants": len(entries),
                "scores": scores,
                **median_ms(lambda: selectors.ranking_of(competition), runs=7, warmup=1),
                "target_ms": TARGET_MS,
            }
            raise Rollback
    except Rollback:
        pass
    return figures


def main() -> None:
    results = {"in memory": in_memory(), "from the database": from_database()}
    if "--json" in sys.argv:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    for name, figure in results.items():
        print(f"ranking {ENTRANTS}×{JUDGES}×{EVENTS}, {name}: {figure}")


if __name__ == "__main__":
    main()
