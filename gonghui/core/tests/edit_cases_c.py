"""Edit pages of the newer apps for ``test_edit_forms_show_record``: each builder
returns an ``EditCase`` (a record, the persona who edits it, one field and its new
value), as the builders in that module do."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from gonghui.core.tests.edit_case import EditCase
from gonghui.honours import services as honours_services
from gonghui.honours.models import CareKind, Frequency, HolderKind, Title, TitleLevel
from gonghui.offers import services as offers_services
from gonghui.people import services as people_services
from gonghui.people.tests.conftest import valid_id
from gonghui.stations import services as stations_services
from gonghui.studios import services as studios_services


def _member_of_g1(county, seq: int, name: str):
    """A worker of E1, a member of G1 (chair1's union)."""
    person = people_services.person_create(
        by=county.superuser, name=name, id_number=valid_id(seq), employer=county.e1
    )
    people_services.membership_start(
        by=county.superuser, person=person, union=county.g1, joined_on=date(2020, 1, 1)
    )
    person.refresh_from_db()
    return person


def _story(request, county) -> EditCase:
    worker = _member_of_g1(county, 701, "劳模甲")
    honours_services.holding_record(
        by=county.admin,
        title=Title.objects.get(name="县劳动模范"),
        year=2024,
        conferred_on=date(2024, 4, 30),
        person=worker,
    )
    story = honours_services.story_save(
        by=county.chair1, person=worker, headline="扎根一线", text="二十年如一日"
    )
    return EditCase(story, county.chair1, "headline", "技术革新带头人")


def _studio(request, county) -> EditCase:
    studio = studios_services.studio_create(
        by=county.admin,
        name="数控创新工作室",
        leader=_member_of_g1(county, 702, "劳模乙"),
        employer=county.e1,
        level="municipal",
        founded_on=date(2020, 1, 1),
        description="工艺攻关",
    )
    return EditCase(studio, county.chair1, "description", "工艺攻关与带徒")


def _achievement(request, county) -> EditCase:
    leader = _member_of_g1(county, 703, "劳模丙")
    studio = studios_services.studio_create(
        by=county.admin,
        name="焊接创新工作室",
        leader=leader,
        employer=county.e1,
        level="county",
        founded_on=date(2020, 1, 1),
    )
    achievement = studios_services.achievement_create(
        by=county.admin,
        studio=studio,
        kind="technical",
        title="焊缝自动跟踪",
        year=2024,
        benefit=Decimal("12000.00"),
        description="减少返工",
        credited=[leader],
    )
    return EditCase(achievement, county.chair1, "title", "焊缝自动跟踪改进")


def _station(request, county) -> EditCase:
    station = stations_services.station_create(
        by=county.admin,
        organisation=county.g1,
        name="机械厂户外劳动者驿站",
        address="工业路8号",
        township=county.t1,
        latitude=Decimal("30.210000"),
        longitude=Decimal("120.110000"),
        opening_hours="每天 7:00–21:00",
        water=True,
        active=True,
    )
    return EditCase(station, county.chair1, "address", "工业路10号")


def _offer(request, county) -> EditCase:
    offer = offers_services.offer_create(
        by=county.admin,
        union=county.t1,
        merchant_name="便民理发店",
        merchant_address="中心街8号",
        merchant_phone="0571-00000000",
        title="理发八折",
        description="",
        price="八折",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
        quantity=100,
        per_member_limit=2,
    )
    return EditCase(offer, county.t1staff, "price", "七五折")


CASES: dict[str, Callable[..., EditCase]] = {
    "honours:story-update": _story,
    "studios:update": _studio,
    "studios:achievement-update": _achievement,
    "stations:update": _station,
    "offers:update": _offer,
}


# Titles and care rules are the county's own vocabulary, so their edit pages name the
# record by ``?pk=`` in the query string, not in the path: the edit-page fixture's
# ``reverse(name, args=[pk])`` cannot address them. These builders are ready for when
# it can (``reverse(name) + f"?pk={pk}"``).


def _title(request, county) -> EditCase:
    title = honours_services.title_save(
        by=county.admin,
        name="县技术能手",
        level=TitleLevel.COUNTY,
        holder_kind=HolderKind.PERSON,
    )
    return EditCase(title, county.admin, "name", "县技术标兵")


def _rule(request, county) -> EditCase:
    rule = honours_services.care_rule_save(
        by=county.admin,
        title=Title.objects.get(name="县劳动模范"),
        kind=CareKind.ALLOWANCE,
        frequency=Frequency.MONTHLY,
        amount=Decimal("500.00"),
    )
    return EditCase(rule, county.admin, "amount", "600.00")


BY_QUERY: dict[str, Callable[..., EditCase]] = {
    "honours:title-update": _title,
    "honours:rule-update": _rule,
}
