"""Edit pages of the newer apps for ``test_edit_forms_show_record``: each builder
returns an ``EditCase`` (a record, the persona who edits it, one field and its new
value), as the builders in that module do."""

from __future__ import annotations

from datetime import date

from gonghui.congress import services as congress_services
from gonghui.congress.models import DisclosureTopic
from gonghui.congress.tests.conftest import roll
from gonghui.core.tests.edit_case import EditCase
from gonghui.library import services as library_services

HELD = date(2025, 3, 20)


def _session(request, county) -> EditCase:
    session = congress_services.session_create(
        by=county.admin,
        employer=county.e1,
        term=1,
        number=1,
        held_on=HELD,
        place="礼堂",
        note="职工代表九人到会",
    )
    return EditCase(session, county.chair1, "place", "二楼会议室")


def _delegate(request, county) -> EditCase:
    # The first delegate of E1's roll is linked to worker p1: saving the page with
    # the ID number left empty must keep that link. A linked delegate's name is the
    # worker's, so the term is what changes.
    delegate = roll(county, request.getfixturevalue("people"), 1, frontline=True, woman=True)[0]
    return EditCase(delegate, county.chair1, "term", "2")


def _disclosure(request, county) -> EditCase:
    disclosure = congress_services.disclosure_create(
        by=county.admin,
        employer=county.e1,
        topic=DisclosureTopic.WAGES,
        period="2025年第一季度",
        text="一季度人均工资增长百分之五",
        disclosed_on=HELD,
    )
    return EditCase(disclosure, county.chair1, "period", "2025年第二季度")


def _resolution(request, county) -> EditCase:
    delegates = roll(county, request.getfixturevalue("people"), 3, frontline=True)
    session = congress_services.session_create(
        by=county.admin, employer=county.e1, term=1, number=1, held_on=HELD
    )
    congress_services.attendance_set(by=county.admin, session=session, present=delegates)
    resolution = congress_services.resolution_create(
        by=county.admin,
        session=session,
        title="关于职工福利的决议",
        text="增设职工休息室",
        votes_for=2,
        votes_against=0,
        votes_abstain=0,
    )
    return EditCase(resolution, county.chair1, "votes_against", "1")


def _room(request, county) -> EditCase:
    room = library_services.room_create(
        by=county.chair1,
        organisation=county.g1,
        name="机械厂职工书屋",
        location="厂区二楼",
        opening_hours="工作日12:00–13:30",
        keeper=county.chair1,
    )
    return EditCase(room, county.chair1, "location", "厂区三楼")


def _book(request, county) -> EditCase:
    room = library_services.room_create(
        by=county.chair1, organisation=county.g1, name="机械厂职工书屋", location="厂区二楼"
    )
    book = library_services.book_create(
        by=county.chair1,
        room=room,
        title="红楼梦",
        author="曹雪芹",
        publisher="人民文学出版社",
        isbn="9787020002207",
        copies=2,
    )
    return EditCase(book, county.chair1, "copies", "3")


CASES: dict = {
    "congress:session-update": _session,
    "congress:delegate-update": _delegate,
    "congress:disclosure-update": _disclosure,
    "congress:resolution-update": _resolution,
    "library:room-update": _room,
    "library:book-update": _book,
}
