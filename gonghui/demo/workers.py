"""The demo county's workers (职工), their union membership and join applications.

Every employer gets as many workers as it reports employees. A worker of an
employer with a union is most likely a member of the union that
``people.services.join_route`` names for them; a worker of an employer without
a union is not a member (some have applied). A few members came by transfer
from another union and a few workers left the union: both leave a history row.

Rows are built in chunks and written with ``bulk_create``: the ID number and
the phone are encrypted and hashed by people's own column functions
(``identity_columns``, ``phone_columns``) and card numbers are reserved in
blocks through ``card_numbers_allocate``, exactly as an approval or a roster
import does. Draws come from one ``random.Random`` seeded from the county's
seed, in a fixed order, so the same seed gives the same people.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import accumulate

from django.utils import timezone
from django.utils.translation import gettext as _
from faker.providers.person.zh_CN import Provider as NameProvider
from faker.providers.phone_number.zh_CN import Provider as PhoneProvider

from gonghui.core.crypto import keyring
from gonghui.core.idnumbers import Gender, IdKind, ResidentId, complete_id_number
from gonghui.orgs.models import Organisation, OrgKind
from gonghui.people.models import (
    JoinApplication,
    Membership,
    Person,
    identity_columns,
    phone_columns,
)
from gonghui.people.services import card_numbers_allocate
from gonghui.people.vocabularies import JoinChannel, JoinRoute, JoinStatus, MembershipStatus

from . import vocabulary as words

#: Workers built and written together (one card-number block per year and chunk).
CHUNK = 10_000
#: Rows per INSERT batch handed to ``bulk_create`` (the backend may split further).
BATCH_SIZE = 5_000

BIRTH_YEARS = (1965, 2005)
#: Share of workers of a covered employer who are members: drawn per employer.
MEMBER_SHARE = (0.70, 0.97)
#: Share of members who joined in the current year (新增会员).
JOINED_THIS_YEAR = 0.06
#: Share of members whose current membership began with a transfer (转会).
TRANSFERRED_IN = 0.015
#: Share of the non-members of a covered employer who were members once and left.
LEFT_EARLIER = 0.12
#: Share of non-members with a join application waiting for a decision.
APPLYING_COVERED = 0.01
APPLYING_UNCOVERED = 0.003
#: Share of the workers of an employer of the new business forms who are in its group.
IN_GROUP = 0.85
WITH_PHONE = 0.96
MEN = 0.55
#: Membership dates begin no earlier than this (the union's own founding date permitting).
EARLIEST_MEMBERSHIP = datetime.date(1990, 1, 1)

Progress = Callable[[str], None]


@dataclass(frozen=True)
class Workplace:
    """An employer as the workforce sees it: where it is, who covers it, its trade."""

    employer_id: int
    township_id: int
    township_joint: Organisation  # the joint union of the employer's township
    industry: str
    union: Organisation | None
    new_form_group: str
    workers: int


@dataclass
class WorkforceSummary:
    workers: int = 0
    members: int = 0
    joined_this_year: int = 0
    pending_applications: int = 0


def apportion(total: int, weights: list[int]) -> list[int]:
    """``total`` split in proportion to ``weights`` (largest remainder, ties by position)."""
    whole = sum(weights)
    if whole <= 0:
        return [0] * len(weights)
    shares = [total * weight / whole for weight in weights]
    counts = [int(share) for share in shares]
    short = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (counts[i] - shares[i], i))
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


def join_route_of(workplace: Workplace, group: str) -> tuple[Organisation, str]:
    """``people.services.join_route`` without a query (the builder knows the joint unions)."""
    union = workplace.union
    if union is not None and (not group or union.kind == OrgKind.JOINT):
        return union, JoinRoute.JOINT_NEW_FORM if group else JoinRoute.EMPLOYER_UNION
    route = JoinRoute.JOINT_NEW_FORM if group else JoinRoute.JOINT_NO_UNION
    return workplace.township_joint, route


@dataclass
class _Stretch:
    """A membership to write: the union and its dates, and how it ended (if it did)."""

    union: Organisation
    joined_on: datetime.date
    status: str = MembershipStatus.ACTIVE
    ended_on: datetime.date | None = None
    leave_reason: str = ""


@dataclass
class _Draft:
    """One worker before it is written."""

    person: Person
    card_year: int | None = None
    current: _Stretch | None = None
    earlier: _Stretch | None = None
    application: tuple[Organisation, str] | None = None


@dataclass
class WorkforceBuilder:
    """Writes the workers of the given workplaces (``CountyBuilder`` calls it)."""

    seed: int
    workplaces: list[Workplace]
    unions: list[Organisation]
    regions: list[tuple[str, float]]  # (division code, weight) for ID numbers
    today: datetime.date
    progress: Progress | None = None
    summary: WorkforceSummary = field(default_factory=WorkforceSummary)

    def __post_init__(self):
        # A generator of its own, so the organisations and employers drawn
        # before stay exactly what they were without workers.
        self.rng = random.Random(f"gonghui-demo-workers:{self.seed}")
        self.ring = keyring()
        self._numbers: set[int] = set()
        self._phones: set[int] = set()
        self._region_codes = [code for code, _weight in self.regions]
        self._region_cum = list(accumulate(weight for _code, weight in self.regions))
        surnames = NameProvider.last_names
        self._surnames = list(surnames)
        self._surname_cum = list(accumulate(surnames.values()))
        self._given = {
            Gender.MALE: NameProvider.first_names_male,
            Gender.FEMALE: NameProvider.first_names_female,
        }
        self._given_single = {
            gender: [name for name in names if len(name) == 1]
            for gender, names in self._given.items()
        }
        self._phone_prefixes = [str(p) for p in PhoneProvider.phonenumber_prefixes]
        minorities = words.MINORITY_WEIGHTS
        self._ethnicities = ["01", *minorities]
        han = words.HAN_SHARE / (1 - words.HAN_SHARE) * sum(minorities.values())
        self._ethnicity_cum = list(accumulate([han, *minorities.values()]))
        self._educations = list(words.EDUCATION_WEIGHTS)
        self._education_cum = list(accumulate(words.EDUCATION_WEIGHTS.values()))
        first, last = BIRTH_YEARS
        self._born_from = datetime.date(first, 1, 1).toordinal()
        self._born_days = datetime.date(last, 12, 31).toordinal() - self._born_from
        self._year_start = datetime.date(self.today.year, 1, 1)
        self._last_year_end = self._year_start - datetime.timedelta(days=1)
        self._now = timezone.now()

    # --- the build ----------------------------------------------------------------

    def build(self) -> WorkforceSummary:
        total = sum(workplace.workers for workplace in self.workplaces)
        chunk: list[_Draft] = []
        for draft in self._drafts():
            chunk.append(draft)
            if len(chunk) == CHUNK:
                self._write(chunk)
                chunk = []
                self._say(
                    _("wrote %(done)d of %(total)d workers")
                    % {"done": self.summary.workers, "total": total}
                )
        if chunk:
            self._write(chunk)
        self._say(
            _("%(workers)d workers, of whom %(members)d are members")
            % {"workers": self.summary.workers, "members": self.summary.members}
        )
        return self.summary

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    def _drafts(self) -> Iterator[_Draft]:
        rng = self.rng
        for workplace in self.workplaces:
            share = rng.uniform(*MEMBER_SHARE) if workplace.union is not None else 0.0
            for _number in range(workplace.workers):
                yield self._draft(workplace, share)

    def _draft(self, workplace: Workplace, member_share: float) -> _Draft:
        rng = self.rng
        group = ""
        men = MEN
        if workplace.new_form_group and rng.random() < IN_GROUP:
            group = workplace.new_form_group
            men = words.NEW_FORM_MEN[group]
        gender = Gender.MALE if rng.random() < men else Gender.FEMALE
        resident = self._resident_id(gender)
        phone = self._phone() if rng.random() < WITH_PHONE else ""
        person = Person(
            name=self._name(gender),
            ethnicity=self._choose(self._ethnicities, self._ethnicity_cum),
            education=self._choose(self._educations, self._education_cum),
            employer_id=workplace.employer_id,
            file_org_id=workplace.township_id,
            job_title=words.NEW_FORM_JOBS[group]
            if group
            else rng.choice(words.JOBS.get(workplace.industry, words.JOBS["L"])),
            new_form_group=group,
            **identity_columns(resident, self.ring),
            **phone_columns(phone, self.ring),
        )
        draft = _Draft(person=person)
        adult = _adult_from(resident.birth_date)
        if workplace.union is not None and rng.random() < member_share:
            union, _route = join_route_of(workplace, group)
            draft.current = _Stretch(union=union, joined_on=self._joined(union, adult))
            if rng.random() < TRANSFERRED_IN:
                draft.earlier = self._transferred_from(draft.current, adult)
            first = draft.earlier or draft.current
            draft.card_year = first.joined_on.year
            person.current_union_id = union.pk
        elif workplace.union is not None and rng.random() < LEFT_EARLIER:
            union, _route = join_route_of(workplace, group)
            draft.earlier = self._left(union, adult)
            if draft.earlier is not None:
                draft.card_year = draft.earlier.joined_on.year
        if draft.current is None and draft.earlier is None:
            applying = APPLYING_COVERED if workplace.union is not None else APPLYING_UNCOVERED
            if rng.random() < applying:
                draft.application = join_route_of(workplace, group)
        return draft

    # --- a person's data ------------------------------------------------------------

    def _choose(self, values: list[str], cum_weights: list[float]) -> str:
        return self.rng.choices(values, cum_weights=cum_weights)[0]

    def _name(self, gender: str) -> str:
        rng = self.rng
        surname = self._choose(self._surnames, self._surname_cum)
        given = rng.choice(self._given[gender])
        # Faker's list is mostly single characters; many real given names have two.
        if len(given) == 1 and rng.random() < 0.55:
            given += rng.choice(self._given_single[gender])
        return surname + given

    def _resident_id(self, gender: str) -> ResidentId:
        """A valid, unused ID number (GB 11643-1999): region, birth date, sequence, check."""
        rng = self.rng
        region = self._choose(self._region_codes, self._region_cum)
        born = datetime.date.fromordinal(self._born_from + rng.randint(0, self._born_days))
        parity = 1 if gender == Gender.MALE else 0  # §5.3: odd for men, even for women
        head = f"{region}{born.year:04d}{born.month:02d}{born.day:02d}"
        while True:
            first17 = f"{head}{rng.randrange(500) * 2 + parity:03d}"
            key = int(first17)
            if key not in self._numbers:
                self._numbers.add(key)
                break
        return ResidentId(
            number=complete_id_number(first17),
            birth_date=born,
            gender=gender,
            region_code=region,
            kind=IdKind.RESIDENT,
        )

    def _phone(self) -> str:
        rng = self.rng
        while True:
            number = f"{rng.choice(self._phone_prefixes)}{rng.randrange(10**8):08d}"
            key = int(number)
            if key not in self._phones:
                self._phones.add(key)
                return number

    # --- membership dates ---------------------------------------------------------------

    def _between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        if last <= first:
            return first
        return first + datetime.timedelta(days=self.rng.randint(0, (last - first).days))

    def _start(self, union: Organisation, adult: datetime.date) -> datetime.date:
        """The first day a person could have joined ``union``."""
        return min(
            max(union.founded_on or EARLIEST_MEMBERSHIP, EARLIEST_MEMBERSHIP, adult), self.today
        )

    def _joined(self, union: Organisation, adult: datetime.date) -> datetime.date:
        start = self._start(union, adult)
        if start > self._last_year_end or self.rng.random() < JOINED_THIS_YEAR:
            return self._between(max(start, self._year_start), self.today)
        return self._between(start, self._last_year_end)

    def _transferred_from(self, current: _Stretch, adult: datetime.date) -> _Stretch | None:
        union = self.rng.choice(self.unions)
        if union.pk == current.union.pk:
            return None
        start = self._start(union, adult)
        latest = current.joined_on - datetime.timedelta(days=30)
        if latest <= start:
            return None
        return _Stretch(
            union=union,
            joined_on=self._between(start, latest),
            status=MembershipStatus.TRANSFERRED,
            ended_on=current.joined_on,
        )

    def _left(self, union: Organisation, adult: datetime.date) -> _Stretch | None:
        start = self._start(union, adult)
        latest = self.today - datetime.timedelta(days=60)
        if latest <= start:
            return None
        joined = self._between(start, latest)
        return _Stretch(
            union=union,
            joined_on=joined,
            status=MembershipStatus.LEFT,
            ended_on=self._between(joined + datetime.timedelta(days=30), self.today),
            leave_reason=self.rng.choice(words.LEAVE_REASONS),
        )

    # --- writing ---------------------------------------------------------------------

    def _write(self, drafts: list[_Draft]) -> None:
        cards = self._cards(drafts)
        for draft in drafts:
            if draft.card_year is not None:
                draft.person.card_number = next(cards[draft.card_year])
        Person.objects.bulk_create([draft.person for draft in drafts], batch_size=BATCH_SIZE)

        earlier = {}
        for draft in drafts:
            if draft.earlier is not None:
                earlier[id(draft)] = self._membership(draft.person, draft.earlier)
        Membership.objects.bulk_create(earlier.values(), batch_size=BATCH_SIZE)
        current = []
        applications = []
        for draft in drafts:
            if draft.current is not None:
                membership = self._membership(draft.person, draft.current)
                if draft.earlier is not None:
                    membership.transferred_from_id = earlier[id(draft)].pk
                current.append(membership)
            elif draft.application is not None:
                applications.append(self._application(draft))
        # New members this year as the coverage page counts them: memberships
        # begun this year other than by a transfer, however they ended.
        self.summary.joined_this_year += sum(
            1
            for membership in [*earlier.values(), *current]
            if membership.joined_on >= self._year_start and membership.transferred_from_id is None
        )
        Membership.objects.bulk_create(current, batch_size=BATCH_SIZE)
        JoinApplication.objects.bulk_create(applications, batch_size=BATCH_SIZE)
        self.summary.workers += len(drafts)
        self.summary.members += len(current)
        self.summary.pending_applications += len(applications)

    def _cards(self, drafts: list[_Draft]) -> dict[int, Iterator[str]]:
        """One block of card numbers per year of joining, reserved from the counters."""
        years = Counter(draft.card_year for draft in drafts if draft.card_year is not None)
        union = self.unions[0]
        return {
            year: iter(card_numbers_allocate(union=union, year=year, count=count))
            for year, count in sorted(years.items())
        }

    @staticmethod
    def _membership(person: Person, stretch: _Stretch) -> Membership:
        return Membership(
            person_id=person.pk,
            union_id=stretch.union.pk,
            joined_on=stretch.joined_on,
            status=stretch.status,
            ended_on=stretch.ended_on,
            leave_reason=stretch.leave_reason,
        )

    def _application(self, draft: _Draft) -> JoinApplication:
        union, route = draft.application
        person = draft.person
        return JoinApplication(
            person_id=person.pk,
            employer_id=person.employer_id,
            new_form_group=person.new_form_group,
            union_id=union.pk,
            route=route,
            channel=JoinChannel.PORTAL if self.rng.random() < 0.6 else JoinChannel.STAFF,
            status=JoinStatus.PENDING,
            submitted_at=self._now - datetime.timedelta(minutes=self.rng.randint(5, 60 * 24 * 30)),
        )


def _adult_from(born: datetime.date) -> datetime.date:
    """The first of the month of the 18th birthday (a 29 February has no anniversary)."""
    return datetime.date(born.year + 18, born.month, 1)
