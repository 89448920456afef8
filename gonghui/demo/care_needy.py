"""The demo county's needy-worker files (困难职工档案), about one worker in a hundred.

Each file went the way ``needy.services`` takes it (application or referral →
home visit → income check → public notice → filed), with a step row for each
move; most are filed, some exited (解困脱困), a few are still being
established or were withdrawn. Household members carry ID numbers encrypted
and hashed exactly as the needy services write them; a few households list a
registered worker (a spouse) or share a child with another file, so that the
household checks of aid have something to find.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate

from faker.providers.person.zh_CN import Provider as NameProvider

from gonghui.core.crypto import keyring
from gonghui.core.idnumbers import Gender, complete_id_number
from gonghui.needy.models import (
    FileCause,
    FileStep,
    HomeVisit,
    HouseholdMember,
    NeedyFile,
    ReviewRecord,
    Threshold,
    member_id_columns,
)
from gonghui.needy.services import per_capita_monthly
from gonghui.needy.vocabularies import (
    Cause,
    ExitReason,
    FileStatus,
    Level,
    Origin,
    Relation,
    ReviewOutcome,
    Standard,
    StepAction,
)
from gonghui.people.models import Person

from . import vocabulary as words
from .care import BATCH_SIZE, CareSummary, CareWorld

#: Share of workers with a needy-worker file, and the fewest files of a small county.
FILE_SHARE = 0.01
MIN_FILES = 20
#: Years back the oldest files were filed.
FILED_SINCE_YEARS = 6
#: Monthly income threshold per head of the oldest year, and its yearly rise (yuan).
THRESHOLD_START = Decimal("900.00")
THRESHOLD_RISE = Decimal("60.00")
STATUS_WEIGHTS = {
    FileStatus.FILED: 72,
    FileStatus.EXITED: 15,
    FileStatus.APPLIED: 2.5,
    FileStatus.VISITED: 2.5,
    FileStatus.CHECKED: 2.5,
    FileStatus.NOTICE: 2.5,
    FileStatus.WITHDRAWN: 3,
}
LEVEL_WEIGHTS = {Level.RELATIVE: 60, Level.DEEP: 30, Level.ACCIDENT: 10}
STANDARD_WEIGHTS = {
    Standard.COUNTY: 60,
    Standard.CITY: 15,
    Standard.PROVINCE: 10,
    Standard.NATIONAL: 5,
    Standard.GRASSROOTS: 10,
}
CAUSE_WEIGHTS = {
    Cause.ILLNESS: 35,
    Cause.EDUCATION: 25,
    Cause.UNEMPLOYMENT: 15,
    Cause.DISABILITY: 10,
    Cause.DISASTER: 8,
    Cause.OTHER: 7,
}
EXIT_REASONS = (
    ExitReason.INCOME,
    ExitReason.EMPLOYMENT,
    ExitReason.RECOVERY,
    ExitReason.EDUCATION_DONE,
)
#: Share of households that list a registered worker, and of files sharing a child.
SPOUSE_REGISTERED = 0.08
CHILD_SHARED = 0.02


@dataclass
class NeedyWorld:
    """What aid and outreach need to know about the files written."""

    #: Workers with a filed file active in each year.
    active: dict[int, list[int]] = field(default_factory=dict)
    #: Workers whose latest filed file has exited (before or during this year).
    exited: list[int] = field(default_factory=list)
    #: Monthly income per head of each filed worker (the figure of the income check).
    per_capita: dict[int, Decimal] = field(default_factory=dict)
    #: (needy worker, registered worker listed in the household).
    listed: list[tuple[int, int]] = field(default_factory=list)
    thresholds: dict[int, Decimal] = field(default_factory=dict)


@dataclass
class _File:
    file: NeedyFile
    causes: list[str]
    members: list[HouseholdMember]
    steps: list[FileStep]
    visit: HomeVisit | None
    reviews: list[ReviewRecord]


class _NeedyBuilder:
    def __init__(self, world: CareWorld, summary: CareSummary):
        self.world = world
        self.rng = world.rng
        self.summary = summary
        self.ring = keyring()
        self.result = NeedyWorld()
        self._surnames = list(NameProvider.last_names)
        self._surname_cum = list(accumulate(NameProvider.last_names.values()))
        self._numbers: set[str] = set()

    def _weighted(self, weights: dict):
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _name(self, gender: str, surname: str | None = None) -> str:
        surname = surname or self.rng.choices(self._surnames, cum_weights=self._surname_cum)[0]
        names = (
            NameProvider.first_names_male
            if gender == Gender.MALE
            else NameProvider.first_names_female
        )
        return surname + self.rng.choice(names)

    def _id_number(self, region: str, born: datetime.date, gender: str) -> str:
        parity = 1 if gender == Gender.MALE else 0  # GB 11643-1999 §5.3
        while True:
            first17 = f"{region}{born:%Y%m%d}{self.rng.randrange(500) * 2 + parity:03d}"
            if first17 not in self._numbers:
                self._numbers.add(first17)
                return complete_id_number(first17)

    # --- the build ------------------------------------------------------------

    def build(self) -> NeedyWorld:
        world = self.world
        first_year = world.year - FILED_SINCE_YEARS
        for year in range(first_year, world.year + 1):
            self.result.thresholds[year] = THRESHOLD_START + THRESHOLD_RISE * (year - first_year)
        Threshold.objects.bulk_create(
            Threshold(organisation=world.root, year=year, amount=amount)
            for year, amount in self.result.thresholds.items()
        )
        count = min(
            len(world.person_ids), max(MIN_FILES, round(len(world.person_ids) * FILE_SHARE))
        )
        indexes = sorted(self.rng.sample(range(len(world.person_ids)), count))
        ids = [world.person_ids[i] for i in indexes]
        people = {}
        for start in range(0, len(ids), 900):
            for row in Person.objects.filter(pk__in=ids[start : start + 900]).values(
                "pk",
                "name",
                "gender",
                "birth_date",
                "region_code",
                "id_hash",
                "current_union_id",
                "file_org_id",
            ):
                people[row["pk"]] = row
        candidates = self._registered_spouses(ids)
        files = []
        shared_children: list[HouseholdMember] = []
        for pk in ids:
            built = self._file(people[pk], candidates, shared_children)
            files.append(built)
        self._avoid_registered_numbers(files)
        self._write(files)
        return self.result

    def _registered_spouses(self, needy_ids: list[int]) -> list[tuple[int, str, str, str]]:
        """Registered workers some households list as a spouse: (pk, name, gender, ID number)."""
        world = self.world
        wanted = max(2, round(len(needy_ids) * SPOUSE_REGISTERED))
        taken = set(needy_ids)
        picked = []
        while len(picked) < wanted and len(picked) + len(taken) < len(world.person_ids):
            pk = world.person_ids[world.person_index()]
            if pk not in taken:
                taken.add(pk)
                picked.append(pk)
        found = {p.pk: p for p in Person.objects.filter(pk__in=picked)}
        return [
            (pk, found[pk].name, found[pk].gender, found[pk].plain_id_number())
            for pk in picked
            if pk in found
        ]

    def _file(self, person: dict, spouses: list, shared_children: list) -> _File:
        world, rng = self.world, self.rng
        status = self._weighted(STATUS_WEIGHTS)
        level = self._weighted(LEVEL_WEIGHTS)
        organisation_id = person["current_union_id"] or person["file_org_id"]
        by = world.level_user(organisation_id)
        members = self._household(person, spouses, shared_children)
        size = 1 + len(members)
        file = NeedyFile(
            person_id=person["pk"],
            organisation_id=organisation_id,
            origin=Origin.APPLICATION if rng.random() < 0.6 else Origin.REFERRAL,
            status=status,
            level=level,
            standard=self._weighted(STANDARD_WEIGHTS),
            situation=rng.choice(words.NEEDY_SITUATIONS),
            created_by=by,
        )
        causes = rng.sample(list(CAUSE_WEIGHTS), rng.choice((1, 1, 2)))
        established = status in (FileStatus.FILED, FileStatus.EXITED)
        if established:
            filed_on = world.day_between(
                datetime.date(world.year - FILED_SINCE_YEARS, 3, 1),
                world.today - datetime.timedelta(days=10),
            )
            notice_ends = filed_on - datetime.timedelta(days=rng.randint(1, 5))
            notice_starts = notice_ends - datetime.timedelta(days=4)
            checked = notice_starts - datetime.timedelta(days=rng.randint(1, 3))
        else:
            checked = world.today - datetime.timedelta(days=rng.randint(6, 12))
            filed_on = notice_starts = notice_ends = None
        visited = checked - datetime.timedelta(days=rng.randint(1, 5))
        created = visited - datetime.timedelta(days=rng.randint(3, 8))
        threshold = self.result.thresholds.get(checked.year, self.result.thresholds[world.year])
        share = rng.uniform(0.35, 0.95) if level != Level.ACCIDENT else rng.uniform(0.5, 1.3)
        income = (threshold * Decimal(str(round(share, 3))) * size * 12).quantize(Decimal("1"))
        file.household_income = income
        steps = [self._step(StepAction.CREATE, "", FileStatus.APPLIED, created, by)]
        visit = None
        order = [FileStatus.APPLIED, FileStatus.VISITED, FileStatus.CHECKED, FileStatus.NOTICE]
        reached = 3 if established else order.index(status) if status in order else 1
        if status == FileStatus.WITHDRAWN:
            reached = rng.randint(0, 2)
        if reached >= 1:
            visit = HomeVisit(
                visited_on=visited,
                visitors="、".join(rng.sample(words.VISITOR_TITLES, 2)),
                findings=rng.choice(words.NEEDY_FINDINGS),
                recorded_by=by,
                recorded_at=world.moment(visited),
            )
            steps.append(self._step(StepAction.VISIT, order[0], order[1], visited, by))
        if reached >= 2:
            file.household_size = size
            file.per_capita_income = per_capita_monthly(income, size)
            file.threshold = threshold
            steps.append(self._step(StepAction.INCOME_CHECK, order[1], order[2], checked, by))
        if reached >= 3:
            if not established:
                notice_starts = world.today - datetime.timedelta(days=rng.randint(0, 6))
                notice_ends = notice_starts + datetime.timedelta(days=4)
            file.notice_days = 5
            file.notice_starts_on, file.notice_ends_on = notice_starts, notice_ends
            steps.append(self._step(StepAction.NOTICE_START, order[2], order[3], notice_starts, by))
        reviews = []
        if established:
            file.filed_on = filed_on
            steps.append(
                self._step(StepAction.FILE, FileStatus.NOTICE, FileStatus.FILED, filed_on, by)
            )
            exit_on = None
            if status == FileStatus.EXITED:
                earliest = filed_on + datetime.timedelta(days=120)
                if earliest >= world.today:
                    file.status = status = FileStatus.FILED
                else:
                    exit_on = world.day_between(earliest, world.today)
            for year in range(filed_on.year + 1, world.year):
                reviewed = datetime.date(year, 12, 10)
                if exit_on is not None and reviewed >= exit_on:
                    break
                reviews.append(
                    ReviewRecord(
                        year=year,
                        reviewed_on=reviewed,
                        household_income=income,
                        outcome=ReviewOutcome.CONTINUE,
                        level_before=level,
                        level_after=level,
                        by=by,
                    )
                )
                steps.append(
                    self._step(StepAction.REVIEW, FileStatus.FILED, FileStatus.FILED, reviewed, by)
                )
            if exit_on is not None:
                file.exited_on = exit_on
                file.exit_reason = rng.choice(EXIT_REASONS)
                steps.append(
                    self._step(StepAction.EXIT, FileStatus.FILED, FileStatus.EXITED, exit_on, by)
                )
                self.result.exited.append(person["pk"])
                self.summary.needy_exited += 1
            else:
                self.summary.needy_filed += 1
            last_year = (exit_on or world.today).year
            for year in range(filed_on.year, last_year + 1):
                self.result.active.setdefault(year, []).append(person["pk"])
            self.result.per_capita[person["pk"]] = file.per_capita_income
        elif status == FileStatus.WITHDRAWN:
            steps.append(
                self._step(
                    StepAction.WITHDRAW,
                    order[reached],
                    FileStatus.WITHDRAWN,
                    world.today - datetime.timedelta(days=rng.randint(1, 5)),
                    by,
                )
            )
        return _File(file, causes, members, steps, visit, reviews)

    def _step(self, action, from_status, to_status, day, by) -> FileStep:
        return FileStep(
            action=action,
            from_status=from_status,
            to_status=to_status,
            by=by,
            at=self.world.moment(day),
        )

    def _household(self, person: dict, spouses: list, shared_children: list) -> list:
        rng = self.rng
        region = person["region_code"]
        born = person["birth_date"]
        members = []
        if spouses and rng.random() < SPOUSE_REGISTERED * 1.5:
            pk, name, _gender, number = spouses.pop()
            members.append(self._member(name, Relation.SPOUSE, number))
            self.result.listed.append((person["pk"], pk))
        elif rng.random() < 0.7:
            gender = Gender.FEMALE if person["gender"] == Gender.MALE else Gender.MALE
            spouse_born = born + datetime.timedelta(days=rng.randint(-1800, 1800))
            members.append(
                self._member(
                    self._name(gender),
                    Relation.SPOUSE,
                    self._id_number(region, spouse_born, gender),
                )
            )
        if shared_children and rng.random() < CHILD_SHARED * 20:
            child = shared_children.pop()
            members.append(self._member(child.name, Relation.CHILD, child.plain_id_number()))
        else:
            for _number in range(rng.choice((0, 1, 1, 2))):
                gender = rng.choice((Gender.MALE, Gender.FEMALE))
                child_born = datetime.date(
                    min(max(born.year + rng.randint(22, 36), 2003), self.world.year - 1),
                    rng.randint(1, 12),
                    rng.randint(1, 28),
                )
                child = self._member(
                    self._name(gender, person["name"][0]),
                    Relation.CHILD,
                    self._id_number(region, child_born, gender),
                )
                members.append(child)
                if rng.random() < CHILD_SHARED:
                    shared_children.append(child)
        if rng.random() < 0.2:
            gender = rng.choice((Gender.MALE, Gender.FEMALE))
            parent_born = datetime.date(born.year - rng.randint(22, 35), rng.randint(1, 12), 15)
            members.append(
                self._member(
                    self._name(gender, person["name"][0] if gender == Gender.MALE else None),
                    Relation.PARENT,
                    self._id_number(region, parent_born, gender),
                )
            )
        return members

    def _member(self, name: str, relation: str, number: str) -> HouseholdMember:
        return HouseholdMember(name=name, relation=relation, **member_id_columns(number, self.ring))

    def _avoid_registered_numbers(self, files: list[_File]) -> None:
        """Drop a generated member whose number happens to be a registered worker's.

        Only the spouses picked on purpose may be registered people: a chance
        match would link two unrelated workers' households.
        """
        listed = {pk for _needy, pk in self.result.listed}
        listed_hashes = set(Person.objects.filter(pk__in=listed).values_list("id_hash", flat=True))
        hashes = sorted({m.id_hash for built in files for m in built.members} - listed_hashes)
        clashes = set()
        for start in range(0, len(hashes), 900):
            clashes |= set(
                Person.objects.filter(id_hash__in=hashes[start : start + 900]).values_list(
                    "id_hash", flat=True
                )
            )
        if clashes:
            for built in files:
                built.members = [m for m in built.members if m.id_hash not in clashes]

    def _write(self, files: list[_File]) -> None:
        NeedyFile.objects.bulk_create([built.file for built in files], batch_size=BATCH_SIZE)
        causes, members, steps, visits, reviews = [], [], [], [], []
        for built in files:
            file = built.file
            causes += [FileCause(file=file, cause=cause) for cause in built.causes]
            for row in (*built.members, *built.steps, *built.reviews):
                row.file = file
            members += built.members
            steps += built.steps
            reviews += built.reviews
            if built.visit is not None:
                built.visit.file = file
                visits.append(built.visit)
        FileCause.objects.bulk_create(causes, batch_size=BATCH_SIZE)
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH_SIZE)
        FileStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
        HomeVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
        ReviewRecord.objects.bulk_create(reviews, batch_size=BATCH_SIZE)
        self.summary.needy_files += len(files)


def build_needy(world: CareWorld, summary: CareSummary) -> NeedyWorld:
    return _NeedyBuilder(world, summary).build()
