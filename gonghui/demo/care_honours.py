"""The demo county's titles and care for model workers: titles held by a few hundred
of its workers in proportion to the scale (mostly county titles, fewer of the city,
the province and the nation), a few held by employers and their teams, care rules
for the model workers' titles with most care given and some overdue, a few
model workers in difficulty or ill, published stories and activities; and the
selection under way: a nomination on public notice now (so ``/notice/`` shows one),
another on notice with an objection waiting for an answer, and one waiting for the
township's review.

Written in bulk. The titles held before this system are recorded from the archive
(``Source.RECORDED`` with the document's number); the values keep the rules the
services keep (one holder of the title's kind, a title once per holder and year, one
open nomination per holder, title and year, each nomination's steps in order, a
notice counted in working days by ``core.publicnotice``). Care given is drawn from
what ``honours.care`` computes as owed, so the overdue list is what the rules say.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gonghui.core import publicnotice
from gonghui.core.scope import subtree_q
from gonghui.honours import care
from gonghui.honours.models import (
    Activity,
    ActivityKind,
    CareGiven,
    CareKind,
    CareRule,
    ConditionKind,
    Frequency,
    HolderCondition,
    HolderKind,
    Nomination,
    NominationObjection,
    NominationStatus,
    NominationStep,
    Source,
    StepAction,
    Story,
    Title,
    TitleHolding,
)
from gonghui.honours.services import notice_days, review_chain
from gonghui.orgs.models import Employer, Organisation

from .care import BATCH_SIZE

#: One worker in this many holds a title, within these bounds.
WORKERS_PER_HOLDER = 200
MIN_HOLDERS, MAX_HOLDERS = 10, 600
#: The person titles by weight: mostly the county's own.
PERSON_TITLES = (
    ("县劳动模范", 40),
    ("先进个人", 15),
    ("县级工匠", 12),
    ("市劳动模范", 12),
    ("市级工匠", 6),
    ("省劳动模范", 6),
    ("省级工匠", 4),
    ("全国五一劳动奖章", 3),
    ("全国劳动模范", 2),
)
#: (title, kind, frequency, amount): what the model workers' titles owe.
CARE_RULES = (
    ("全国劳动模范", CareKind.ALLOWANCE, Frequency.MONTHLY, Decimal("800")),
    ("全国劳动模范", CareKind.HEALTH_CHECK, Frequency.YEARLY, None),
    ("全国劳动模范", CareKind.FESTIVAL_VISIT, Frequency.FESTIVAL, None),
    ("省劳动模范", CareKind.ALLOWANCE, Frequency.MONTHLY, Decimal("500")),
    ("省劳动模范", CareKind.HEALTH_CHECK, Frequency.YEARLY, None),
    ("省劳动模范", CareKind.FESTIVAL_VISIT, Frequency.FESTIVAL, None),
    ("市劳动模范", CareKind.ALLOWANCE, Frequency.MONTHLY, Decimal("300")),
    ("市劳动模范", CareKind.FESTIVAL_VISIT, Frequency.FESTIVAL, None),
    ("县劳动模范", CareKind.ALLOWANCE, Frequency.MONTHLY, Decimal("200")),
    ("县劳动模范", CareKind.FESTIVAL_VISIT, Frequency.FESTIVAL, None),
    ("县劳动模范", CareKind.ILLNESS_VISIT, Frequency.ON_EVENT, None),
)
#: About this share of the care owed is left overdue.
OVERDUE_SHARE = 0.12
TEAMS = ("机加工班组", "质检班组", "维修班组", "装配班组")
PLACES = ("县第一中学", "县职业技术学校", "县实验小学", "县工人文化宫")


def _document(rng, year: int, level: str) -> str:
    prefix = {"county": "县", "municipal": "市", "provincial": "省", "national": "全总"}[level]
    return f"{prefix}工发〔{year}〕{rng.randint(1, 60)}号"


def build_honours(world, summary) -> None:
    rng = world.rng
    today = world.today
    staff = world.default_user
    titles = {t.name: t for t in Title.objects.all()}
    weights = [(titles[name], weight) for name, weight in PERSON_TITLES if name in titles]
    if not weights or not world.person_ids:
        return
    count = len(world.person_ids)
    holders_wanted = max(MIN_HOLDERS, min(MAX_HOLDERS, count // WORKERS_PER_HOLDER))
    indexes = rng.sample(range(count), k=min(holders_wanted, count))
    holdings = []
    for index in indexes:
        person_id = world.person_ids[index]
        title = rng.choices([t for t, _w in weights], [w for _t, w in weights])[0]
        year = rng.randint(world.year - 15, world.year - 1)
        holdings.append(
            TitleHolding(
                title=title,
                year=year,
                conferred_on=datetime.date(year, 4, rng.randint(20, 30)),
                source=Source.RECORDED,
                document_number=_document(rng, year, title.level),
                holder_kind=HolderKind.PERSON,
                person_id=person_id,
                created_by=staff,
            )
        )
    # A few employers and teams hold the county's collective titles.
    employers = list(
        Employer.objects.filter(subtree_q(world.root.path, "township"))
        .order_by("-employee_count", "pk")
        .values_list("pk", flat=True)[:12]
    )
    for position, employer_id in enumerate(employers):
        year = rng.randint(world.year - 5, world.year - 1)
        team = position % 2 == 0 and "县工人先锋号" in titles
        title = titles["县工人先锋号"] if team else titles.get("先进集体")
        if title is None:
            continue
        holdings.append(
            TitleHolding(
                title=title,
                year=year,
                conferred_on=datetime.date(year, 4, 28),
                source=Source.RECORDED,
                document_number=_document(rng, year, title.level),
                holder_kind=title.holder_kind,
                employer_id=employer_id,
                team_name=rng.choice(TEAMS) if team else "",
                created_by=staff,
            )
        )
    TitleHolding.objects.bulk_create(holdings, batch_size=BATCH_SIZE)
    held = [h.person_id for h in holdings if h.person_id]
    summary.honour_holders = len(held)

    rules = []
    for name, kind, frequency, amount in CARE_RULES:
        if name in titles and not CareRule.objects.filter(title=titles[name], kind=kind).exists():
            rules.append(
                CareRule(title=titles[name], kind=kind, frequency=frequency, amount=amount)
            )
    CareRule.objects.bulk_create(rules)

    # Some model workers fell on hard times, a few are ill (dated flags).
    conditions = []
    for person_id in rng.sample(held, k=max(2, len(held) // 15)):
        since = today - datetime.timedelta(days=rng.randint(60, 500))
        conditions.append(
            HolderCondition(
                person_id=person_id, kind=ConditionKind.DIFFICULTY, since=since, recorded_by=staff
            )
        )
    for person_id in rng.sample(held, k=max(1, len(held) // 40)):
        since = today - datetime.timedelta(days=rng.randint(5, 200))
        conditions.append(
            HolderCondition(
                person_id=person_id, kind=ConditionKind.ILL, since=since, recorded_by=staff
            )
        )
    HolderCondition.objects.bulk_create(conditions)

    # What the rules say is owed: most of it was given; some is left overdue.
    given = []
    for person_id, items in care.care_due(held, today).items():
        for item in items:
            if not item.overdue or rng.random() < OVERDUE_SHARE:
                continue
            given_on = world.day_between(item.period_start, min(item.due_on, today))
            given.append(
                CareGiven(
                    person_id=person_id,
                    rule=item.rule,
                    period_start=item.period_start,
                    given_on=given_on,
                    amount=item.rule.amount if item.rule.kind == CareKind.ALLOWANCE else None,
                    what=item.rule.get_kind_display(),
                    by=staff,
                    recorded_at=world.moment(given_on),
                )
            )
    CareGiven.objects.bulk_create(given, batch_size=BATCH_SIZE)
    summary.care_given = len(given)
    summary.care_overdue_holders = len(care.overdue_person_ids(held, today))

    stories = [
        Story(
            person_id=person_id,
            headline=headline,
            text=_(
                "Twenty years on the shop floor: the improvements of a model worker, "
                "and the young workers trained along the way."
            ),
            published_on=today - datetime.timedelta(days=rng.randint(3, 300)),
            created_by=staff,
        )
        for person_id, headline in zip(
            rng.sample(held, k=min(5, len(held))),
            ("扎根一线二十年", "把小改小革做成大文章", "一把焊枪的坚守", "带出一支好班组", "匠心"),
            strict=False,
        )
    ]
    Story.objects.bulk_create(stories)
    summary.honour_stories = len(stories)

    activities = []
    people_of = []
    for _n in range(min(8, max(3, len(held) // 30))):
        kind = rng.choice([ActivityKind.SCHOOL, ActivityKind.ENTERPRISE, ActivityKind.LECTURE])
        activities.append(
            Activity(
                organisation=world.root,
                kind=kind,
                place=rng.choice(PLACES),
                held_on=today - datetime.timedelta(days=rng.randint(5, 360)),
                note=_("Model workers told of their work and answered questions."),
                created_by=staff,
            )
        )
        people_of.append(rng.sample(held, k=min(len(held), rng.randint(1, 3))))
    activities = Activity.objects.bulk_create(activities)
    Activity.people.through.objects.bulk_create(
        [
            Activity.people.through(activity_id=activity.pk, person_id=person_id)
            for activity, people in zip(activities, people_of, strict=True)
            for person_id in people
        ]
    )
    summary.honour_activities = len(activities)

    _nominations(world, summary, titles.get("县劳动模范"), set(held))


def _nominations(world, summary, title, held: set[int]) -> None:
    """Two nominations by a chair's union on public notice now (one with an objection
    waiting for an answer) and one waiting for the township's review."""
    union = world.places.get("chair1")
    if title is None or union is None:
        return
    members = [
        world.person_ids[i]
        for i in range(len(world.person_ids))
        if world.person_orgs[i] == union.pk and world.person_ids[i] not in held
    ]
    if len(members) < 3:
        return
    chain = review_chain(Organisation.objects.get(pk=union.pk))
    chair = world.users["chair1"]
    deeds = (
        _("Led the workshop's technical renovation; trained a dozen apprentices."),
        _("Kept the line running through the winter repairs; proposed five improvements."),
        _("Volunteer in the community for ten years; a safe record for the whole team."),
    )
    nominees = world.rng.sample(members, k=3)
    on_notice = []
    steps = []
    for position, (person_id, summary_of_deeds) in enumerate(zip(nominees, deeds, strict=True)):
        nomination = Nomination(
            title=title,
            year=world.year,
            organisation_id=union.pk,
            holder_kind=HolderKind.PERSON,
            person_id=person_id,
            reasons=_("Outstanding work over many years, recommended by the members."),
            deeds=summary_of_deeds,
            created_by=chair,
        )
        if position < 2:
            starts = world.today - datetime.timedelta(days=position)
            publicnotice.notice_start(
                nomination, starts_on=starts, days=notice_days(), today=starts
            )
            nomination.status, nomination.awaiting = NominationStatus.NOTICE, None
            on_notice.append(nomination)
        else:
            nomination.status, nomination.awaiting = NominationStatus.REVIEW, chain[0]
        nomination.save()
        at = world.moment(world.today - datetime.timedelta(days=20))
        steps.append(
            NominationStep(
                nomination=nomination,
                action=StepAction.NOMINATE,
                organisation_id=union.pk,
                by=chair,
                at=at,
            )
        )
        if position < 2:
            for day, level in enumerate(chain, start=1):
                steps.append(
                    NominationStep(
                        nomination=nomination,
                        action=StepAction.APPROVE,
                        organisation=level,
                        by=world.level_user(level.pk),
                        at=at + datetime.timedelta(days=day),
                    )
                )
            steps.append(
                NominationStep(
                    nomination=nomination,
                    action=StepAction.NOTICE_START,
                    by=world.default_user,
                    at=world.moment(nomination.notice_starts_on),
                )
            )
    NominationStep.objects.bulk_create(steps)
    objected = on_notice[-1]
    objection = NominationObjection.objects.create(
        nomination=objected,
        received_on=objected.notice_starts_on,
        content=_("The nominee's workshop had an accident last year that was not reported."),
        created_at=world.moment(objected.notice_starts_on),
    )
    NominationStep.objects.create(
        nomination=objected,
        action=StepAction.OBJECTION,
        comment=objection.content,
        at=objection.created_at,
    )
    summary.honour_nominations = len(nominees)
