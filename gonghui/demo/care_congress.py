"""The demo county's workers' congresses and open factory affairs (厂务公开).

A share of the unionised employers above a size hold congresses: a term's
delegates drawn from the employer's own workers (managers, front-line workers,
women by their files, a few dispatched workers; a few employers with too many
managers), a session a year with its attendance (now and then below the two
thirds that make it valid), proposals with their handling and replies, and
resolutions passed and failed by the rules of ``congress.models``. A few
employers are overdue: their last session is more than a year old. Rows are
written in bulk; the outcomes are computed by the same rule functions the
services use, so the database's check constraints hold by construction.
"""

from __future__ import annotations

import datetime
from collections import defaultdict

from faker.providers.person.zh_CN import Provider as NameProvider

from gonghui.congress.models import (
    Attendance,
    CongressSession,
    Delegate,
    Disclosure,
    DisclosureTopic,
    Proposal,
    ProposalStatus,
    Resolution,
    has_majority,
    has_quorum,
)
from gonghui.orgs.models import Employer
from gonghui.people.models import Person

from .care import BATCH_SIZE, CareSummary, CareWorld

#: Employers of at least this many workers are expected to hold a congress here.
MIN_EMPLOYEES = 100
#: The share of those that do, and at most how many (the demo stays quick at a million).
CONGRESS_SHARE = 0.6
MAX_EMPLOYERS = 300
#: At least this many employers hold one, the largest unionised first, in a small demo.
MIN_EMPLOYERS = 12
OVERDUE_SHARE = 0.15
#: Employers whose managers are more than the fifth of delegates the rules allow.
MANAGER_HEAVY_SHARE = 0.08
BELOW_QUORUM_SHARE = 0.06
YEARS = 3

PROPOSALS = [
    ("增设职工休息室", "生产车间缺少休息场所，建议增设职工休息室。", "行政部"),
    ("改善食堂伙食", "建议增加晚班职工的夜宵供应。", "后勤部"),
    ("夏季高温津贴按时发放", "建议高温津贴随当月工资发放。", "人力资源部"),
    ("完善劳动防护用品", "建议为一线职工更换防护手套和口罩。", "安全环保部"),
    ("开展技能培训", "建议每季度组织一次岗位技能培训。", "人力资源部"),
    ("增加班车线路", "建议增开通往城区的职工班车。", "行政部"),
]
REPLIES = [
    "已采纳，并于本季度落实。",
    "已列入年度计划，分步实施。",
    "经研究，部分采纳，已向提案人说明。",
]
RESOLUTIONS = [
    "关于年度工资调整方案的决议",
    "关于职工福利费使用办法的决议",
    "关于集体合同草案的决议",
    "关于行政工作报告的决议",
    "关于劳动安全卫生专项方案的决议",
]
DISCLOSURES = {
    DisclosureTopic.WAGES: "本季度工资总额及调整情况",
    DisclosureTopic.SOCIAL_INSURANCE: "社会保险和住房公积金缴纳情况",
    DisclosureTopic.SAFETY: "安全生产检查及隐患整改情况",
    DisclosureTopic.FINANCE: "年度财务预决算情况",
    DisclosureTopic.BUSINESS: "重大经营决策事项",
    DisclosureTopic.WELFARE: "职工福利费使用情况",
}


def _chosen_employers(world: CareWorld) -> list[tuple[int, int]]:
    employers = list(
        Employer.objects.filter(township_id__in=world.townships, union__isnull=False)
        .order_by("pk")
        .values_list("pk", "employee_count")
    )
    chosen = [
        e for e in employers if e[1] >= MIN_EMPLOYEES and world.rng.random() < CONGRESS_SHARE
    ][:MAX_EMPLOYERS]
    if len(chosen) < MIN_EMPLOYERS:
        taken = {pk for pk, _count in chosen}
        largest = sorted((e for e in employers if e[0] not in taken), key=lambda e: (-e[1], e[0]))
        chosen += largest[: MIN_EMPLOYERS - len(chosen)]
    return chosen


def _workers(employer_ids: list[int], most: int) -> dict[int, list[tuple[int, str, str]]]:
    """Up to ``most`` workers with a file at each employer: (id, name, gender)."""
    found: dict[int, list] = defaultdict(list)
    rows = (
        Person.objects.filter(employer_id__in=employer_ids)
        .order_by("employer_id", "pk")
        .values_list("employer_id", "pk", "name", "gender")
    )
    for employer_id, pk, name, gender in rows.iterator(chunk_size=20_000):
        if len(found[employer_id]) < most:
            found[employer_id].append((pk, name, gender))
    return found


