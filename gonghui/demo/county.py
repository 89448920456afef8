"""A fictional county, generated deterministically from a seed.

Same seed and scale give the same county: every draw comes either from one
``random.Random(seed)`` or from one Faker (zh_CN) instance seeded with the same
number, always in the same order. Rows are written with ``bulk_create``: the
organisations and employers of a million-worker county (about 40,000
employers) take seconds, its workers and members (``workers``) a few minutes.
The materialised ``path`` of each organisation is computed here exactly as
``orgs.services`` does (parent's path + ``path_segment(pk)``), and every code is
checked with the validators the services use.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from faker import Faker
from faker.providers.address.zh_CN import Provider as AddressProvider

from gonghui.core.creditcodes import (
    ALPHABET,
    UNION_PREFIX,
    make_credit_code,
    validate_credit_code,
    validate_union_credit_code,
)
from gonghui.core.idnumbers import known_county_codes
from gonghui.core.scope import path_segment
from gonghui.orgs.models import Employer, Organisation, OrgKind, Ownership, code_validator

from . import vocabulary as words
from .workers import WorkforceBuilder, WorkforceSummary, Workplace, apportion

#: One employer per this many workers ...
WORKERS_PER_EMPLOYER = 25
#: ... but never fewer employers than this, so that a small county still looks real.
MIN_EMPLOYERS = 150
TOWNSHIPS = 15
BATCH_SIZE = 2000

#: Employee count from which coverage is usually counted (建会率, DOMAIN.md).
COVERAGE_THRESHOLD = 25

#: GB 11714-1997 §5: weights of the organisation code's check character.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_REAL_PLACES = frozenset(AddressProvider.cities) | frozenset(AddressProvider.districts)

Progress = Callable[[str], None]


def organisation_code_check(body: str) -> str:
    """Check character of an 8-character organisation code body (GB 11714-1997 §5)."""
    total = sum(int(ch, 36) * weight for ch, weight in zip(body, _ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


@dataclass
class _Township:
    """A township or street federation with what naming and placing employers need."""

    organisation: Organisation
    place: str  # "…镇" or "…街道"
    is_street: bool
    weight: float  # streets (urban) hold more employers than towns


@dataclass
class _Planned:
    """An employer before it is written, with what the union plan needs to know."""

    kind: str  # enterprise, shop, cooperative, institution, collective, other
    name: str
    credit_code: str
    industry: str
    ownership: str
    township: _Township
    raw_size: float
    new_form_group: str = ""
    address: str = ""
    legal_representative: str = ""
    employee_count: int = 0
    union: Organisation | None = None
    employer: Employer | None = None


@dataclass
class CountyBuilder:
    """Builds one fictional county into an empty organisation tree."""

    seed: int
    scale: int
    progress: Progress | None = None
    today: datetime.date | None = None
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    workforce: WorkforceSummary = field(init=False)

    def __post_init__(self):
        self.today = self.today or timezone.localdate()
        self.rng = random.Random(self.seed)
        self.fake = Faker("zh_CN")
        self.fake.seed_instance(self.seed)
        self._joint: dict[str, Organisation] = {}
        self._places: set[str] = set()
        self._names: set[str] = set()
        self._employer_codes: set[str] = set()
        self._union_codes: set[str] = set()
        self._grassroots = 0

    # --- the build ----------------------------------------------------------

    def build(self) -> Organisation:
        """Write the county and return its federation (the root of the tree)."""
        self.stem = self._place()
        self.county_name = self.stem + "县"
        # A real county-level code (GB/T 2260), so that the workers' ID numbers
        # pass the region check; the county's name and places stay fictional.
        self.county_division = self.rng.choice(known_county_codes())
        self.city_division = self.county_division[:4] + "00"

        root = self._organisation("C", self.county_name + "总工会", OrgKind.COUNTY, None)
        self._insert([root])
        townships = self._townships(root)
        industry = {
            code: self._organisation(code, self.county_name + name, OrgKind.INDUSTRY, root)
            for code, name, _sections in words.INDUSTRY_UNIONS
        }
        self._insert([*(township.organisation for township in townships), *industry.values()])
        self._say(
            _("%(county)s: %(n)d townships and streets")
            % {"county": self.county_name, "n": len(townships)}
        )

        planned = self._plan_employers(townships)
        self._size(planned)
        unions = self._cover(root, townships, industry, planned)
        self._insert(unions)
        self._say(_("%(n)d grassroots and joint unions") % {"n": len(unions)})
        self._insert_employers(planned)
        self.workforce = self._workforce(planned, unions).build()
        return root

    def _say(self, message: str) -> None:
        if self.progress:
            self.progress(message)

    # --- names and codes ------------------------------------------------------

    def _place(self) -> str:
        """A two-character place name made of pieces of two Faker place names.

        Names that exist in Faker's lists of real places are refused, so the
        county and its townships are fictional.
        """
        while True:
            first, second = self.fake.district(), self.fake.city_name()
            stem = first[0] + second[-1] if self.rng.random() < 0.5 else second[0] + first[-1]
            if (
                stem[0] != stem[1]
                and not set(stem) & words.ADMINISTRATIVE_CHARACTERS
                and stem not in _REAL_PLACES
                and stem not in self._places
            ):
                self._places.add(stem)
                return stem

    def _brand(self) -> str:
        return "".join(self.rng.sample(words.BRAND_CHARACTERS, 2))

    def _unique_name(self, make: Callable[[], str]) -> str:
        for _attempt in range(100):
            name = make()
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("no unique employer name after 100 attempts")

    def _organisation_code(self, modern: bool) -> str:
        # Codes issued since 2015 start "MA"; older ones are eight digits.
        if modern:
            body = "MA" + "".join(self.rng.choices(ALPHABET, k=6))
        else:
            body = f"{self.rng.randrange(10**8):08d}"
        return body + organisation_code_check(body)

    def _division(self) -> str:
        draw = self.rng.random()
        if draw < 0.88:
            return self.county_division
        if draw < 0.97:
            return self.city_division
        return self.rng.choice(known_county_codes())[:4] + "00"

    def _employer_credit_code(self, prefix: str) -> str:
        modern = prefix[0] == "9" and self.rng.random() < 0.5
        while True:
            code = make_credit_code(prefix + self._division() + self._organisation_code(modern))
            if code not in self._employer_codes:
                self._employer_codes.add(code)
                return validate_credit_code(code)

    def _union_credit_code(self) -> str:
        while True:
            body = f"{self.rng.randrange(10**8):08d}"
            code = make_credit_code(
                UNION_PREFIX + self.county_division + body + organisation_code_check(body)
            )
            if code not in self._union_codes:
                self._union_codes.add(code)
                return validate_union_credit_code(code)

    def _address(self, township_name: str) -> str:
        return (
            f"{self.county_name}{township_name}{self.fake.street_name()}"
            f"{self.rng.randint(1, 300)}号"
        )

    def _date(self, first_year: int, last_year: int) -> datetime.date:
        start = datetime.date(first_year, 1, 1)
        days = (datetime.date(last_year, 12, 31) - start).days
        return start + datetime.timedelta(days=self.rng.randint(0, days))

    # --- organisations --------------------------------------------------------

    def _organisation(
        self,
        code: str,
        name: str,
        kind: str,
        parent: Organisation | None,
        *,
        credit: bool = True,
        address: str = "",
        founded: tuple[int, int] = (1980, 2010),
    ) -> Organisation:
        code_validator(code)
        return Organisation(
            code=code,
            name=name,
            kind=kind,
            parent=parent,
            credit_code=self._union_credit_code() if credit else None,
            address=address or self._address(""),
            contact_name=self.fake.name(),
            contact_phone=self.fake.phone_number(),
            founded_on=self._date(*founded),
        )

    def _insert(self, organisations: list[Organisation]) -> None:
        """Write one level of the tree, then give each row its materialised path.

        Parents are always written in an earlier call, so their paths are known.
        """
        Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
        for organisation in organisations:
            parent = organisation.parent
            organisation.path = (parent.path if parent else "") + path_segment(organisation.pk)
            organisation.depth = parent.depth + 1 if parent else 0
        Organisation.objects.bulk_update(organisations, ["path", "depth"], batch_size=500)

    def _townships(self, root: Organisation) -> list[_Township]:
        # Streets (街道) first: the county seat is the first of them.
        streets = self.rng.randint(3, 5)
        townships = []
        for number in range(1, TOWNSHIPS + 1):
            is_street = number <= streets
            place = self._place() + ("街道" if is_street else "镇")
            organisation = self._organisation(
                f"T{number:02d}",
                place + "总工会",
                OrgKind.TOWNSHIP,
                root,
                address=self._address(place),
            )
            weight = self.rng.uniform(1.5, 2.5) if is_street else self.rng.uniform(0.5, 1.5)
            townships.append(_Township(organisation, place, is_street, weight))
        return townships

    # --- employers ------------------------------------------------------------

    def _plan_employers(self, townships: list[_Township]) -> list[_Planned]:
        total = max(MIN_EMPLOYERS, round(self.scale / WORKERS_PER_EMPLOYER))
        planned = self._institutions(townships, total)
        weights = [township.weight for township in townships]
        towns = [township for township in townships if not township.is_street]
        makers = (
            (self._enterprise, 0.72),
            (self._shop, 0.23),
            (self._cooperative, 0.025),
            (self._collective, 0.015),
            (self._other, 0.01),
        )
        kinds = [maker for maker, _weight in makers]
        kind_weights = [weight for _maker, weight in makers]
        for number in range(len(planned), total):
            maker = self.rng.choices(kinds, kind_weights)[0]
            if maker in (self._cooperative, self._collective):
                township = self.rng.choice(towns)
            else:
                township = self.rng.choices(townships, weights)[0]
            plan = maker(township)
            plan.address = self._address(township.place)
            plan.legal_representative = self.fake.name()
            planned.append(plan)
            if (number + 1) % 10000 == 0:
                self._say(
                    _("planned %(done)d of %(total)d employers")
                    % {"done": number + 1, "total": total}
                )
        return planned

    def _institutions(self, townships: list[_Township], total: int) -> list[_Planned]:
        """Public institutions: the county's own first, then a shuffled share of the townships'."""
        seat = townships[0]
        candidates = [
            (self.county_name + name, section, sizes, seat)
            for name, section, sizes in words.COUNTY_INSTITUTIONS
        ]
        local = [
            (township.place + name, section, sizes, township)
            for township in townships
            for name, section, sizes in words.TOWNSHIP_INSTITUTIONS
        ]
        self.rng.shuffle(local)
        candidates += local
        wanted = min(len(candidates), max(6, round(total * 0.03)))
        planned = []
        for name, section, (low, high), township in candidates[:wanted]:
            self._names.add(name)
            planned.append(
                _Planned(
                    kind="institution",
                    name=name,
                    credit_code=self._employer_credit_code("12"),
                    industry=section,
                    ownership=Ownership.PUBLIC,
                    township=township,
                    raw_size=self.rng.randint(low, high),
                    address=self._address(township.place),
                    legal_representative=self.fake.name(),
                )
            )
        return planned

    def _enterprise(self, township: _Township) -> _Planned:
        sections = words.ENTERPRISE_SECTIONS
        section = self.rng.choices(list(sections), list(sections.values()))[0]
        public = self.rng.random() < 0.05
        place = self.stem if public or self.rng.random() < 0.3 else township.place[:2]
        trade = "" if section == "I" else self.rng.choice(words.TRADES[section])
        if section == "I":
            name = self._unique_name(lambda: place + self.fake.company())
        else:
            name = self._unique_name(
                lambda: place + self._brand() + trade + self.rng.choice(words.COMPANY_FORMS)
            )
        return _Planned(
            kind="enterprise",
            name=name,
            credit_code=self._employer_credit_code("91"),
            industry=section,
            ownership=Ownership.PUBLIC if public else Ownership.NON_PUBLIC,
            township=township,
            # Firm sizes are heavy-tailed: median about ten, a few with thousands.
            raw_size=min(self.rng.lognormvariate(2.3, 1.25), 5000),
            new_form_group=words.NEW_FORM_TRADES.get(trade, ""),
        )

    def _shop(self, township: _Township) -> _Planned:
        sections = words.SHOP_SECTIONS
        section = self.rng.choices(list(sections), list(sections.values()))[0]
        shop = self.rng.choice(words.SHOPS[section])

        def make() -> str:
            owner = self.fake.last_name() + "记" if self.rng.random() < 0.3 else self._brand()
            return township.place[:2] + owner + shop

        return _Planned(
            kind="shop",
            name=self._unique_name(make),
            credit_code=self._employer_credit_code("92"),
            industry=section,
            ownership=Ownership.NON_PUBLIC,
            township=township,
            raw_size=self.rng.randint(1, 8),
            new_form_group=words.NEW_FORM_TRADES.get(shop, ""),
        )

    def _cooperative(self, township: _Township) -> _Planned:
        return _Planned(
            kind="cooperative",
            name=self._unique_name(
                lambda: (
                    township.place[:2]
                    + self._brand()
                    + self.rng.choice(words.COOPERATIVE_CROPS)
                    + "专业合作社"
                )
            ),
            credit_code=self._employer_credit_code("93"),
            industry="A",
            ownership=Ownership.NON_PUBLIC,
            township=township,
            raw_size=self.rng.randint(3, 25),
        )

    def _collective(self, township: _Township) -> _Planned:
        # A village's collective economic organisation (GB 32100: authority N, type 2).
        return _Planned(
            kind="collective",
            name=self._unique_name(lambda: township.place + self._place() + "村股份经济合作社"),
            credit_code=self._employer_credit_code("N2"),
            industry="A",
            ownership=Ownership.PUBLIC,
            township=township,
            raw_size=self.rng.randint(2, 20),
        )

    def _other(self, township: _Township) -> _Planned:
        return _Planned(
            kind="other",
            name=self._unique_name(
                lambda: township.place + self._brand() + self.rng.choice(words.OTHER_STATIONS)
            ),
            credit_code=self._employer_credit_code("Y1"),
            industry="O",
            ownership=Ownership.NON_PUBLIC,
            township=township,
            raw_size=self.rng.randint(3, 40),
        )

    def _size(self, planned: list[_Planned]) -> None:
        """Scale the drawn sizes so that all employers together employ ``scale`` workers.

        The sum is exact (largest remainders round up) unless the scale is below
        the number of employers, each of which employs at least one person.
        """
        factor = self.scale / sum(plan.raw_size for plan in planned)
        shares = [plan.raw_size * factor for plan in planned]
        counts = [max(1, int(share)) for share in shares]
        short = self.scale - sum(counts)
        by_remainder = sorted(range(len(planned)), key=lambda i: (counts[i] - shares[i], i))
        for i in by_remainder[: max(0, short)]:
            counts[i] += 1
        for plan, count in zip(planned, counts, strict=True):
            plan.employee_count = count

    # --- coverage ---------------------------------------------------------------

    def _cover(
        self,
        root: Organisation,
        townships: list[_Township],
        industry: dict[str, Organisation],
        planned: list[_Planned],
    ) -> list[Organisation]:
        """Decide which union covers each employer and make the unions.

        Large employers mostly have their own grassroots union; small ones join
        their township's joint union or, for the new business forms, the joint
        union of their group; about a third stay without a union (未建会).
        """
        unions: list[Organisation] = []
        joint = self._joint
        for number, township in enumerate(townships, start=1):
            joint[township.place] = self._organisation(
                f"J{number:02d}",
                township.place + "联合工会",
                OrgKind.JOINT,
                township.organisation,
                credit=self.rng.random() < 0.8,
                address=township.organisation.address,
                founded=(2008, 2020),
            )
            unions.append(joint[township.place])
        new_forms = {}
        for key, group, code, parent_code in words.NEW_FORM_GROUPS:
            new_forms[key] = self._organisation(
                code,
                self.county_name + group + "联合工会",
                OrgKind.JOINT,
                industry[parent_code] if parent_code else root,
                founded=(2018, 2024),
            )
            unions.append(new_forms[key])
        industry_of = {
            section: industry[code]
            for code, _name, sections in words.INDUSTRY_UNIONS
            for section in sections
        }

        # The two largest enterprises of the first street always have their own
        # union, so the demo always has two sibling grassroots unions to show.
        seat = townships[0]
        enterprises = [plan for plan in planned if plan.kind == "enterprise"]
        anchored = sorted(
            enterprises, key=lambda plan: (plan.township is not seat, -plan.employee_count)
        )[:2]
        for plan in anchored:
            if plan.township is not seat:
                plan.township = seat
                plan.address = self._address(seat.place)
        anchored_ids = {id(plan) for plan in anchored}

        for plan in planned:
            anchored_here = id(plan) in anchored_ids
            cover = "own" if anchored_here else self._coverage(plan)
            if cover == "own":
                parent = plan.township.organisation
                section_union = industry_of.get(plan.industry)
                if (
                    section_union
                    and not anchored_here
                    and (plan.kind == "institution" or self.rng.random() < 0.25)
                ):
                    parent = section_union
                plan.union = self._grassroots_union(plan, parent)
                unions.append(plan.union)
            elif cover == "joint":
                if plan.new_form_group and self.rng.random() < 0.6:
                    plan.union = new_forms[plan.new_form_group]
                else:
                    plan.union = joint[plan.township.place]
        return unions

    def _coverage(self, plan: _Planned) -> str:
        draw = self.rng.random()
        if plan.kind == "institution":
            return "own" if draw < 0.95 else ""
        if plan.kind in ("shop", "collective"):
            return "joint" if draw < 0.55 else ""
        size = plan.employee_count
        own, joint = (0.85, 0.03) if size >= 100 else (0.45, 0.20) if size >= 25 else (0.02, 0.63)
        if draw < own:
            return "own"
        if draw < own + joint:
            return "joint"
        return ""

    def _grassroots_union(self, plan: _Planned, parent: Organisation) -> Organisation:
        self._grassroots += 1
        return self._organisation(
            f"G{self._grassroots:05d}",
            plan.name + "工会",
            OrgKind.GRASSROOTS,
            parent,
            credit=self.rng.random() < 0.6,
            address=plan.address,
            founded=(1995, 2024),
        )

    def _insert_employers(self, planned: list[_Planned]) -> None:
        for start in range(0, len(planned), BATCH_SIZE):
            batch = planned[start : start + BATCH_SIZE]
            for plan in batch:
                plan.employer = Employer(
                    credit_code=plan.credit_code,
                    name=plan.name,
                    industry=plan.industry,
                    ownership=plan.ownership,
                    employee_count=plan.employee_count,
                    township=plan.township.organisation,
                    union=plan.union,
                    address=plan.address,
                    legal_representative=plan.legal_representative,
                )
            Employer.objects.bulk_create([plan.employer for plan in batch])
            self._say(
                _("wrote %(done)d of %(total)d employers")
                % {"done": start + len(batch), "total": len(planned)}
            )

    # --- workers --------------------------------------------------------------------

    def _workforce(self, planned: list[_Planned], unions: list[Organisation]) -> WorkforceBuilder:
        """The workers of every employer, as many as it employs (``workers`` module)."""
        workers = apportion(self.scale, [plan.employee_count for plan in planned])
        workplaces = [
            Workplace(
                employer_id=plan.employer.pk,
                township_id=plan.township.organisation.pk,
                township_joint=self._joint[plan.township.place],
                industry=plan.industry,
                union=plan.union,
                new_form_group=plan.new_form_group,
                workers=count,
            )
            for plan, count in zip(planned, workers, strict=True)
        ]
        return WorkforceBuilder(
            seed=self.seed,
            workplaces=workplaces,
            unions=unions,
            regions=self._birth_regions(),
            today=self.today,
            progress=self.progress,
        )

    def _birth_regions(self) -> list[tuple[str, float]]:
        """Division codes of the workers' ID numbers (where they were first registered).

        Most were born in the county, some elsewhere in its city or province,
        a few in other provinces: all codes the region check knows.
        """
        codes = known_county_codes()
        county = self.county_division
        near = [c for c in codes if c[:4] == county[:4] and c != county]
        near = near or [c for c in codes if c[:2] == county[:2] and c != county]
        regions = [(county, 70.0)]
        regions += [(code, 3.0) for code in self.rng.sample(near, min(5, len(near)))]
        provinces = sorted({c[:2] for c in codes} - {county[:2]})
        for province in self.rng.sample(provinces, 6):
            regions.append((self.rng.choice([c for c in codes if c[:2] == province]), 2.5))
        return regions
