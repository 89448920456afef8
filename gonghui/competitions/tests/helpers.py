"""A competition organised by the county for the tests: events, a worker of G1's
employer, judges."""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count

from django.utils import timezone

from gonghui.accounts.models import Role
from gonghui.competitions import services
from gonghui.conftest import make_user
from gonghui.core.idnumbers import complete_id_number
from gonghui.people import services as people

_numbers = count(1)


def worker(county, name="参赛甲", *, born=date(1990, 5, 1), employer=None, member=True, job=""):
    n = next(_numbers)
    person = people.person_create(
        by=county.admin,
        name=name,
        id_number=complete_id_number(f"330106{born:%Y%m%d}{n % 1000:03d}"),
        phone=f"139{n:08d}",
        employer=employer or county.e1,
        job_title=job,
    )
    if member:
        union = (employer or county.e1).union
        people.membership_start(
            by=county.admin, person=person, union=union, joined_on=date(2020, 1, 1)
        )
        person.refresh_from_db()
    return person


def competition(county, *, by=None, organiser=None, status="open", **fields):
    """A competition with a theory (40%) and a practical (60%) event, moved on to
    ``status`` (draft, open, closed)."""
    by = by or county.admin
    today = timezone.localdate()
    data = dict(
        name="数控车工技能竞赛",
        trade="数控车工",
        level="county",
        organiser=organiser or county.root,
        starts_on=today + timedelta(days=10),
        ends_on=today + timedelta(days=11),
        registration_opens_on=today - timedelta(days=1),
        registration_closes_on=today + timedelta(days=5),
        min_age=None,
        max_age=None,
        eligible_trade="",
        members_only=True,
        tie_rule="practical",
        award_basis="count",
        first_awards=1,
        second_awards=1,
        third_awards=1,
        excellence_awards=0,
    )
    data.update(fields)
    made = services.competition_create(by=by, **data)
    services.event_add(
        by=by, competition=made, name="理论", kind="theory", min_score=0, max_score=100, weight=40
    )
    services.event_add(
        by=by,
        competition=made,
        name="实操",
        kind="practical",
        min_score=0,
        max_score=100,
        weight=60,
    )
    for _step in ("open", "closed")[: ("draft", "open", "closed").index(status)]:
        made = services.competition_advance(by=by, competition=made)
    return made


def judges(county, competition, n=2, *, by=None):
    made = []
    for i in range(n):
        judge = make_user(f"judge_{competition.pk}_{i}", county.root, Role.JUDGE)
        services.judge_assign(by=by or county.admin, competition=competition, judge=judge)
        made.append(judge)
    return made
