"""The demo county's outreach, spring jobs and counselling.

夏送清凉 deliveries with their goods lines, 冬送温暖 and festival visits (most
linked to a needy worker's file), micro-wishes in every state with their
steps; job postings, fairs and applications with outcomes (never more hired
than a posting's headcount); counsellors' slots over the past weeks and the
next ones, with bookings that were attended, missed or cancelled, and a few
session notes (encrypted as ``counselling.services`` writes them).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from faker.providers.person.zh_CN import Provider as NameProvider

from gonghui.core.crypto import encrypt
from gonghui.counselling.models import (
    NOTE_CONTEXT,
    Booking,
    BookingChannel,
    BookingStatus,
    CounsellingSlot,
    SessionNote,
    SlotMode,
)
from gonghui.employment.models import (
    ApplicationStatus,
    JobApplication,
    JobApplicationStep,
    JobFair,
    JobPosting,
    PostingStatus,
)
from gonghui.orgs.models import Employer
from gonghui.outreach.models import Delivery, DeliveryLine, Visit, Wish, WishStep
from gonghui.outreach.vocabularies import Occasion, WishAction, WishStatus

from . import vocabulary as words
from .care import BATCH_SIZE, CareSummary, CareWorld
from .care_needy import NeedyWorld

YEARS = 3  # past years of deliveries, visits and spring jobs, besides the current one
#: Per worker: deliveries, visits and micro-wishes a year; postings per employer a year.
DELIVERY_SHARE = 1 / 1200
VISIT_SHARE = 0.003
WISH_SHARE = 0.0005
POSTING_SHARE = 0.02
OCCASIONS = {
    Occasion.WINTER_WARMTH: 45,
    Occasion.SPRING_FESTIVAL: 30,
    Occasion.MID_AUTUMN: 15,
    Occasion.MODEL_WORKER: 5,
    Occasion.OTHER: 5,
}
WISH_STATES = {
    WishStatus.POSTED: 25,
    WishStatus.CLAIMED: 20,
    WishStatus.FULFILLED: 45,
    WishStatus.WITHDRAWN: 10,
}
SLOT_WEEKS = (-8, 4)  # weeks of counselling slots before and after this one


class _Builder:
    def __init__(self, world: CareWorld, summary: CareSummary, needy: NeedyWorld):
        self.world = world
        self.rng = world.rng
        self.summary = summary
        self.needy = needy
        self._surnames = list(NameProvider.last_names)[:100]
        self.employers = list(
            Employer.objects.filter(township_id__in=world.townships)
            .order_by("pk")
            .values_list("pk", "township_id", "industry", "address")
        )

    def _past(self, day: datetime.date) -> bool:
        return day <= self.world.today

    def _years(self):
        return range(self.world.year - YEARS, self.world.year + 1)

    def _name(self) -> str:
        rng = self.rng
        surname = rng.choice(self._surnames)
        return surname + rng.choice(NameProvider.first_names)

    # --- outreach --------------------------------------------------------------------

    def deliveries(self) -> None:
        world, rng = self.world, self.rng
        per_year = max(8, round(len(world.person_ids) * DELIVERY_SHARE))
        deliveries, lines = [], []
        for year in self._years():
            last = min(datetime.date(year, 8, 31), world.today)
            if last < datetime.date(year, 6, 20):
                continue
            for _n in range(per_year):
                township = rng.choice(world.townships)
                employer = rng.choice(self.employers) if rng.random() < 0.7 else None
                organisation = employer[1] if employer else township
                goods = rng.sample(words.COOLING_GOODS, rng.randint(2, 4))
                delivery_lines = [
                    DeliveryLine(
                        item=item,
                        quantity=Decimal(rng.randint(5, 60)),
                        unit=unit,
                        unit_value=Decimal(value),
                    )
                    for item, unit, value in goods
                ]
                delivery = Delivery(
                    organisation_id=organisation,
                    campaign_name=f"{year}年夏送清凉",
                    campaign_year=year,
                    employer_id=employer[0] if employer else None,
                    site_name="" if employer else rng.choice(words.OUTDOOR_SITES),
                    delivered_on=world.day_between(datetime.date(year, 6, 20), last),
                    workers_reached=rng.randint(20, 300),
                    total_value=sum((line.value for line in delivery_lines), Decimal("0.00")),
                    created_by=world.level_user(organisation),
                )
                deliveries.append(delivery)
                lines.append(delivery_lines)
        Delivery.objects.bulk_create(deliveries, batch_size=BATCH_SIZE)
        for delivery, delivery_lines in zip(deliveries, lines, strict=True):
            for line in delivery_lines:
                line.delivery = delivery
        DeliveryLine.objects.bulk_create(
            [line for group in lines for line in group], batch_size=BATCH_SIZE
        )
        self.summary.deliveries = len(deliveries)

    def _visit_day(self, occasion: str, year: int) -> datetime.date:
        first, last = {
            Occasion.WINTER_WARMTH: ((1, 2), (1, 31)),
            Occasion.SPRING_FESTIVAL: ((1, 15), (2, 20)),
            Occasion.MID_AUTUMN: ((9, 1), (9, 30)),
        }.get(occasion, ((3, 1), (11, 30)))
        return self.world.day_between(datetime.date(year, *first), datetime.date(year, *last))

    def visits(self) -> None:
        world, rng = self.world, self.rng
        per_year = max(20, round(len(world.person_ids) * VISIT_SHARE))
        township_of = dict(zip(world.person_ids, world.person_townships, strict=True))
        visits, visitors = [], []
        for year in self._years():
            needy = self.needy.active.get(year, [])
            for _n in range(per_year):
                occasion = rng.choices(list(OCCASIONS), list(OCCASIONS.values()))[0]
                day = self._visit_day(occasion, year)
                if not self._past(day):
                    continue
                person = None
                if rng.random() < 0.6:
                    person = (
                        rng.choice(needy)
                        if needy and rng.random() < 0.8
                        else world.person_ids[world.person_index()]
                    )
                organisation = township_of[person] if person else rng.choice(world.townships)
                if rng.random() < 0.2:
                    organisation = world.root.pk
                staff = world.level_user(organisation)
                visits.append(
                    Visit(
                        organisation_id=organisation,
                        visited_on=day,
                        occasion=occasion,
                        visitor_names="、".join(rng.sample(words.VISITOR_TITLES, 2)),
                        person_id=person,
                        visited_name="" if person else self._name() + "户",
                        goods=rng.choice(words.VISIT_GOODS),
                        goods_value=Decimal(rng.randrange(100, 600, 50)),
                        cash=Decimal(rng.choice((0, 0, 500, 1000))),
                        created_by=staff,
                    )
                )
                visitors.append(staff)
        Visit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
        through = Visit.visitors.through
        through.objects.bulk_create(
            [
                through(visit_id=visit.pk, user_id=staff.pk)
                for visit, staff in zip(visits, visitors, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        self.summary.visits = len(visits)

    def wishes(self) -> None:
        world, rng = self.world, self.rng
        count = max(12, round(len(world.person_ids) * WISH_SHARE))
        needy = self.needy.active.get(world.year, [])
        org_of = dict(zip(world.person_ids, world.person_orgs, strict=True))
        wishes, steps = [], []
        for _n in range(count):
            person = (
                rng.choice(needy)
                if needy and rng.random() < 0.7
                else world.person_ids[world.person_index()]
            )
            organisation = org_of[person]
            by = world.level_user(organisation)
            text, value = rng.choice(words.WISHES)
            status = rng.choices(list(WISH_STATES), list(WISH_STATES.values()))[0]
            posted = world.today - datetime.timedelta(days=rng.randint(20, 200))
            wish = Wish(
                organisation_id=organisation,
                person_id=person,
                text=text,
                estimated_value=Decimal(value),
                status=status,
            )
            wish_steps = [WishStep(action=WishAction.POST, by=by, at=world.moment(posted))]
            claimed = posted + datetime.timedelta(days=rng.randint(1, 10))
            if status in (WishStatus.CLAIMED, WishStatus.FULFILLED):
                if rng.random() < 0.5:
                    wish.donor_employer_id = rng.choice(self.employers)[0]
                else:
                    wish.donor_name = rng.choice(words.DONORS)
                wish_steps.append(
                    WishStep(action=WishAction.CLAIM, by=by, at=world.moment(claimed))
                )
            if status == WishStatus.FULFILLED:
                wish.fulfilled_on = claimed + datetime.timedelta(days=rng.randint(1, 10))
                wish.delivered = text
                wish_steps.append(
                    WishStep(action=WishAction.FULFIL, by=by, at=world.moment(wish.fulfilled_on))
                )
            if status == WishStatus.WITHDRAWN:
                wish_steps.append(
                    WishStep(
                        action=WishAction.WITHDRAW,
                        by=by,
                        at=world.moment(claimed),
                        comment="职工已自行解决",
                    )
                )
            wishes.append(wish)
            steps.append(wish_steps)
        Wish.objects.bulk_create(wishes, batch_size=BATCH_SIZE)
        for wish, wish_steps in zip(wishes, steps, strict=True):
            for step in wish_steps:
                step.wish = wish
        WishStep.objects.bulk_create([s for group in steps for s in group], batch_size=BATCH_SIZE)
        self.summary.wishes = len(wishes)

    # --- spring jobs ----------------------------------------------------------------------

    def jobs(self) -> None:
        world, rng = self.world, self.rng
        per_year = max(10, round(len(self.employers) * POSTING_SHARE))
        postings, fairs, fair_employers = [], [], []
        for year in self._years():
            if not self._past(datetime.date(year, 2, 10)):
                continue
            for _n in range(per_year):
                pk, township, industry, address = rng.choice(self.employers)
                pay_min = rng.randrange(2500, 6000, 100)
                postings.append(
                    JobPosting(
                        employer_id=pk,
                        title=rng.choice(words.JOBS.get(industry, words.JOBS["L"])),
                        pay_min=Decimal(pay_min),
                        pay_max=Decimal(pay_min + rng.randrange(500, 3000, 100)),
                        headcount=rng.randint(1, 15),
                        location=address,
                        status=PostingStatus.OPEN
                        if year == world.year and rng.random() < 0.8
                        else PostingStatus.CLOSED,
                        campaign_year=year,
                        created_by=world.level_user(township),
                    )
                )
            for organiser in [world.root.pk, *rng.sample(world.townships, 3)]:
                held = world.day_between(
                    datetime.date(year, 2, 10), min(datetime.date(year, 3, 31), world.today)
                )
                fairs.append(
                    JobFair(
                        organiser_id=organiser,
                        name=f"{year}年" + rng.choice(words.FAIR_NAMES),
                        held_on=held,
                        place=rng.choice(words.FAIR_PLACES),
                        campaign_year=year,
                        attendance=rng.randint(200, 3000),
                        created_by=world.level_user(organiser),
                    )
                )
                fair_employers.append(
                    {rng.choice(self.employers)[0] for _ in range(rng.randint(10, 40))}
                )
        JobPosting.objects.bulk_create(postings, batch_size=BATCH_SIZE)
        JobFair.objects.bulk_create(fairs)
        through = JobFair.employers.through
        through.objects.bulk_create(
            [
                through(jobfair_id=fair.pk, employer_id=employer)
                for fair, employers in zip(fairs, fair_employers, strict=True)
                for employer in sorted(employers)
            ],
            batch_size=BATCH_SIZE,
        )
        applications, steps = [], []
        for posting in postings:
            hired = 0
            people = {world.person_ids[world.person_index()] for _ in range(posting.headcount * 2)}
            for person in sorted(people):
                if rng.random() < 0.5:
                    continue
                applied = world.day_between(
                    datetime.date(posting.campaign_year, 2, 10),
                    min(datetime.date(posting.campaign_year, 4, 30), world.today),
                )
                path = [ApplicationStatus.APPLIED]
                draw = rng.random()
                if posting.status == PostingStatus.CLOSED or draw < 0.6:
                    path.append(ApplicationStatus.INTERVIEWED)
                    if hired < posting.headcount and rng.random() < 0.6:
                        path.append(ApplicationStatus.HIRED)
                        hired += 1
                    else:
                        path.append(ApplicationStatus.NOT_HIRED)
                by = posting.created_by
                at = world.moment(applied)
                application = JobApplication(
                    posting=posting, person_id=person, status=path[-1], applied_at=at, created_by=by
                )
                applications.append(application)
                before = ""
                for status in path:
                    steps.append((application, before, status, by, at))
                    before = status
                    at = min(at + datetime.timedelta(days=rng.randint(2, 10)), world.now)
        JobApplication.objects.bulk_create(applications, batch_size=BATCH_SIZE)
        JobApplicationStep.objects.bulk_create(
            [
                JobApplicationStep(
                    application=application, from_status=before, to_status=to, by=by, at=at
                )
                for application, before, to, by, at in steps
            ],
            batch_size=BATCH_SIZE,
        )
        self.summary.job_postings = len(postings)
        self.summary.job_fairs = len(fairs)
        self.summary.job_applications = len(applications)

    # --- counselling ----------------------------------------------------------------------

    def counselling(self) -> None:
        world, rng = self.world, self.rng
        counsellors = [world.users[u] for u in ("counsellor", "counsellor2") if u in world.users]
        monday = world.today - datetime.timedelta(days=world.today.weekday())
        slots, bookings, notes = [], [], []
        for counsellor in counsellors:
            township = counsellor.organisation_id
            people = [
                pk
                for pk, at in zip(world.person_ids, world.person_townships, strict=True)
                if township == world.root.pk or at == township
            ] or list(world.person_ids)
            for week in range(*SLOT_WEEKS):
                for weekday, (hour, minute) in ((1, (14, 0)), (3, (9, 30))):
                    day = monday + datetime.timedelta(weeks=week, days=weekday)
                    starts = datetime.datetime.combine(
                        day, datetime.time(hour, minute), tzinfo=world.tz
                    )
                    online = rng.random() < 0.3
                    slot = CounsellingSlot(
                        counsellor=counsellor,
                        organisation_id=counsellor.organisation_id,
                        starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1),
                        mode=SlotMode.ONLINE if online else SlotMode.IN_PERSON,
                        place=words.COUNSELLING_LINK
                        if online
                        else rng.choice(words.COUNSELLING_PLACES),
                    )
                    slots.append(slot)
                    past = starts < world.now
                    if rng.random() >= (0.7 if past else 0.4):
                        continue
                    booked = starts - datetime.timedelta(days=rng.randint(1, 6), hours=3)
                    booking = Booking(
                        slot=slot,
                        person_id=rng.choice(people),
                        channel=BookingChannel.STAFF,
                        booked_by=world.level_user(counsellor.organisation_id),
                        booked_at=min(booked, world.now),
                    )
                    if past:
                        draw = rng.random()
                        if draw < 0.1:
                            booking.status = BookingStatus.CANCELLED
                            booking.cancelled_by = booking.booked_by
                            booking.cancelled_at = min(
                                booked + datetime.timedelta(days=1), world.now
                            )
                            booking.cancel_reason = "职工临时加班"
                        else:
                            booking.status = (
                                BookingStatus.ATTENDED if draw < 0.85 else BookingStatus.NO_SHOW
                            )
                            booking.outcome_recorded_by = counsellor
                            booking.outcome_recorded_at = min(
                                starts + datetime.timedelta(hours=2), world.now
                            )
                            if booking.status == BookingStatus.ATTENDED and len(notes) < 3:
                                notes.append(
                                    SessionNote(
                                        booking=booking,
                                        counsellor=counsellor,
                                        text_encrypted=encrypt(
                                            rng.choice(words.SESSION_NOTES), context=NOTE_CONTEXT
                                        ),
                                        written_at=booking.outcome_recorded_at,
                                    )
                                )
                    bookings.append(booking)
        CounsellingSlot.objects.bulk_create(slots)
        Booking.objects.bulk_create(bookings)
        SessionNote.objects.bulk_create(notes)
        self.summary.counselling_slots = len(slots)
        self.summary.counselling_bookings = len(bookings)


def build_activities(world: CareWorld, summary: CareSummary, needy: NeedyWorld) -> None:
    builder = _Builder(world, summary, needy)
    builder.deliveries()
    builder.visits()
    builder.wishes()
    builder.jobs()
    builder.counselling()
