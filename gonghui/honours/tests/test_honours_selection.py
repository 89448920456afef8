"""Selection with public notice (选树与公示): a union nominates, each level above
approves, the notice runs in working days, objections are answered, the title is
confirmed."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gonghui.honours import services
from gonghui.honours.models import (
    Nomination,
    NominationObjection,
    NominationStatus,
    Source,
    TitleHolding,
)
from gonghui.inbox.models import Message

from .conftest import NOW, TZ, nominate, to_notice

pytestmark = pytest.mark.django_db


def test_a_nomination_goes_up_the_tree_and_is_confirmed_after_the_notice(county, world, clock):
    nomination = nominate(county, world)
    assert nomination.awaiting == county.t1
    # Only the staff of the level it waits at decide.
    with pytest.raises(PermissionDenied):
        services.nomination_approve(by=world.county_staff, nomination=nomination)
    services.nomination_approve(by=county.t1staff, nomination=nomination, comment="属实")
    nomination.refresh_from_db()
    assert nomination.awaiting == county.root
    services.nomination_approve(by=world.county_staff, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.APPROVED

    services.nomination_start_notice(by=world.county_staff, nomination=nomination)
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.NOTICE
    assert nomination.notice_ends_on == dt.date(2026, 3, 6)  # five working days, Mon–Fri
    assert Message.objects.filter(person=world.w1, title__contains="nominated").count() == 1

    with pytest.raises(ValidationError, match="public notice runs until 2026-03-06"):
        services.nomination_confirm(by=world.county_staff, nomination=nomination)
    clock.move_to(dt.datetime(2026, 3, 7, 9, tzinfo=TZ))
    holding = services.nomination_confirm(
        by=world.county_staff, nomination=nomination, document_number="县总发〔2026〕3号"
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.CONFIRMED
    assert holding.source == Source.SELECTED
    assert list(TitleHolding.objects.held_by_person(world.w1)) == [holding]
    assert Message.objects.filter(person=world.w1, title__contains="awarded").count() == 1
    actions = list(nomination.steps.values_list("action", flat=True))
    assert actions == ["nominate", "approve", "approve", "notice_start", "confirm"]


def test_the_notice_counts_working_days_across_national_day(county, world, clock):
    clock.move_to(dt.datetime(2025, 9, 26, 9, tzinfo=TZ))  # the Friday before National Day
    nomination = nominate(county, world)
    nomination = to_notice(county, world, nomination)
    # 26 Sep, the working Sunday 28 Sep, 29 and 30 Sep, then 9 Oct after the holiday.
    assert nomination.notice_ends_on == dt.date(2025, 10, 9)
    clock.move_to(dt.datetime(2025, 10, 9, 16, tzinfo=TZ))
    with pytest.raises(ValidationError, match="runs until 2025-10-09"):
        services.nomination_confirm(by=world.county_staff, nomination=nomination)
    clock.move_to(dt.datetime(2025, 10, 10, 9, tzinfo=TZ))
    services.nomination_confirm(by=world.county_staff, nomination=nomination)


def test_the_notice_length_is_configured_by_the_county(county, world, clock):
    services.notice_days_set(by=county.admin, days=7)
    with pytest.raises(PermissionDenied):
        services.notice_days_set(by=county.t1staff, days=3)
    nomination = to_notice(county, world, nominate(county, world))
    assert nomination.notice_days == 7
    assert nomination.notice_ends_on == dt.date(2026, 3, 10)


def test_an_objection_lodged_on_the_public_page_blocks_confirmation_until_dismissed(
    county, world, clock, client
):
    nomination = to_notice(county, world, nominate(county, world))
    page = client.get(reverse("notice:list"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "劳模甲" in text and "带领班组完成技术改造" in text
    assert "330106" not in text  # no ID number on the public page
    response = client.post(
        reverse("notice:objection", args=[nomination.pk]),
        {"content": "事迹有夸大", "raised_by": "", "contact": "13800000001"},
    )
    assert response.status_code == 302
    objection = NominationObjection.objects.get()
    assert objection.contact_encrypted and "13800000001" not in objection.contact_encrypted
    assert objection.plain_contact() == "13800000001"

    clock.move_to(dt.datetime(2026, 3, 9, 9, tzinfo=TZ))
    with pytest.raises(ValidationError, match="unanswered"):
        services.nomination_confirm(by=world.county_staff, nomination=nomination)
    with pytest.raises(ValidationError, match="Say how"):
        services.nomination_objection_answer(
            by=world.county_staff, objection=objection, upheld=False, answer=" "
        )
    services.nomination_objection_answer(
        by=world.county_staff, objection=objection, upheld=False, answer="经核实事迹属实"
    )
    services.nomination_confirm(by=world.county_staff, nomination=nomination)
    assert TitleHolding.objects.filter(person=world.w1).count() == 1


def test_an_upheld_objection_fails_the_nomination(county, world, clock):
    nomination = to_notice(county, world, nominate(county, world))
    objection = services.nomination_objection_record(
        by=world.county_staff,
        nomination=nomination,
        received_on=NOW.date(),
        content="来信反映其存在违纪",
        raised_by="来信",
    )
    services.nomination_objection_answer(
        by=world.county_staff, objection=objection, upheld=True, answer="查实"
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.FAILED
    clock.move_to(dt.datetime(2026, 3, 9, 9, tzinfo=TZ))
    with pytest.raises(ValidationError):
        services.nomination_confirm(by=world.county_staff, nomination=nomination)
    assert not TitleHolding.objects.exists()
    # A failed nomination is closed: the holder may be nominated again.
    nominate(county, world)


def test_objections_are_refused_outside_the_notice_and_rate_limited(county, world, client):
    nomination = nominate(county, world)
    assert client.get(reverse("notice:objection", args=[nomination.pk])).status_code == 404
    to_notice(county, world, nomination)
    url = reverse("notice:objection", args=[nomination.pk])
    for _ in range(5):
        assert client.post(url, {"content": "异议"}).status_code == 302
    refused = client.post(url, {"content": "异议"})
    assert refused.status_code == 400
    assert "Too many objections" in refused.content.decode()
    assert NominationObjection.objects.count() == 5


def test_a_second_open_nomination_and_one_of_a_holder_are_refused(county, world, clock):
    nominate(county, world)
    with pytest.raises(ValidationError, match="already has an open nomination"):
        nominate(county, world)
    services.holding_record(
        by=county.admin,
        title=world.county_title,
        year=2025,
        conferred_on=dt.date(2025, 5, 1),
        person=world.w2,
    )
    with pytest.raises(ValidationError, match="already holds that title"):
        services.nomination_create(
            by=county.chair2,
            title=world.county_title,
            year=2025,
            person=world.w2,
            reasons="x",
            deeds="y",
        )
    assert Nomination.objects.count() == 1


def test_a_chair_cannot_nominate_a_worker_of_a_sibling_union(county, world):
    with pytest.raises(PermissionDenied):
        nominate(county, world, person=world.w2)


def test_a_returned_nomination_is_corrected_and_reviewed_again(county, world):
    nomination = nominate(county, world)
    with pytest.raises(ValidationError):
        services.nomination_return(by=county.t1staff, nomination=nomination, comment="")
    services.nomination_return(by=county.t1staff, nomination=nomination, comment="补充材料")
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.RETURNED and nomination.awaiting is None
    services.nomination_resubmit(
        by=county.chair1, nomination=nomination, reasons="补充后", deeds="事迹"
    )
    nomination.refresh_from_db()
    assert nomination.status == NominationStatus.REVIEW and nomination.awaiting == county.t1


def test_a_notice_started_in_the_past_through_today(county, world, clock):
    nomination = nominate(county, world)
    services.nomination_approve(by=county.t1staff, nomination=nomination)
    services.nomination_approve(by=world.county_staff, nomination=nomination)
    started = services.nomination_start_notice(
        by=world.county_staff, nomination=nomination, today=dt.date(2026, 2, 2)
    )
    assert started.notice_starts_on == dt.date(2026, 2, 2)
    services.nomination_confirm(by=world.county_staff, nomination=nomination)


def test_the_title_shows_on_the_person_file(county, world, client_for):
    services.holding_record(
        by=county.admin,
        title=world.county_title,
        year=2024,
        conferred_on=dt.date(2024, 4, 30),
        person=world.w1,
    )
    page = client_for(county.chair1).get(world.w1.get_absolute_url())
    assert "县劳动模范" in page.content.decode()
