"""The demo county's cultural and sports activities (文体活动): activities of the county,
the two demo townships and the two demo chairs' unions. Past ones are held, with most
of those signed up checked in; upcoming ones are open for sign-up, some full with a
waiting list, one still a draft.

Written in bulk; every sign-up's worker lies in the activity's audience (a member of
the organising union, or a worker under it), the places taken never exceed the places,
and the waiting list is numbered from one, as the services would have recorded them.
"""

from __future__ import annotations

import datetime

from gonghui.activities.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Audience,
    SignUp,
    SignUpStatus,
)

from .care import BATCH_SIZE

#: (kind, title, place) of the demo's activities (the demo is a Chinese county).
PLANS = (
    (ActivityKind.SPORTS, "职工篮球联赛", "职工体育馆"),
    (ActivityKind.SPORTS, "迎新春拔河比赛", "厂区操场"),
    (ActivityKind.CULTURE, "职工合唱比赛", "文化礼堂"),
    (ActivityKind.CULTURE, "书法摄影作品展", "职工书屋"),
    (ActivityKind.OUTING, "春季健步走", "滨江绿道"),
    (ActivityKind.TRAINING, "急救技能培训", "职工服务中心"),
    (ActivityKind.VOLUNTEERING, "社区志愿服务", "社区服务站"),
    (ActivityKind.MODEL_WORKERS_TO_SCHOOLS, "劳模进校园宣讲", "实验小学"),
)
#: Past and upcoming activities per organiser.
PAST, UPCOMING = 4, 3
#: Workers sampled to find each organiser's audience.
SAMPLE = 4000


def _audiences(world, organisers) -> dict[tuple[int, str], list[int]]:
    """Sampled workers by (organiser, audience): members of its own union, or under it."""
    found: dict[tuple[int, str], list[int]] = {}
    for _draw in range(min(SAMPLE, len(world.person_ids))):
        index = world.person_index()
        union = world.person_orgs[index]
        person = world.person_ids[index]
        for organiser in organisers:
            if organiser in world.chain(union):
                found.setdefault((organiser, Audience.SUBTREE), []).append(person)
            if union == organiser and union != world.person_townships[index]:
                found.setdefault((organiser, Audience.MEMBERS), []).append(person)
    return {key: list(dict.fromkeys(people)) for key, people in found.items()}


def build_activities_life(world, summary) -> None:
    rng = world.rng
    places = world.places
    organisers = [
        places[name].pk for name in ("county", "township1", "township2", "chair1", "chair2")
    ]
    audiences = _audiences(world, organisers)
    now = world.now
    plans: list[tuple[Activity, list[int], str]] = []
    n = 0
    for organiser in organisers:
        grassroots = organiser in (places["chair1"].pk, places["chair2"].pk)
        by = world.level_user(organiser) if organiser != places["county"].pk else world.default_user
        for shape in ["past"] * PAST + ["full", "open", "draft"][:UPCOMING]:
            kind, title, place = PLANS[n % len(PLANS)]
            n += 1
            audience = Audience.MEMBERS if grassroots and n % 2 else Audience.SUBTREE
            if shape == "past":
                starts = world.moment(world.today - datetime.timedelta(days=rng.randint(5, 330)))
            else:
                starts = datetime.datetime.combine(
                    world.today + datetime.timedelta(days=rng.randint(1, 20)),
                    datetime.time(rng.choice((9, 14, 19))),
                    tzinfo=world.tz,
                )
            capacity = rng.choice((10, 20, 30, 50))
            activity = Activity(
                organiser_id=organiser,
                kind=kind,
                title=title,
                description="",
                starts_at=starts,
                ends_at=starts + datetime.timedelta(hours=rng.choice((2, 3, 4))),
                place=place,
                capacity=capacity,
                audience=audience,
                signup_opens_at=starts - datetime.timedelta(days=14),
                signup_closes_at=starts - datetime.timedelta(hours=2),
                status={
                    "past": ActivityStatus.HELD,
                    "draft": ActivityStatus.DRAFT,
                }.get(shape, ActivityStatus.OPEN),
                created_by=by,
            )
            plans.append((activity, audiences.get((organiser, audience), []), shape))
    Activity.objects.bulk_create([a for a, _people, _shape in plans], batch_size=BATCH_SIZE)
    signups = []
    for activity, people, shape in plans:
        if shape == "draft" or not people:
            continue
        wanted = {
            "past": rng.randint(activity.capacity // 2, activity.capacity),
            "full": activity.capacity + rng.randint(2, 6),
            "open": rng.randint(1, activity.capacity // 2),
        }[shape]
        chosen = rng.sample(people, min(wanted, len(people)))
        taken = 0
        turn = 0
        for i, person in enumerate(chosen):
            at = activity.signup_opens_at + datetime.timedelta(minutes=17 * (i + 1))
            status, position, checked_in = SignUpStatus.SIGNED_UP, None, None
            if taken >= activity.capacity:
                turn += 1
                status, position = SignUpStatus.WAITING, turn
            else:
                taken += 1
                if shape == "past" and rng.random() < 0.85:
                    status = SignUpStatus.ATTENDED
                    checked_in = activity.starts_at - datetime.timedelta(minutes=rng.randint(0, 40))
            signups.append(
                SignUp(
                    activity=activity,
                    person_id=person,
                    status=status,
                    waiting_position=position,
                    signed_up_at=min(at, now),
                    checked_in_at=checked_in,
                )
            )
        activity.signed_up_count = taken
    Activity.objects.bulk_update(
        [a for a, _people, _shape in plans], ["signed_up_count"], batch_size=BATCH_SIZE
    )
    SignUp.objects.bulk_create(signups, batch_size=BATCH_SIZE)
    summary.activities = len(plans)
    summary.activity_signups = len(signups)
