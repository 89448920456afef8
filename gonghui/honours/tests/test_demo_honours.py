"""The demo county's titles and care for model workers: titles held by a share of the
workers (mostly county titles), nominations under way with one on public notice and
one with an objection unanswered, care rules with most care given and some overdue,
published stories and activities; and a wipe takes them all."""

from collections import Counter

import pytest
from django.test import Client
from django.utils import timezone

from gonghui.demo.models import DemoCounty
from gonghui.demo.services import demo_county_wipe
from gonghui.demo.tests.helpers import build
from gonghui.honours import care
from gonghui.honours.models import (
    Activity,
    CareGiven,
    CareRule,
    HolderKind,
    Nomination,
    NominationObjection,
    NominationStatus,
    Story,
    TitleHolding,
    TitleLevel,
)
from gonghui.people.models import Person


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_holds_titles_mostly_of_the_county(demo):
    people = TitleHolding.objects.filter(holder_kind=HolderKind.PERSON)
    holders = set(people.values_list("person_id", flat=True))
    assert 10 <= len(holders) <= 0.02 * Person.objects.count() + 10
    levels = Counter(people.values_list("title__level", flat=True))
    assert levels[TitleLevel.COUNTY] > sum(levels.values()) / 2
    assert TitleHolding.objects.exclude(holder_kind=HolderKind.PERSON).exists()
    assert all(h.document_number for h in TitleHolding.objects.all())


def test_a_nomination_is_on_public_notice_and_one_has_an_objection(demo):
    page = Client().get("/notice/")
    assert page.status_code == 200
    on_notice = Nomination.objects.filter(status=NominationStatus.NOTICE)
    assert on_notice.count() == 2
    for nomination in on_notice:
        assert nomination.holder_name in page.content.decode()
        assert nomination.notice_starts_on <= timezone.localdate() <= nomination.notice_ends_on
        assert nomination.steps.count() >= 3
    assert NominationObjection.objects.filter(status="pending").count() == 1
    assert Nomination.objects.filter(status=NominationStatus.REVIEW).exists()


def test_care_is_mostly_given_and_some_overdue(demo):
    holders = list(
        TitleHolding.objects.filter(person__isnull=False).values_list("person_id", flat=True)
    )
    overdue = care.overdue_person_ids(holders, timezone.localdate())
    assert CareRule.objects.exists() and CareGiven.objects.exists()
    assert overdue, "some care is overdue"
    with_rules = {
        person
        for person, title in TitleHolding.objects.filter(person__isnull=False).values_list(
            "person_id", "title_id"
        )
        if CareRule.objects.filter(title_id=title).exists()
    }
    assert len(overdue) < len(with_rules)


def test_stories_are_published_and_activities_recorded(demo):
    assert Story.objects.published().count() >= 3
    assert Activity.objects.filter(people__isnull=False).exists()


def test_a_wipe_takes_the_honours_with_it(demo):
    assert demo_county_wipe() == 1
    for model in (TitleHolding, Nomination, NominationObjection, CareGiven, Story, Activity):
        assert not model.objects.exists(), model
