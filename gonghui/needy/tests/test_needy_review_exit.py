"""The yearly review and the exit from difficulty (解困脱困)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gonghui.needy import services
from gonghui.needy.models import ReviewRecord
from gonghui.needy.vocabularies import ExitReason, FileStatus, Level, ReviewOutcome, StepAction

from .conftest import TZ, establish, open_file


@pytest.fixture
def filed(county, workers, clock):
    return establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)


def _next_year(clock):
    clock.move_to(dt.datetime(2027, 2, 1, 10, 0, tzinfo=TZ))
    return dt.date(2027, 2, 1)


def test_a_review_that_keeps_the_file_records_the_new_income(county, filed, clock):
    today = _next_year(clock)
    review = services.needy_file_review(
        by=county.t1staff,
        file=filed,
        year=2027,
        reviewed_on=today,
        household_income=Decimal("20000"),
        outcome=ReviewOutcome.CONTINUE,
    )
    filed.refresh_from_db()
    assert review.level_before == review.level_after == Level.RELATIVE
    assert filed.status == FileStatus.FILED
    assert filed.household_income == Decimal("20000")
    assert filed.steps.last().action == StepAction.REVIEW


def test_a_review_can_change_the_level(county, filed, clock):
    today = _next_year(clock)
    services.needy_file_review(
        by=county.t1staff,
        file=filed,
        year=2027,
        reviewed_on=today,
        household_income=Decimal("9000"),
        outcome=ReviewOutcome.LEVEL_CHANGED,
        level=Level.DEEP,
    )
    filed.refresh_from_db()
    assert filed.level == Level.DEEP
    assert ReviewRecord.objects.get(file=filed).level_before == Level.RELATIVE


def test_a_level_change_to_the_same_level_is_refused(county, filed):
    with pytest.raises(ValidationError, match="new level"):
        services.needy_file_review(
            by=county.t1staff,
            file=filed,
            year=2026,
            reviewed_on=filed.filed_on,
            household_income=Decimal("9000"),
            outcome=ReviewOutcome.LEVEL_CHANGED,
            level=Level.RELATIVE,
        )


def test_a_second_review_for_one_year_is_refused(county, filed, clock):
    today = _next_year(clock)
    arguments = {
        "by": county.t1staff,
        "year": 2027,
        "reviewed_on": today,
        "household_income": Decimal("20000"),
        "outcome": ReviewOutcome.CONTINUE,
    }
    services.needy_file_review(file=filed, **arguments)
    with pytest.raises(ValidationError, match="already reviewed"):
        services.needy_file_review(file=filed, **arguments)
    assert ReviewRecord.objects.filter(file=filed).count() == 1


def test_a_review_ending_in_exit_closes_the_file(county, filed, clock):
    today = _next_year(clock)
    services.needy_file_review(
        by=county.t1staff,
        file=filed,
        year=2027,
        reviewed_on=today,
        household_income=Decimal("90000"),
        outcome=ReviewOutcome.EXIT,
        exit_reason=ExitReason.INCOME,
    )
    filed.refresh_from_db()
    assert filed.status == FileStatus.EXITED
    assert filed.exited_on == today
    assert filed.exit_reason == ExitReason.INCOME


def test_an_exit_records_date_and_reason_and_allows_a_new_file(county, workers, filed, clock):
    today = _next_year(clock)
    services.needy_file_exit(
        by=county.t1staff, file=filed, exited_on=today, reason=ExitReason.EMPLOYMENT, note="再就业"
    )
    filed.refresh_from_db()
    assert (filed.status, filed.exited_on, filed.exit_note) == (FileStatus.EXITED, today, "再就业")
    assert open_file(county.t1staff, workers.w1).status == FileStatus.APPLIED


def test_an_exit_before_the_filing_date_is_refused(county, filed):
    with pytest.raises(ValidationError, match="before the filing date"):
        services.needy_file_exit(
            by=county.t1staff,
            file=filed,
            exited_on=filed.filed_on - dt.timedelta(days=1),
            reason=ExitReason.OTHER,
        )
    filed.refresh_from_db()
    assert filed.status == FileStatus.FILED


def test_an_exit_in_the_future_is_refused(county, filed):
    with pytest.raises(ValidationError, match="future"):
        services.needy_file_exit(
            by=county.t1staff,
            file=filed,
            exited_on=filed.filed_on + dt.timedelta(days=30),
            reason=ExitReason.OTHER,
        )


def test_a_file_not_yet_filed_cannot_exit_or_be_reviewed(county, workers):
    file = open_file(county.t1staff, workers.w1)
    with pytest.raises(ValidationError):
        services.needy_file_exit(
            by=county.t1staff, file=file, exited_on=file.created_at.date(), reason="other"
        )
    with pytest.raises(ValidationError):
        services.needy_file_review(
            by=county.t1staff,
            file=file,
            year=2026,
            reviewed_on=file.created_at.date(),
            household_income=Decimal("1"),
            outcome=ReviewOutcome.CONTINUE,
        )
