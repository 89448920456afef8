"""The course of a competition through its services, and every refusal: each one is
told in words and writes nothing."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gonghui.competitions import services
from gonghui.competitions.models import (
    CompetitionStatus,
    Entry,
    EntryStatus,
    ResultChange,
    Score,
)
from gonghui.competitions.tests.helpers import competition, judges, worker
from gonghui.inbox.models import Message

pytestmark = pytest.mark.django_db


def scoring(county, entrants=2, n_judges=2):
    """A competition in scoring with approved entrants and assigned judges."""
    made = competition(county)
    people = [worker(county, f"参赛{i}") for i in range(entrants)]
    entries = [services.entry_register(by=None, competition=made, person=p) for p in people]
    for entry in entries:
        services.entry_approve(by=county.admin, entry=entry)
    assigned = judges(county, made, n_judges)
    made = services.competition_advance(by=county.admin, competition=made)  # closed
    made = services.competition_advance(by=county.admin, competition=made)  # scoring
    return made, entries, assigned


def score_all(competition_, entries, assigned, values):
    theory = competition_.events.get(kind="theory")
    practical = competition_.events.get(kind="practical")
    for judge in assigned:
        for entry, (t, p) in zip(entries, values, strict=True):
            services.score_record(by=judge, entry=entry, event=theory, value=t)
            services.score_record(by=judge, entry=entry, event=practical, value=p)


def test_a_competition_runs_from_registration_to_locked_results(county):
    made, entries, assigned = scoring(county)
    score_all(made, entries, assigned, [(80, 90), (90, 70)])
    services.results_lock(by=county.admin, competition=made)
    made.refresh_from_db()
    assert made.status == CompetitionStatus.LOCKED and made.locked_by == county.admin
    first, second = (Entry.objects.get(pk=e.pk) for e in entries)
    # 0.4×80 + 0.6×90 = 86; 0.4×90 + 0.6×70 = 78
    assert (first.final_score, first.place, first.award) == (Decimal("86.00"), 1, "first")
    assert (second.final_score, second.place, second.award) == (Decimal("78.00"), 2, "second")
    told = Message.objects.filter(person=first.person, key=f"competition:{made.pk}:results")
    assert told.count() == 1


def test_approval_and_refusal_are_told_to_the_worker(county):
    made = competition(county)
    a, b = worker(county, "甲"), worker(county, "乙")
    ea = services.entry_register(by=None, competition=made, person=a)
    eb = services.entry_register(by=county.chair1, competition=made, person=b)
    services.entry_approve(by=county.admin, entry=ea)
    services.entry_refuse(by=county.admin, entry=eb, reason="名额已满")
    assert Message.objects.filter(person=a, title__contains="approved").count() == 1
    refused = Message.objects.get(person=b)
    assert "名额已满" in refused.body
    eb.refresh_from_db()
    assert eb.status == EntryStatus.REFUSED and eb.registered_by == county.chair1


def refused(call, *, contains=""):
    with pytest.raises((ValidationError, PermissionDenied)) as caught:
        call()
    text = " ".join(getattr(caught.value, "messages", [str(caught.value)]))
    assert contains in text, text
    return text


def test_a_score_out_of_range_is_refused(county):
    made, entries, (judge, _other) = scoring(county)
    theory = made.events.get(kind="theory")
    refused(
        lambda: services.score_record(by=judge, entry=entries[0], event=theory, value=101),
        contains="from 0.00 to 100.00",
    )
    assert not Score.objects.exists()


def test_a_second_score_by_the_same_judge_is_refused(county):
    made, entries, (judge, _other) = scoring(county)
    theory = made.events.get(kind="theory")
    services.score_record(by=judge, entry=entries[0], event=theory, value=70)
    refused(
        lambda: services.score_record(by=judge, entry=entries[0], event=theory, value=75),
        contains="already scored",
    )
    assert list(Score.objects.values_list("value", flat=True)) == [Decimal("70.00")]


def test_a_judge_not_assigned_cannot_score(county, neighbours):
    made, entries, _assigned = scoring(county)
    theory = made.events.get(kind="theory")
    refused(
        lambda: services.score_record(
            by=neighbours.judge, entry=entries[0], event=theory, value=70
        ),
        contains="assigned",
    )
    assert not Score.objects.exists()


def test_a_correction_before_locking_updates_the_score_and_after_locking_is_refused(county):
    from auditlog.models import LogEntry

    made, entries, assigned = scoring(county, entrants=1, n_judges=1)
    score_all(made, entries, assigned, [(80, 90)])
    score = Score.objects.get(event__kind="theory")
    services.score_correct(by=assigned[0], score=score, value=85)
    score.refresh_from_db()
    assert score.value == Decimal("85.00")
    assert LogEntry.objects.get_for_object(score).filter(action=LogEntry.Action.UPDATE).exists()
    services.results_lock(by=county.admin, competition=made)
    refused(
        lambda: services.score_correct(by=assigned[0], score=score, value=60), contains="locked"
    )
    score.refresh_from_db()
    assert score.value == Decimal("85.00")


def test_registration_outside_the_window_is_refused(county):
    made = competition(county)
    person = worker(county)
    later = timezone.localdate() + timedelta(days=6)
    with time_machine.travel(later):
        refused(
            lambda: services.entry_register(by=None, competition=made, person=person),
            contains="Registration closed",
        )
    assert not Entry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "who", "says"),
    [
        ({"max_age": 30}, {"born": date(1980, 1, 1)}, "at most 30"),
        ({"min_age": 40}, {"born": date(1995, 1, 1)}, "at least 40"),
        ({"eligible_trade": "焊工"}, {"job": "车工"}, "trade 焊工"),
        ({"members_only": True}, {"member": False}, "members only"),
    ],
)
def test_an_ineligible_worker_is_refused(county, fields, who, says):
    made = competition(county, **fields)
    person = worker(county, **who)
    refused(
        lambda: services.entry_register(by=None, competition=made, person=person), contains=says
    )
    assert not Entry.objects.exists()


def test_a_worker_of_an_employer_outside_the_organiser_is_refused(county):
    made = competition(county, organiser=county.t2)
    person = worker(county)  # works at E1, under T1
    refused(
        lambda: services.entry_register(by=None, competition=made, person=person),
        contains="employers under",
    )
    assert not Entry.objects.exists()


def test_a_worker_registers_once(county):
    made = competition(county)
    person = worker(county)
    services.entry_register(by=None, competition=made, person=person)
    refused(
        lambda: services.entry_register(by=None, competition=made, person=person),
        contains="already entered",
    )
    assert Entry.objects.count() == 1


def test_a_chair_cannot_approve_a_county_competition(county):
    made = competition(county)
    entry = services.entry_register(by=None, competition=made, person=worker(county))
    refused(lambda: services.entry_approve(by=county.chair1, entry=entry), contains="organiser")
    entry.refresh_from_db()
    assert entry.status == EntryStatus.PENDING


def test_locking_with_scores_missing_names_who(county):
    made, entries, assigned = scoring(county)
    theory = made.events.get(kind="theory")
    services.score_record(by=assigned[0], entry=entries[0], event=theory, value=70)
    text = refused(lambda: services.results_lock(by=county.admin, competition=made))
    assert "7 scores are missing" in text and entries[1].person.name in text
    made.refresh_from_db()
    assert made.status == CompetitionStatus.SCORING
    assert not Entry.objects.filter(place__isnull=False).exists()


def test_a_locked_result_changes_only_with_a_reason(county):
    made, entries, assigned = scoring(county)
    score_all(made, entries, assigned, [(80, 90), (90, 70)])
    services.results_lock(by=county.admin, competition=made)
    entry = Entry.objects.get(pk=entries[1].pk)
    refused(
        lambda: services.result_change(by=county.admin, entry=entry, reason=" ", award="first"),
        contains="reason",
    )
    entry.refresh_from_db()
    assert entry.award == "second" and not ResultChange.objects.exists()
    services.result_change(by=county.admin, entry=entry, reason="复核加分", place=1, award="first")
    change = ResultChange.objects.get()
    assert (change.old_award, change.new_award, change.old_place, change.new_place) == (
        "second",
        "first",
        2,
        1,
    )
    assert change.changed_by == county.admin and change.reason == "复核加分"


def test_registration_opens_only_when_the_weights_add_up_to_100(county):
    made = competition(county, status="draft")
    made.events.filter(kind="theory").update(weight=30)
    refused(lambda: services.competition_advance(by=county.admin, competition=made), contains="90%")
    made.refresh_from_db()
    assert made.status == CompetitionStatus.DRAFT


def test_an_award_carrying_a_skill_level_goes_on_the_winners_file(county):
    from gonghui.skills.models import SkillRecord

    made, entries, assigned = scoring(county)
    made.first_skill_level = "3"
    made.save(update_fields=["first_skill_level"])
    score_all(made, entries, assigned, [(80, 90), (90, 70)])
    services.results_lock(by=county.admin, competition=made)
    record = SkillRecord.objects.get()
    assert (record.person, record.level, record.trade, record.source) == (
        entries[0].person,
        "3",
        made.trade,
        "competition",
    )