def build_congress(world: CareWorld, summary: CareSummary) -> None:
    rng, today = world.rng, world.today
    chosen = _chosen_employers(world)
    if not chosen:
        return
    workers = _workers([pk for pk, _count in chosen], most=60)
    delegates: list[Delegate] = []
    disclosures: list[Disclosure] = []
    sessions: list[CongressSession] = []
    plans = []  # (employer_id, its delegates, its sessions)
    overdue = 0
    for position, (employer_id, employee_count) in enumerate(chosen):
        term = rng.randint(1, 5)
        elected_on = today - datetime.timedelta(days=rng.randint(400, 1000))
        size = max(7, min(40, employee_count // 20))
        pool = list(workers.get(employer_id, []))
        rng.shuffle(pool)
        manager_share = 0.3 if rng.random() < MANAGER_HEAVY_SHARE else 0.12
        own = []
        for index in range(size):
            if index < len(pool):
                person_id, name, gender = pool[index]
            else:  # more seats than workers with a file: a delegate named only
                person_id, gender = None, rng.choice("MF")
                name = rng.choice(NameProvider.last_names) + rng.choice(NameProvider.first_names)
            manager = rng.random() < manager_share
            own.append(
                Delegate(
                    employer_id=employer_id,
                    term=term,
                    person_id=person_id,
                    name=name,
                    manager=manager,
                    frontline=not manager and rng.random() < 0.8,
                    woman=gender == "F",
                    dispatched=not manager and rng.random() < 0.05,
                    elected_on=elected_on,
                )
            )
        delegates.extend(own)
        # Every seventh is overdue besides the drawn ones, so a small demo shows one too.
        late = position % 7 == 3 or rng.random() < OVERDUE_SHARE
        overdue += late
        # One session a year; an overdue employer's latest is 13 to 30 months old.
        last = today - datetime.timedelta(
            days=rng.randint(400, 900) if late else rng.randint(10, 300)
        )
        days = sorted(
            max(elected_on, last - datetime.timedelta(days=365 * n)) for n in range(YEARS)
        )
        days = sorted(set(days))
        own_sessions = [
            CongressSession(
                employer_id=employer_id,
                term=term,
                number=number,
                held_on=day,
                place=rng.choice(["职工活动中心", "公司会议室", "多功能厅"]),
                created_by=world.default_user,
            )
            for number, day in enumerate(days, start=1)
        ]
        sessions.extend(own_sessions)
        plans.append((employer_id, own, own_sessions))
        for _n in range(rng.randint(2, 6)):
            topic = rng.choice(list(DISCLOSURES))
            day = today - datetime.timedelta(days=rng.randint(5, 360))
            disclosures.append(
                Disclosure(
                    employer_id=employer_id,
                    topic=topic,
                    period=f"{day.year}年第{(day.month - 1) // 3 + 1}季度",
                    text=DISCLOSURES[topic],
                    disclosed_on=day,
                    created_by=world.default_user,
                )
            )
    Delegate.objects.bulk_create(delegates, batch_size=BATCH_SIZE)
    CongressSession.objects.bulk_create(sessions, batch_size=BATCH_SIZE)
    Disclosure.objects.bulk_create(disclosures, batch_size=BATCH_SIZE)

    attendances, proposals, resolutions = [], [], []
    #: (merged proposal, the proposal of its session it joined), linked once both have keys.
    merges = []
    for _employer_id, own, own_sessions in plans:
        total = len(own)
        for session in own_sessions:
            share = (
                rng.uniform(0.5, 0.64) if rng.random() < BELOW_QUORUM_SHARE else rng.uniform(0.8, 1)
            )
            present = rng.sample(own, max(1, round(total * share)))
            attendances.extend(Attendance(session=session, delegate=d) for d in present)
            joinable = []
            for title, text, department in rng.sample(PROPOSALS, rng.randint(1, 3)):
                proposer = rng.choice(own)
                submitted = session.held_on
                age = (today - submitted).days
                if age > 120:
                    status = ProposalStatus.REPLIED
                else:
                    status = rng.choice(list(ProposalStatus))
                if status == ProposalStatus.MERGED and not joinable:
                    # A merge joins an earlier proposal of the same session.
                    status = ProposalStatus.ACCEPTED
                replied = status == ProposalStatus.REPLIED
                proposal = Proposal(
                    session=session,
                    proposer=proposer,
                    title=title,
                    text=text,
                    department=department if status != ProposalStatus.SUBMITTED else "",
                    status=status,
                    reply=rng.choice(REPLIES) if replied else "",
                    submitted_on=submitted,
                    replied_on=min(today, submitted + datetime.timedelta(days=rng.randint(20, 90)))
                    if replied
                    else None,
                )
                proposals.append(proposal)
                if status == ProposalStatus.MERGED:
                    # The session's first: no draw, so the rest of the demo stays as it was.
                    merges.append((proposal, joinable[0]))
                else:
                    joinable.append(proposal)
            for title in rng.sample(RESOLUTIONS, rng.randint(1, 3)):
                cast = len(present) - rng.randint(0, min(2, len(present) - 1))
                # Most pass; some fail for want of a majority of all delegates.
                votes_for = (
                    rng.randint(total // 2 + 1, cast)
                    if rng.random() < 0.85 and cast > total // 2
                    else rng.randint(0, min(cast, total // 2))
                )
                against = rng.randint(0, cast - votes_for)
                resolutions.append(
                    Resolution(
                        session=session,
                        title=title,
                        votes_for=votes_for,
                        votes_against=against,
                        votes_abstain=cast - votes_for - against,
                        delegates_total=total,
                        delegates_present=len(present),
                        passed=has_quorum(len(present), total) and has_majority(votes_for, total),
                        created_by=world.default_user,
                    )
                )
    Attendance.objects.bulk_create(attendances, batch_size=BATCH_SIZE)
    Proposal.objects.bulk_create(proposals, batch_size=BATCH_SIZE)
    for merged, joined in merges:
        merged.merged_into = joined
    Proposal.objects.bulk_update([m for m, _j in merges], ["merged_into"], batch_size=BATCH_SIZE)
    Resolution.objects.bulk_create(resolutions, batch_size=BATCH_SIZE)
    summary.congress_employers = len(chosen)
    summary.congress_overdue = overdue
    summary.congress_delegates = len(delegates)
    summary.congress_sessions = len(sessions)
    summary.congress_proposals = len(proposals)
    summary.congress_resolutions = len(resolutions)
    summary.congress_disclosures = len(disclosures)
