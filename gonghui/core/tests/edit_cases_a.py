"""Edit pages of the newer apps for ``test_edit_forms_show_record``: each builder
returns an ``EditCase`` (a record, the persona who edits it, one field and its new
value), as the builders in that module do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from gonghui.activities import services as activities_services
from gonghui.competitions.tests.helpers import competition as make_competition
from gonghui.contracts import services as contracts_services
from gonghui.core.tests.edit_case import EditCase
from gonghui.skills import services as skills_services
from gonghui.study import services as study_services


def _activity(request, county) -> EditCase:
    # On the minute, as the page enters times.
    now = timezone.now().replace(second=0, microsecond=0)
    activity = activities_services.activity_create(
        by=county.chair1,
        organiser=county.g1,
        kind="sports",
        title="羽毛球赛",
        description="两人一组",
        starts_at=now + timedelta(days=3),
        ends_at=now + timedelta(days=3, hours=3),
        place="职工活动中心",
        capacity=20,
        audience="subtree",
        signup_opens_at=now - timedelta(days=1),
        signup_closes_at=now + timedelta(days=2),
    )
    return EditCase(activity, county.chair1, "place", "厂区操场")


def _competition(request, county) -> EditCase:
    # A draft: its events and rules may still change.
    made = make_competition(county, status="draft")
    return EditCase(made, county.admin, "trade", "钳工")


def _competition_event(request, county) -> EditCase:
    made = make_competition(county, status="draft")
    event = made.events.get(kind="practical")
    return EditCase(event, county.admin, "name", "实际操作")


def _contract(request, county) -> EditCase:
    contract = contracts_services.contract_create(
        by=county.chair1,
        title="集体合同",
        kind="comprehensive",
        reach="employer",
        employer=county.e1,
        signed_on=date(2025, 12, 20),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        wage_increase=Decimal("5.50"),
        minimum_wage=Decimal("2490.00"),
    )
    return EditCase(contract, county.chair1, "title", "工资专项集体合同")


def _skill_record(request, county) -> EditCase:
    record = skills_services.skill_record_add(
        by=county.chair1,
        person=request.getfixturevalue("people").p1,
        level="3",
        trade="电工",
        certified_on=date(2023, 6, 1),
        certificate_number="S-2023 0001",
    )
    return EditCase(record, county.chair1, "certificate_number", "S-2023 0002")


def _article(request, county) -> EditCase:
    article = study_services.article_create(
        by=county.t1staff,
        organisation=county.t1,
        category="law",
        title="劳动法学习",
        summary="劳动合同要点",
        body="<p>第一章</p>",
    )
    return EditCase(article, county.t1staff, "title", "劳动合同法学习")


CASES: dict[str, Callable[..., EditCase]] = {
    "activities:update": _activity,
    "competitions:update": _competition,
    "competitions:event-update": _competition_event,
    "contracts:update": _contract,
    "skills:update": _skill_record,
    "study:update": _article,
}
