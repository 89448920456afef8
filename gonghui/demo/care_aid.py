"""The demo county's aid: the standard programmes, four years of campaigns and funds,
past applications (about one for every five workers, mostly paid) and the
current year's applications in every state.

Each application carries the steps ``aid.services`` would have written on its
way (submitted, approved level by level up the tree, finally approved,
paid; or returned, rejected, cancelled) and the fund moves through the same
ledger rows: a reservation on the final approval, a spending on payment, a
release on cancelling. The balances of every fund are set from those rows
once all are written, and every budget leaves room for what still waits.

An application's organisation, approval chain and fund follow the rules of
``aid.services`` (``approval_chain``, the nearest fund at or above the
applicant's organisation); a person gets at most one application of a
programme in a year, so the one-grant constraint holds whatever the state.
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, Decimal

from django.db.models import F

from gonghui.aid.duties import no_decider_reason
from gonghui.aid.models import (
    BANK_ACCOUNT_CONTEXT,
    AidApplication,
    AidStep,
    Campaign,
    Consent,
    Fund,
    FundEntry,
    Payment,
    PrivacyNotice,
    Programme,
    bank_account_hash,
)
from gonghui.aid.notices import ensure_first_notices
from gonghui.aid.vocabularies import (
    DEFAULT_FACTS,
    AidStatus,
    CampaignStatus,
    ConsentKind,
    DiagnosisCategory,
    EntryKind,
    ProgrammeKind,
    StepAction,
)
from gonghui.core.crypto import encrypt, keyring

from . import vocabulary as words
from .care import BATCH_SIZE, CareSummary, CareWorld, insert_rows
from .care_needy import NeedyWorld

#: Past applications per worker, over all past years together.
PAST_SHARE = 0.2
PAST_YEARS = 3
#: The current year's applications per worker, and the fewest of a small county.
CURRENT_SHARE = 0.025
MIN_CURRENT = 400
#: Applications waiting for the county's decision (a bulk approval has them to work on).
AWAITING_COUNTY_SHARE = 0.0012
MIN_AWAITING_COUNTY = 40
#: Share of the filed needy workers helped by 帮扶救助 in a past year and in this one.
ASSISTED_PAST = 0.8
ASSISTED_NOW = 0.5
#: Besides 帮扶救助, how the applications divide among the programmes.
KIND_WEIGHTS = {ProgrammeKind.WINTER: 45, ProgrammeKind.EDUCATION: 35, ProgrammeKind.ILLNESS: 20}
PAST_OUTCOMES = {"paid": 89, "rejected": 9, "cancelled": 2}
CURRENT_STATES = {
    "draft": 8,
    "first": 10,
    "middle": 8,
    "returned": 5,
    "approved": 15,
    "paid": 48,
    "rejected": 6,
}
#: Share of final approvals that reduced the amount asked.
REDUCED = 0.15
#: Share of the needy workers helped by 帮扶救助 this year who also receive 冬送温暖.
ALSO_WINTER = 0.3
#: Share of this year's applications that give a bank account someone else gave too.
SHARED_ACCOUNT = 0.01
RETURN_COMMENTS = ("请补充收入证明材料", "请补充医疗费用发票", "请补充录取通知书复印件")
REJECT_COMMENTS = ("家庭人均收入超过标准", "不符合本项目申请条件", "材料不实")
CANCEL_COMMENTS = ("申请人已调离本县", "申请人主动放弃")
CHUNK = 20_000
CENT = Decimal("0.01")


@dataclass
class _Plan:
    """One application to write, with its steps and ledger rows."""

    application: AidApplication
    #: (action, level id, user id, at, amount, comment): ``AidStep`` rows but the application.
    steps: list[tuple] = field(default_factory=list)
    #: (fund id, kind, amount, user id, at): ``FundEntry`` rows but the application.
    entries: list[tuple] = field(default_factory=list)
    payment: Payment | None = None
    #: For an education grant: the applicant, whose surname the child's name takes.
    child_of: int | None = None


class _AidBuilder:
    def __init__(self, world: CareWorld, summary: CareSummary, needy: NeedyWorld):
        self.world = world
        self.rng = world.rng
        self.summary = summary
        self.needy = needy
        self.users = world.users
        self.clerk = world.users["aid_clerk"]
        self.admin = world.users["admin"]
        self.staff = world.users["county_staff"]
        self.fund_orgs = {world.root.pk, *world.townships}
        self.accounts: dict[int, tuple[str, str]] = {}
        self.ring = keyring()
        self.account_hashes: dict[str, str] = {}
        self.consents: dict[tuple[int, str], datetime.datetime] = {}
        self.balances: dict[int, list[Decimal]] = defaultdict(
            lambda: [Decimal("0.00"), Decimal("0.00"), Decimal("0.00")]
        )  # reserved, spent, still to decide
        self.person_org = dict(zip(world.person_ids, world.person_orgs, strict=True))
        self.current_accounts: list[tuple[int, str, str]] = []
        self._chunk: list[_Plan] = []

    # --- programmes, campaigns, funds --------------------------------------------------

    def programmes(self) -> dict[str, Programme]:
        found = {}
        for name, kind, cap, income, share, needy_only, dual in words.AID_PROGRAMMES:
            programme, _created = Programme.objects.get_or_create(
                name=name,
                defaults={
                    "kind": kind,
                    "max_amount": Decimal(cap) if cap else None,
                    "income_threshold": Decimal(income) if income else None,
                    "medical_share": Decimal(share) if share else None,
                    "needy_only": needy_only,
                    "dual_approval_above": Decimal(dual) if dual else None,
                    "required_facts": [str(f) for f in DEFAULT_FACTS.get(kind, [])],
                },
            )
            found[kind] = programme
        return found

    def campaigns(self, programmes: dict[str, Programme]) -> None:
        world = self.world
        years = range(world.year - PAST_YEARS, world.year + 1)
        campaigns = [
            Campaign(
                programme=programme,
                year=year,
                organisation=world.root,
                starts_on=datetime.date(year, 1, 1),
                ends_on=datetime.date(year, 12, 31),
                status=CampaignStatus.OPEN if year == world.year else CampaignStatus.CLOSED,
            )
            for programme in programmes.values()
            for year in years
        ]
        Campaign.objects.bulk_create(campaigns)
        # Keyed by the vocabulary's kind: a programme of that name made by staff may differ.
        kind_of = {programme.pk: kind for kind, programme in programmes.items()}
        self.campaign = {(kind_of[c.programme_id], c.year): c for c in campaigns}
        funds = [
            Fund(campaign=campaign, organisation_id=org, budget=Decimal("0.00"))
            for campaign in campaigns
            for org in [world.root.pk, *world.townships]
        ]
        Fund.objects.bulk_create(funds, batch_size=BATCH_SIZE)
        self.funds = {(fund.campaign_id, fund.organisation_id): fund for fund in funds}
        self.summary.programmes = len(programmes)
        self.summary.campaigns = len(campaigns)
        self.summary.funds = len(funds)

    # --- who applies ---------------------------------------------------------------------

    def _draw(self, used: set[int], count: int, pool: list[int] | None = None) -> list[int]:
        """``count`` people not in ``used`` (from ``pool`` or the whole county)."""
        picked = []
        if pool is not None:
            free = [pk for pk in pool if pk not in used]
            picked = self.rng.sample(free, min(count, len(free)))
        else:
            ids = self.world.person_ids
            limit = len(ids) - len(used)
            while len(picked) < min(count, limit):
                pk = ids[self.world.person_index()]
                if pk not in used:
                    used.add(pk)
                    picked.append(pk)
        used.update(picked)
        return picked

    def _split(self, total: int) -> dict[str, int]:
        kinds = list(KIND_WEIGHTS)
        weights = list(KIND_WEIGHTS.values())
        whole = sum(weights)
        counts = {
            kind: total * weight // whole for kind, weight in zip(kinds, weights, strict=True)
        }
        counts[kinds[0]] += total - sum(counts.values())
        return counts

    # --- the build -----------------------------------------------------------------------

    def build(self) -> None:
        world = self.world
        programmes = self.programmes()
        self.campaigns(programmes)
        people = len(world.person_ids)
        past_total = round(people * PAST_SHARE)
        for number, year in enumerate(range(world.year - PAST_YEARS, world.year)):
            per_year = past_total // PAST_YEARS + (
                past_total % PAST_YEARS if number == PAST_YEARS - 1 else 0
            )
            active = self.needy.active.get(year, [])
            assisted = min(per_year, round(len(active) * ASSISTED_PAST))
            used: set[int] = set()
            for pk in self._draw(used, assisted, active):
                self._add(ProgrammeKind.ASSISTANCE, year, pk, self._past_state())
            for kind, count in self._split(per_year - assisted).items():
                used = set()
                for pk in self._draw(used, count):
                    self._add(kind, year, pk, self._past_state())
            self.summary.past_applications += per_year
            world.say(f"{year}: {per_year} aid applications")
        self._current()
        self._flush()
        self._finish()

    def _past_state(self) -> str:
        return self.rng.choices(list(PAST_OUTCOMES), list(PAST_OUTCOMES.values()))[0]

    def _current(self) -> None:
        world, rng = self.world, self.rng
        year = world.year
        people = len(world.person_ids)
        total = max(MIN_CURRENT, round(people * CURRENT_SHARE))
        awaiting_county = max(MIN_AWAITING_COUNTY, round(people * AWAITING_COUNTY_SHARE))
        plans: list[tuple[str, int, str | None]] = []
        used: dict[str, set[int]] = defaultdict(set)
        # The precision flags of aid: a needy worker whose file exited, someone with no
        # file at all, a household with a spouse helped already, a shared account.
        filed_now = set(self.needy.active.get(year, []))
        exited_now = [pk for pk in self.needy.exited if pk not in filed_now]
        for pk in self._draw(used["assistance"], max(3, len(exited_now) // 10), exited_now):
            plans.append((ProgrammeKind.ASSISTANCE, pk, rng.choice(("draft", "first"))))
        not_filed = self._draw(set(self.needy.per_capita) | set(self.needy.exited), 3)
        used["assistance"].update(not_filed)
        plans += [(ProgrammeKind.ASSISTANCE, pk, "draft") for pk in not_filed]
        active = self.needy.active.get(year, [])
        assisted = self._draw(used["assistance"], round(len(active) * ASSISTED_NOW), active)
        # At least one household helped twice, however the draw fell (the flag shows).
        if not any(needy_pk in assisted for needy_pk, _spouse in self.needy.listed):
            pool = set(active)
            assisted += self._draw(
                used["assistance"], 1, [pk for pk, _spouse in self.needy.listed if pk in pool]
            )
        for needy_pk, spouse_pk in self.needy.listed:
            if needy_pk in assisted and spouse_pk not in used["winter"]:
                used["winter"].add(spouse_pk)
                plans.append((ProgrammeKind.WINTER, spouse_pk, "paid"))
        plans += [(ProgrammeKind.ASSISTANCE, pk, None) for pk in assisted]
        for pk in assisted:
            if rng.random() < ALSO_WINTER and pk not in used["winter"]:
                used["winter"].add(pk)
                plans.append((ProgrammeKind.WINTER, pk, None))
        # Some awaiting the chairs' unions and the first township: most unions have no
        # account and pass their applications up (aid.duties), so a random draw
        # would seldom leave one waiting there.
        chairs = {world.places[name].pk for name in ("chair1", "chair2")}
        members = [pk for pk, org in self.person_org.items() if org in chairs]
        for state in ("first", "first", "middle", "middle"):
            plans += [
                (ProgrammeKind.WINTER, pk, state)
                for pk in self._draw(used[ProgrammeKind.WINTER], 1, members)
            ]
        for kind, count in self._split(max(0, total - len(plans))).items():
            plans += [(kind, pk, None) for pk in self._draw(used[kind], count)]
        rng.shuffle(plans)
        states = list(CURRENT_STATES)
        weights = list(CURRENT_STATES.values())
        counts: Counter[str] = Counter()
        for kind, pk, forced in plans:
            if forced is None and counts["county"] < awaiting_county:
                state = "county"
            else:
                state = forced or rng.choices(states, weights)[0]
            counts[state] += 1
            self._add(kind, year, pk, state)
        self.summary.current_applications = {state: counts[state] for state in sorted(counts)}
        self.summary.awaiting_county = counts["county"]

    # --- one application -------------------------------------------------------------------

    def _account(self, person_id: int) -> tuple[str, str]:
        account = self.accounts.get(person_id)
        if account is None:
            head = self.rng.choice(words.ACCOUNT_HEADS)
            number = head + "".join(str(self.rng.randrange(10)) for _ in range(13))
            account = (self.rng.choice(words.BANKS), number)
            self.accounts[person_id] = account
        return account

    def _account_columns(self, account: str) -> dict[str, str]:
        """The encrypted account and its hash, as ``aid.services`` stores them; the
        keys are read once and each account's hash computed once."""
        hashed = self.account_hashes.get(account)
        if hashed is None:
            hashed = self.account_hashes[account] = bank_account_hash(account, self.ring)
        return {
            "bank_account_encrypted": encrypt(
                account, context=BANK_ACCOUNT_CONTEXT, ring=self.ring
            ),
            "bank_account_hash": hashed,
        }

    def _facts(self, kind: str, person_id: int, year: int) -> dict:
        rng = self.rng
        if kind == ProgrammeKind.ASSISTANCE:
            income = self.needy.per_capita.get(person_id) or Decimal(rng.randrange(300, 1400))
            return {"amount": Decimal(rng.randrange(5, 31) * 100), "per_capita_income": income}
        if kind == ProgrammeKind.EDUCATION:
            stem = "".join(rng.sample(words.BRAND_CHARACTERS, 2))
            return {
                "amount": Decimal(rng.choice((1000, 1500, 2000, 3000, 5000))),
                "child_name": "",  # the surname is the applicant's: set by the caller
                "school": stem + rng.choice(words.SCHOOL_KINDS),
                "admission_year": year,
            }
        if kind == ProgrammeKind.ILLNESS:
            total = Decimal(rng.randrange(2_000_000, 30_000_000)) * CENT
            reimbursed = (total * Decimal(str(round(rng.uniform(0.4, 0.75), 3)))).quantize(CENT)
            cap = min(Decimal("30000.00"), ((total - reimbursed) * Decimal("0.5")).quantize(CENT))
            asked = (cap // 100) * 100 if cap >= 100 else cap
            return {
                "amount": asked,
                "diagnosis_category": rng.choice(DiagnosisCategory.values),
                "total_cost": total,
                "insurance_reimbursement": reimbursed,
            }
        return {"amount": Decimal(rng.choice((300, 500, 800, 1000)))}

    def _add(self, kind: str, year: int, person_id: int, state: str) -> None:
        world, rng = self.world, self.rng
        campaign = self.campaign[(kind, year)]
        organisation = self.person_org[person_id]
        full_chain = world.chain(organisation)
        chain = world.deciding_chain(organisation)
        fund_org = next(pk for pk in full_chain if pk in self.fund_orgs)
        fund = self.funds[(campaign.pk, fund_org)]
        facts = self._facts(kind, person_id, year)
        asked = facts.pop("amount")
        bank, account = self._account(person_id)
        if year == world.year and state != "draft":
            if self.current_accounts and rng.random() < SHARED_ACCOUNT:
                _other, bank, account = rng.choice(self.current_accounts)
            else:
                self.current_accounts.append((person_id, bank, account))
        application = AidApplication(
            campaign=campaign,
            programme_id=campaign.programme_id,
            year=year,
            person_id=person_id,
            organisation_id=organisation,
            status=AidStatus.DRAFT,
            amount_requested=asked,
            amount=asked,
            reason=rng.choice(words.AID_REASONS[kind]),
            bank_name=bank,
            **self._account_columns(account),
            entered_by=self.clerk,
            **facts,
        )
        plan = _Plan(application)
        self._chunk.append(plan)
        if kind == ProgrammeKind.EDUCATION:
            plan.child_of = person_id
        threshold = campaign.programme.dual_approval_above
        amount = asked
        if state in ("approved", "paid", "cancelled") and rng.random() < REDUCED:
            factor = Decimal(rng.choice(("0.7", "0.8", "0.9")))
            amount = min(asked, max(Decimal(10), (asked * factor / 10).to_integral_value() * 10))
        # How far up the chain it went, and the moves after the submission.
        last = len(chain) - 1
        reach = {
            "draft": -1,
            "first": 0,
            "middle": 1 if last >= 2 else 0,
            "county": last,
            "returned": rng.randint(0, last),
            "rejected": rng.randint(0, last),
        }.get(state, last)
        moves = max(0, reach) + (0 if state in ("first", "middle", "county", "draft") else 1)
        moves += {"paid": 1, "cancelled": 1}.get(state, 0)
        dual = threshold is not None and amount > threshold and state != "draft"
        first_county = dual and (state != "county" or rng.random() < 0.5)
        moves += 1 if first_county else 0
        gaps = [datetime.timedelta(days=rng.randint(1, 6), minutes=rng.randint(0, 300))]
        gaps += [
            datetime.timedelta(days=rng.randint(1, 8), minutes=rng.randint(0, 300))
            for _ in range(moves)
        ]
        span = sum(gaps[1:], datetime.timedelta())
        if year == world.year:
            latest = world.now - span - datetime.timedelta(hours=1)
            first = datetime.datetime(year, 1, 2, 9, tzinfo=world.tz)
            at = first + (latest - first) * rng.random() if latest > first else latest
        else:
            day = world.day_between(datetime.date(year, 1, 5), datetime.date(year, 11, 20))
            at = world.moment(day)
        at = at.replace(microsecond=0)
        if state == "draft":
            self._consent(person_id, kind, at)
            return
        application.status = AidStatus.SUBMITTED
        application.fund = fund
        application.submitted_at = at
        self._consent(person_id, kind, at)
        plan.steps.append(self._step(StepAction.SUBMIT, None, self.clerk, at, asked))
        plan.steps += self._passes(full_chain, None, chain[0], self.clerk, at)
        for index, level in enumerate(chain[: max(0, reach)]):
            at += gaps.pop()
            step_amount = amount if level == chain[0] and amount != asked else None
            by = world.level_user(level)
            plan.steps.append(self._step(StepAction.APPROVE, level, by, at, step_amount))
            plan.steps += self._passes(full_chain, level, chain[index + 1], by, at)
        application.amount = amount
        level = chain[reach] if reach >= 0 else None
        if state in ("first", "middle", "county"):
            application.current_level_id = level
            if state == "county" and first_county:
                at += gaps.pop()
                application.first_county_approver = self.staff
                plan.steps.append(
                    self._step(StepAction.FIRST_APPROVAL, level, self.staff, at, application.amount)
                )
            self.balances[fund.pk][2] += application.amount
            return
        if state in ("returned", "rejected"):
            at += gaps.pop()
            by = self.admin if level == world.root.pk else world.level_user(level)
            if state == "returned":
                application.status = AidStatus.RETURNED
                comment = rng.choice(RETURN_COMMENTS)
                action = StepAction.RETURN
                self.balances[fund.pk][2] += application.amount
            else:
                application.status = AidStatus.REJECTED
                application.decided_at = at
                comment = rng.choice(REJECT_COMMENTS)
                action = StepAction.REJECT
            plan.steps.append(self._step(action, level, by, at, None, comment))
            return
        root = world.root.pk
        if first_county:
            at += gaps.pop()
            application.first_county_approver = self.staff
            plan.steps.append(self._step(StepAction.FIRST_APPROVAL, root, self.staff, at, amount))
        at += gaps.pop()
        plan.steps.append(self._step(StepAction.FINAL_APPROVAL, root, self.admin, at, amount))
        plan.entries.append(self._entry(fund, EntryKind.RESERVE, amount, self.admin, at))
        application.status = AidStatus.APPROVED
        application.decided_at = at
        if state == "approved":
            self.balances[fund.pk][0] += amount
        elif state == "paid":
            at += gaps.pop()
            plan.steps.append(self._step(StepAction.PAY, None, self.staff, at, amount))
            plan.entries.append(self._entry(fund, EntryKind.SPEND, amount, self.staff, at))
            plan.payment = Payment(
                fund=fund, amount=amount, paid_by=self.staff, paid_at=at, reference=f"{at:%Y%m%d}"
            )
            application.status = AidStatus.PAID
            self.balances[fund.pk][1] += amount
        elif state == "cancelled":
            at += gaps.pop()
            comment = rng.choice(CANCEL_COMMENTS)
            plan.steps.append(self._step(StepAction.CANCEL, None, self.staff, at, None, comment))
            plan.entries.append(self._entry(fund, EntryKind.RELEASE, amount, self.staff, at))
            application.status = AidStatus.CANCELLED
        if len(self._chunk) >= CHUNK:
            self._flush()

    def _consent(self, person_id: int, kind: str, at: datetime.datetime) -> None:
        """Health and income facts come after the worker's separate consent (PIPL 第二十九条)."""
        consent = {
            ProgrammeKind.ASSISTANCE: ConsentKind.INCOME,
            ProgrammeKind.ILLNESS: ConsentKind.HEALTH,
        }.get(kind)
        if consent is None:
            return
        key = (person_id, str(consent))
        given = at - datetime.timedelta(days=1)
        if key not in self.consents or given < self.consents[key]:
            self.consents[key] = given

    def _passes(self, full_chain, after, before, by, at) -> list[tuple]:
        """The steps passing the levels of ``full_chain`` between ``after`` (None: the
        start) and ``before``, where no account may decide (``aid.duties``)."""
        start = 0 if after is None else full_chain.index(after) + 1
        return [
            self._step(
                StepAction.PASS_UP,
                level,
                by,
                at,
                None,
                no_decider_reason(self.world.organisation_name(level)),
            )
            for level in full_chain[start : full_chain.index(before)]
        ]

    @staticmethod
    def _step(action, level, by, at, amount, comment="") -> tuple:
        return (str(action), level, by.pk, at, amount, comment)

    @staticmethod
    def _entry(fund, kind, amount, by, at) -> tuple:
        return (fund.pk, str(kind), amount, by.pk, at)

    # --- writing --------------------------------------------------------------------------

    def _flush(self) -> None:
        plans, self._chunk = self._chunk, []
        if not plans:
            return
        children = [plan for plan in plans if plan.child_of is not None]
        if children:
            surnames = dict(self._people_names([plan.child_of for plan in children]))
            for plan in children:
                surname = surnames.get(plan.child_of, "")[:1]
                plan.application.child_name = surname + self.rng.choice(("子涵", "欣怡", "浩然"))
        AidApplication.objects.bulk_create(
            [plan.application for plan in plans], batch_size=BATCH_SIZE
        )
        steps, entries, payments = [], [], []
        for plan in plans:
            pk = plan.application.pk
            steps += [(pk, *row) for row in plan.steps]
            entries += [(pk, *row) for row in plan.entries]
            if plan.payment is not None:
                plan.payment.application = plan.application
                payments.append(plan.payment)
        # The two largest tables are written as plain rows: model instances would
        # cost most of the build's time at a million workers.
        insert_rows(
            AidStep, ["application", "action", "level", "by", "at", "amount", "comment"], steps
        )
        insert_rows(FundEntry, ["application", "fund", "kind", "amount", "by", "at"], entries)
        Payment.objects.bulk_create(payments, batch_size=BATCH_SIZE)
        self.summary.payments += len(payments)

    def _people_names(self, ids: list[int]):
        from gonghui.people.models import Person

        for start in range(0, len(ids), 900):
            yield from Person.objects.filter(pk__in=ids[start : start + 900]).values_list(
                "pk", "name"
            )

    def _finish(self) -> None:
        world = self.world
        # Under the first notice of each kind, in force before any demo year began.
        ensure_first_notices()
        notices = {notice.kind: notice.pk for notice in PrivacyNotice.objects.in_force()}
        Consent.objects.bulk_create(
            [
                Consent(
                    person_id=person_id,
                    kind=kind,
                    notice_id=notices[kind],
                    recorded_by=self.clerk,
                    recorded_at=at,
                )
                for (person_id, kind), at in sorted(self.consents.items())
            ],
            batch_size=BATCH_SIZE,
        )
        self.summary.consents = len(self.consents)
        funds = list(self.funds.values())
        for fund in funds:
            reserved, spent, waiting = self.balances[fund.pk]
            fund.reserved, fund.spent = reserved, spent
            used = reserved + spent
            if fund.campaign.year == world.year:
                # Room for everything still waiting, and then some.
                room = (used + waiting) * Decimal("1.3") + Decimal("20000")
            elif used:
                room = used / Decimal(str(round(self.rng.uniform(0.86, 0.99), 2)))
            else:
                room = Decimal(self.rng.choice((20000, 50000, 100000)))
            fund.budget = (room / 1000).to_integral_value(rounding=ROUND_CEILING) * 1000
        Fund.objects.bulk_update(funds, ["budget", "reserved", "spent"], batch_size=500)
        # An application was entered when it was submitted (drafts: when the demo was built).
        AidApplication.objects.filter(
            campaign__in=list(self.campaign.values()), submitted_at__isnull=False
        ).update(created_at=F("submitted_at"))


def build_aid(world: CareWorld, summary: CareSummary, needy: NeedyWorld) -> None:
    _AidBuilder(world, summary, needy).build()
