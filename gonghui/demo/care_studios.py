"""The demo county's innovation studios and mentoring: a share of the larger employers
(100 employees or more; in a small county, its largest few) have a studio led by one
of their workers, with a few members, achievements of every kind over recent years
(about half published to the showcase, every patent with a number of the right
shape), and mentoring pairs inside the studios, the older ones completed with an
evaluation and the skill level reached.

Written in bulk; the values keep the rules the services keep (a patent has its number,
benefits are not negative, a mentor is not their own apprentice, an agreement ends
after it starts, a pair is completed only after its end and evaluated once).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from gonghui.core.labels import bracketed
from gonghui.core.scope import subtree_q
from gonghui.orgs.models import Employer
from gonghui.people.models import Person
from gonghui.studios.levels import skill_levels
from gonghui.studios.models import (
    Achievement,
    AchievementKind,
    MentoringPair,
    MentoringStatus,
    Studio,
    StudioLevel,
    StudioMember,
)

from .care import BATCH_SIZE

#: Employers at least this large may have a studio; about this share of them do.
LARGE_EMPLOYER = 100
STUDIO_SHARE = 0.3
MAX_STUDIOS = 60
TRADES = ("钳工", "车工", "焊工", "电工", "数控铣工", "化学检验员", "汽车维修工", "茶叶加工工")
TOPICS = ("夹具改进", "工艺优化", "节能改造", "检测装置", "自动上料", "刀具寿命提升")


def _patent_number(rng, year: int) -> str:
    return f"ZL{year}{rng.choice('12')}{rng.randint(0, 9_999_999):07d}.{rng.choice('0123456789X')}"


def build_studios(world, summary) -> None:
    rng = world.rng
    creator = world.users.get("admin") or world.default_user
    # The larger employers first: a studio grows where there are workers to join it.
    employers = list(
        Employer.objects.filter(subtree_q(world.root.path, "township"))
        .order_by("-employee_count", "pk")
        .values_list("pk", "union_id", "township_id", "name", "employee_count")[: 4 * MAX_STUDIOS]
    )
    workers: dict[int, list[int]] = {}
    for person_id, employer_id in (
        Person.objects.filter(employer_id__in=[e[0] for e in employers])
        .order_by("employer_id", "pk")
        .values_list("pk", "employer_id")
    ):
        bucket = workers.setdefault(employer_id, [])
        if len(bucket) < 12:
            bucket.append(person_id)
    staffed = [e for e in employers if len(workers.get(e[0], ())) >= 4]
    large = [e[:4] for e in staffed if e[4] >= LARGE_EMPLOYER and rng.random() < STUDIO_SHARE]
    # A small demo county still shows a few studios: its largest employers have them.
    chosen = (large or [e[:4] for e in staffed[:3]])[:MAX_STUDIOS]
    if not chosen:
        return
    levels = (
        [StudioLevel.COUNTY] * 5
        + [StudioLevel.MUNICIPAL] * 3
        + [
            StudioLevel.PROVINCIAL,
            StudioLevel.NATIONAL,
        ]
    )
    studios = []
    for employer_id, _union, _township, name in chosen:
        people = workers[employer_id]
        studios.append(
            Studio(
                name=_("%(name)s model worker innovation studio") % {"name": name[:150]},
                leader_id=people[0],
                employer_id=employer_id,
                level=rng.choice(levels),
                founded_on=world.today - datetime.timedelta(days=rng.randint(400, 3000)),
                description=_("Workshop improvements and the training of young workers."),
                created_by=creator,
            )
        )
    studios = Studio.objects.bulk_create(studios, batch_size=BATCH_SIZE)
    members, achievements, pairs = [], [], []
    credits = []
    level_values = [c[0] for c in (skill_levels().choices if skill_levels() else [])]
    for studio, (employer_id, union_id, township_id, _name) in zip(studios, chosen, strict=True):
        people = workers[employer_id]
        crew = people[: rng.randint(4, min(8, len(people)))]
        for index, person_id in enumerate(crew):
            joined = studio.founded_on + datetime.timedelta(
                days=0 if index == 0 else rng.randint(1, 300)
            )
            members.append(StudioMember(studio=studio, person_id=person_id, joined_on=joined))
        for _n in range(rng.randint(2, 6)):
            kind = rng.choice(AchievementKind.values)
            year = rng.randint(max(studio.founded_on.year, world.year - 5), world.year)
            topic = rng.choice(TOPICS)
            achievement = Achievement(
                studio=studio,
                kind=kind,
                patent_number=_patent_number(rng, year) if kind == AchievementKind.PATENT else "",
                title=bracketed(topic, year),
                description=_("Claimed by the studio; checked by the employer's union."),
                year=year,
                benefit=Decimal(rng.randint(0, 200) * 1000),
                published=rng.random() < 0.5,
                created_by=creator,
            )
            achievements.append(achievement)
            credits.append((achievement, rng.sample(crew, k=min(2, len(crew)))))
        mentor = crew[0]
        union = union_id or township_id
        for index, apprentice in enumerate(crew[1 : 1 + rng.randint(1, 3)]):
            if index == 0:
                # Each studio's first pair is over: every studio shows an evaluation.
                starts = world.today - datetime.timedelta(days=rng.randint(400, 1100))
                ends = starts + datetime.timedelta(days=365)
            else:
                starts = world.today - datetime.timedelta(days=rng.randint(60, 1100))
                ends = starts + datetime.timedelta(days=rng.choice((365, 730)))
            pair = MentoringPair(
                mentor_id=mentor,
                apprentice_id=apprentice,
                trade=rng.choice(TRADES),
                studio=studio,
                union_id=union,
                starts_on=starts,
                ends_on=ends,
                goals=_("Reach the next vocational skill level within the agreement."),
                created_by=creator,
            )
            if ends < world.today:
                early = index > 0 and rng.random() < 0.3
                pair.status = MentoringStatus.ENDED_EARLY if early else MentoringStatus.COMPLETED
                pair.evaluated_on = (starts + (ends - starts) / 2) if early else ends
                pair.evaluated_by = creator
                pair.result = (
                    _("Ended early: the apprentice changed post.")
                    if early
                    else _("Goals met; the apprentice works independently.")
                )
                if level_values and not early:
                    pair.level_reached = rng.choice(level_values[:4])
            pairs.append(pair)
    StudioMember.objects.bulk_create(members, batch_size=BATCH_SIZE)
    Achievement.objects.bulk_create(achievements, batch_size=BATCH_SIZE)
    through = Achievement.credited.through
    through.objects.bulk_create(
        [
            through(achievement_id=a.pk, person_id=person_id)
            for a, people in credits
            for person_id in people
        ],
        batch_size=BATCH_SIZE,
    )
    MentoringPair.objects.bulk_create(pairs, batch_size=BATCH_SIZE)
    summary.studios = len(studios)
    summary.studio_achievements = len(achievements)
    summary.studio_achievements_published = sum(1 for a in achievements if a.published)
    summary.mentoring_pairs = len(pairs)
    summary.mentoring_completed = sum(1 for p in pairs if p.status == MentoringStatus.COMPLETED)
