"""Establishing a file: application → home visit → income check → public notice → filed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from gonghui.needy import services
from gonghui.needy.models import FileStep, NeedyFile, Threshold
from gonghui.needy.vocabularies import FileStatus, Level, ObjectionStatus, StepAction

from .conftest import NOW, TODAY, after_notice, establish, open_file, to_notice


def test_the_happy_path_files_with_one_step_row_per_transition(county, workers, clock):
    file = open_file(county.t1staff, workers.w1)
    assert file.status == FileStatus.APPLIED
    assert file.organisation == county.t1

    establish(file, county.t1staff, clock)

    file.refresh_from_db()
    assert file.status == FileStatus.FILED
    assert file.filed_on == after_notice().date()
    # 24,000 a year for the worker and 2 members: 666.67 a month per head.
    assert file.household_size == 3
    assert file.per_capita_income == Decimal("666.67")
    assert file.threshold == Decimal("1000")
    assert file.notice_ends_on == TODAY + dt.timedelta(days=4)
    steps = list(FileStep.objects.filter(file=file).values_list("action", "to_status", "by"))
    assert steps == [
        (StepAction.CREATE, FileStatus.APPLIED, county.t1staff.pk),
        (StepAction.VISIT, FileStatus.VISITED, county.t1staff.pk),
        (StepAction.INCOME_CHECK, FileStatus.CHECKED, county.t1staff.pk),
        (StepAction.NOTICE_START, FileStatus.NOTICE, county.t1staff.pk),
        (StepAction.FILE, FileStatus.FILED, county.t1staff.pk),
    ]
    # History kept: the filing is an audit entry of its own.
    changes = [entry.changes_dict for entry in LogEntry.objects.get_for_object(file)]
    assert any("filed_on" in change for change in changes)


def test_filing_on_the_last_day_of_the_notice_is_refused(county, workers, clock):
    file = open_file(county.t1staff, workers.w1)
    to_notice(file, county.t1staff)
    clock.move_to(NOW + dt.timedelta(days=4))

    with pytest.raises(ValidationError, match="public notice runs until 2026-03-06"):
        services.needy_file_file(by=county.t1staff, file=file)

    file.refresh_from_db()
    assert file.status == FileStatus.NOTICE
    assert file.filed_on is None


def test_the_notice_length_comes_from_the_setting(county, workers, settings, clock):
    settings.NEEDY_NOTICE_DAYS = 7
    file = to_notice(open_file(county.t1staff, workers.w1), county.t1staff)
    # Seven working days from Monday 2 March 2026: 2–6 and 9–10 March.
    assert file.notice_ends_on == dt.date(2026, 3, 10)
    clock.move_to(after_notice())
    with pytest.raises(ValidationError):
        services.needy_file_file(by=county.t1staff, file=file)


def test_the_notice_counts_working_days_across_the_national_day(county, workers, clock):
    # Started on Wednesday 30 September 2026: 1–7 October are holidays and Saturday
    # 10 October is worked in lieu (国办发明电〔2025〕7号), so the five days are 30
    # September, 8, 9, 10 and 12 October.
    file = open_file(county.t1staff, workers.w1)
    clock.move_to(dt.datetime(2026, 9, 30, 10, 0, tzinfo=NOW.tzinfo))
    file = to_notice(file, county.t1staff)
    assert file.notice_ends_on == dt.date(2026, 10, 12)
    assert file.steps.last().comment == "From 2026-09-30 to 2026-10-12"

    clock.move_to(dt.datetime(2026, 10, 12, 17, 0, tzinfo=NOW.tzinfo))
    with pytest.raises(ValidationError, match="public notice runs until 2026-10-12"):
        services.needy_file_file(by=county.t1staff, file=file)
    clock.move_to(dt.datetime(2026, 10, 13, 9, 0, tzinfo=NOW.tzinfo))
    services.needy_file_file(by=county.t1staff, file=file)
    file.refresh_from_db()
    assert file.status == FileStatus.FILED


def test_a_notice_reaching_into_a_year_without_confirmed_holidays_says_so(county, workers, clock):
    file = open_file(county.t1staff, workers.w1)
    # Years far enough ahead that neither the calendar package nor anyone carries them.
    clock.move_to(dt.datetime(2031, 12, 29, 10, 0, tzinfo=NOW.tzinfo))
    file = to_notice(file, county.t1staff)
    # 29–31 December, then 1 and 2 January 2032, counted Monday to Friday.
    assert file.notice_ends_on == dt.date(2032, 1, 2)
    assert "counted Monday to Friday" in file.steps.last().comment


def test_a_pending_objection_blocks_filing_until_dismissed(county, workers, clock):
    file = open_file(county.t1staff, workers.w1)
    to_notice(file, county.t1staff)
    objection = services.needy_objection_record(
        by=county.t1staff, file=file, received_on=TODAY, content="家中有经营收入", raised_by="匿名"
    )
    clock.move_to(after_notice())

    with pytest.raises(ValidationError, match="objection is still pending"):
        services.needy_file_file(by=county.t1staff, file=file)

    services.needy_objection_resolve(
        by=county.t1staff, objection=objection, upheld=False, resolution="经核实无经营收入"
    )
    services.needy_file_file(by=county.t1staff, file=file)
    file.refresh_from_db()
    objection.refresh_from_db()
    assert file.status == FileStatus.FILED
    assert objection.status == ObjectionStatus.DISMISSED
    assert objection.resolved_by == county.t1staff


def test_an_objection_with_substance_sends_the_file_back_to_be_visited(county, workers):
    file = open_file(county.t1staff, workers.w1)
    to_notice(file, county.t1staff)
    objection = services.needy_objection_record(
        by=county.t1staff, file=file, received_on=TODAY, content="隐瞒收入"
    )

    services.needy_objection_resolve(
        by=county.t1staff, objection=objection, upheld=True, resolution="属实，重新核查"
    )

    file.refresh_from_db()
    assert file.status == FileStatus.APPLIED
    assert file.notice_ends_on is None
    assert file.steps.last().action == StepAction.OBJECTION_UPHELD
    with pytest.raises(ValidationError):
        services.needy_file_file(by=county.t1staff, file=file)


def test_a_settled_objection_cannot_be_settled_again(county, workers):
    file = open_file(county.t1staff, workers.w1)
    to_notice(file, county.t1staff)
    objection = services.needy_objection_record(
        by=county.t1staff, file=file, received_on=TODAY, content="异议"
    )
    services.needy_objection_resolve(
        by=county.t1staff, objection=objection, upheld=False, resolution="不成立"
    )
    with pytest.raises(ValidationError, match="already settled"):
        services.needy_objection_resolve(
            by=county.t1staff, objection=objection, upheld=True, resolution="再议"
        )


def test_steps_cannot_be_skipped(county, workers):
    file = open_file(county.t1staff, workers.w1)
    with pytest.raises(ValidationError, match="Applied"):
        services.needy_file_check_income(by=county.t1staff, file=file)
    with pytest.raises(ValidationError):
        services.needy_file_start_notice(by=county.t1staff, file=file)
    with pytest.raises(ValidationError):
        services.needy_file_file(by=county.t1staff, file=file)
    file.refresh_from_db()
    assert file.status == FileStatus.APPLIED
    assert file.steps.count() == 1


def test_a_second_open_file_for_one_person_is_refused(county, workers):
    open_file(county.t1staff, workers.w1)
    with pytest.raises(ValidationError, match="already has an open needy-worker file"):
        open_file(county.chair1, workers.w1)
    assert NeedyFile.objects.filter(person=workers.w1).count() == 1


def test_the_database_allows_one_open_file_per_person(county, workers):
    first = open_file(county.t1staff, workers.w1)
    with pytest.raises(IntegrityError), transaction.atomic():
        NeedyFile.objects.create(
            person=workers.w1,
            organisation=county.t1,
            origin=first.origin,
            level=first.level,
            standard=first.standard,
            household_income=Decimal("1"),
        )


def test_a_withdrawn_file_makes_room_for_a_new_one(county, workers):
    file = open_file(county.t1staff, workers.w1)
    services.needy_file_withdraw(by=county.t1staff, file=file, reason="本人撤回")
    second = open_file(county.t1staff, workers.w1)
    file.refresh_from_db()
    assert file.status == FileStatus.WITHDRAWN
    assert second.status == FileStatus.APPLIED


def test_an_income_above_the_threshold_is_refused_at_the_check(county, workers):
    file = open_file(county.t1staff, workers.w1, household_income=Decimal("48000"))
    services.needy_file_record_visit(
        by=county.t1staff, file=file, visited_on=TODAY, visitors="甲", findings="见闻"
    )
    with pytest.raises(ValidationError, match="1333.33 yuan"):
        services.needy_file_check_income(by=county.t1staff, file=file)
    file.refresh_from_db()
    assert file.status == FileStatus.VISITED
    assert file.per_capita_income is None


def test_an_accident_file_is_not_held_to_the_income_threshold(county, workers):
    file = open_file(
        county.t1staff, workers.w1, level=Level.ACCIDENT, household_income=Decimal("48000")
    )
    file = to_notice(file, county.t1staff)
    assert file.status == FileStatus.NOTICE
    assert file.below_threshold is False


def test_the_nearest_organisations_threshold_applies(county, workers):
    Threshold.objects.create(organisation=county.root, year=2026, amount=Decimal("500"))
    services.threshold_set(
        by=county.t1staff, organisation=county.t1, year=2026, amount=Decimal("700")
    )
    file = open_file(county.t1staff, workers.w1)
    services.needy_file_record_visit(
        by=county.t1staff, file=file, visited_on=TODAY, visitors="甲", findings="见闻"
    )
    services.needy_file_check_income(by=county.t1staff, file=file)
    file.refresh_from_db()
    assert file.threshold == Decimal("700")


def test_without_any_threshold_the_check_says_what_to_do(county, workers, settings):
    settings.NEEDY_DEFAULT_THRESHOLD = None
    file = open_file(county.t1staff, workers.w1)
    services.needy_file_record_visit(
        by=county.t1staff, file=file, visited_on=TODAY, visitors="甲", findings="见闻"
    )
    with pytest.raises(ValidationError, match="No income threshold is set for 2026"):
        services.needy_file_check_income(by=county.t1staff, file=file)


def test_a_threshold_outside_the_users_scope_is_refused(county):
    with pytest.raises(PermissionDenied):
        services.threshold_set(
            by=county.t1staff, organisation=county.t2, year=2026, amount=Decimal("700")
        )


def test_a_notice_cannot_start_in_the_past(county, workers):
    file = open_file(county.t1staff, workers.w1)
    services.needy_file_record_visit(
        by=county.t1staff, file=file, visited_on=TODAY, visitors="甲", findings="见闻"
    )
    services.needy_file_check_income(by=county.t1staff, file=file)
    with pytest.raises(ValidationError):
        services.needy_file_start_notice(
            by=county.t1staff, file=file, starts_on=TODAY - dt.timedelta(days=1)
        )


def test_bad_input_is_refused_with_nothing_written(county, workers):
    with pytest.raises(ValidationError, match="at least one cause"):
        open_file(county.t1staff, workers.w1, causes=[])
    with pytest.raises(ValidationError):
        open_file(county.t1staff, workers.w1, household_income=Decimal("-1"))
    with pytest.raises(ValidationError, match="level"):
        open_file(county.t1staff, workers.w1, level="worst")
    assert not NeedyFile.objects.exists()


def test_a_file_outside_the_scope_cannot_be_touched(county, workers):
    file = open_file(county.t1staff, workers.w1)
    with pytest.raises(PermissionDenied):
        services.needy_file_record_visit(
            by=county.t2staff, file=file, visited_on=TODAY, visitors="甲", findings="见闻"
        )
    with pytest.raises(PermissionDenied):
        open_file(county.t2staff, workers.w1)
    with pytest.raises(PermissionDenied):
        open_file(county.chair2, workers.w1)
