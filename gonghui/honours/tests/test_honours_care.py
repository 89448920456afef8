"""Care for model workers: what is owed and overdue appears on the care list and the
to-do of the responsible union, and clears when the care is recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.honours import care, services
from gonghui.honours.models import CareKind, ConditionKind, Frequency
from gonghui.honours.todo import honours_todo

from .conftest import TZ

pytestmark = pytest.mark.django_db


def overdue_item(user):
    """The item honours adds to the staff home page's to-do list (core.todo)."""
    return next(
        (i for i in honours_todo(user) if str(i.label) == "Model workers with care overdue"), None
    )


@pytest.fixture
def holder(county, world):
    services.holding_record(
        by=county.admin,
        title=world.county_title,
        year=2025,
        conferred_on=dt.date(2025, 4, 30),
        person=world.w1,
    )
    return world.w1


def test_a_missed_health_check_is_overdue_for_the_union_and_clears_when_recorded(
    county, world, holder, clock, client_for
):
    rule = services.care_rule_save(
        by=county.admin,
        title=world.county_title,
        kind=CareKind.HEALTH_CHECK,
        frequency=Frequency.YEARLY,
    )
    # During 2025 the check is owed, not yet late.
    clock.move_to(dt.datetime(2025, 12, 30, 9, tzinfo=TZ))
    assert care.overdue_person_ids([holder.pk], dt.date(2025, 12, 30)) == []
    assert overdue_item(county.chair1).count == 0
    clock.move_to(dt.datetime(2026, 1, 5, 9, tzinfo=TZ))
    assert overdue_item(county.chair1).count == 1
    assert overdue_item(county.t1staff).count == 1
    assert overdue_item(county.chair2).count == 0  # not their member
    page = client_for(county.chair1).get(reverse("honours:care-list") + "?overdue=on")
    assert "劳模甲" in page.content.decode()

    services.care_record(
        by=county.chair1,
        person=holder,
        rule=rule,
        period_start=dt.date(2025, 1, 1),
        given_on=dt.date(2026, 1, 5),
        what="县医院体检",
    )
    assert overdue_item(county.chair1).count == 0
    with pytest.raises(ValidationError, match="already recorded"):
        services.care_record(
            by=county.chair1,
            person=holder,
            rule=rule,
            period_start=dt.date(2025, 1, 1),
            given_on=dt.date(2026, 1, 5),
        )


def test_the_allowance_is_owed_only_while_in_difficulty(county, world, holder, clock):
    rule = services.care_rule_save(
        by=county.admin,
        title=world.county_title,
        kind=CareKind.ALLOWANCE,
        frequency=Frequency.MONTHLY,
        amount=Decimal("500"),
    )
    today = dt.date(2026, 3, 2)
    assert care.care_due([holder.pk], today) == {}
    services.condition_record(
        by=county.t1staff, person=holder, kind=ConditionKind.DIFFICULTY, since=dt.date(2026, 1, 10)
    )
    due = care.care_due([holder.pk], today)[holder.pk]
    assert [(d.period_start, d.overdue) for d in due] == [
        (dt.date(2026, 1, 1), True),
        (dt.date(2026, 2, 1), True),
        (dt.date(2026, 3, 1), False),
    ]
    with pytest.raises(ValidationError, match="amount"):
        services.care_record(
            by=county.t1staff,
            person=holder,
            rule=rule,
            period_start=dt.date(2026, 1, 1),
            given_on=today,
        )


def test_an_illness_is_withheld_from_a_chair(county, world, holder, clock, client_for):
    services.care_rule_save(
        by=county.admin,
        title=world.county_title,
        kind=CareKind.ILLNESS_VISIT,
        frequency=Frequency.ON_EVENT,
    )
    services.condition_record(
        by=county.t1staff, person=holder, kind=ConditionKind.ILL, since=dt.date(2026, 2, 2)
    )
    url = reverse("honours:care-person", args=[holder.pk])
    staff_page = client_for(county.t1staff).get(url).content.decode()
    assert "Visit when ill" in staff_page and "Ill ·" in staff_page
    chair_page = client_for(county.chair1).get(url).content.decode()
    assert "Visit when ill" not in chair_page and "Ill ·" not in chair_page
    assert "health detail withheld" in chair_page
    assert overdue_item(county.chair1).count == 1  # 10 working days passed


@pytest.mark.django_db
@pytest.mark.parametrize("route", ["honours:title-update", "honours:rule-update"])
@pytest.mark.parametrize("pk", ["", "abc", "999999"])
def test_an_edit_page_named_by_a_bad_or_unknown_pk_is_not_found(county, client_for, route, pk):
    assert client_for(county.admin).get(f"{reverse(route)}?pk={pk}").status_code == 404
