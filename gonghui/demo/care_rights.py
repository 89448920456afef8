"""The demo county's rights cases: a few hundred in proportion to the workers, across
every status, the ones in hand handled by the county's ``legal_aid`` and ``mediator``
accounts, one group case, and the overdue ones flagged (and, past the delay,
escalated) by the same sweep the nightly command runs.

Written in bulk; the dates follow the lifecycle (received, accepted, assigned,
started, resolved, called back, in that order, none after today) and each case's
due day is computed on the working-day calendar as the services compute it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from gonghui.accounts.models import User
from gonghui.rights.deadlines import all_rules, due_for
from gonghui.rights.models import (
    GROUP_SIZE,
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    Case,
    CaseEvent,
    CaseKind,
    CaseStatus,
    CaseWorker,
    Category,
    Channel,
    Complexity,
    Resolution,
)
from gonghui.rights.services import rights_sweep

from .care import BATCH_SIZE

#: One case for this many workers, within the bounds below.
WORKERS_PER_CASE = 400
MIN_CASES, MAX_CASES = 40, 600
#: The shares of the statuses (the rest closed).
STATUSES = (
    (CaseStatus.RECEIVED, 12),
    (CaseStatus.ACCEPTED, 6),
    (CaseStatus.DECLINED, 6),
    (CaseStatus.ASSIGNED, 8),
    (CaseStatus.IN_MEDIATION, 14),
    (CaseStatus.IN_LEGAL_AID, 12),
    (CaseStatus.RESOLVED, 10),
    (CaseStatus.CLOSED, 32),
)
SUMMARIES = {
    Category.WAGE_ARREARS: "用人单位拖欠工资两个月未发",
    Category.INJURY: "工作中受伤，单位不申报工伤认定",
    Category.CONTRACT: "入职半年未签订书面劳动合同",
    Category.SOCIAL_INSURANCE: "单位未缴纳社会保险",
    Category.OVERTIME: "长期加班未支付加班费",
    Category.DISMISSAL: "被单位口头辞退，未支付经济补偿",
    Category.OTHER: "单位扣押身份证件",
}


def _code(rng) -> str:
    return "".join(rng.choice(TRACKING_ALPHABET) for _i in range(TRACKING_LENGTH))


def build_rights(world, summary) -> None:
    rng = world.rng
    today = world.today
    handlers = {u.username: u for u in User.objects.filter(username__in=["legal_aid", "mediator"])}
    lodger = world.users.get("county_staff") or world.default_user
    rules = all_rules()
    count = max(MIN_CASES, min(MAX_CASES, len(world.person_ids) // WORKERS_PER_CASE))
    population = [status for status, share in STATUSES for _i in range(share)]
    cases, named = [], []
    for index in range(count):
        status = population[rng.randrange(len(population))]
        kind = rng.choice(
            (CaseKind.LEGAL_AID, CaseKind.MEDIATION, CaseKind.MEDIATION, CaseKind.COMPLAINT)
        )
        category = rng.choice(list(SUMMARIES))
        complexity = rng.choice(
            (Complexity.SIMPLE, Complexity.ORDINARY, Complexity.ORDINARY, Complexity.COMPLEX)
        )
        group = index == 0
        person = world.person_index()
        workers = [world.person_ids[person]]
        if group:
            status, kind, category = (
                CaseStatus.IN_MEDIATION,
                CaseKind.MEDIATION,
                Category.WAGE_ARREARS,
            )
            workers += [world.person_ids[world.person_index()] for _i in range(4)]
            workers = list(dict.fromkeys(workers))
        received = today - datetime.timedelta(days=rng.randint(1, 150))
        case = Case(
            tracking_code=_code(rng),
            kind=kind,
            channel=rng.choice(
                (Channel.HOTLINE, Channel.HOTLINE, Channel.VISIT, Channel.LETTER, Channel.REFERRAL)
            ),
            organisation_id=world.person_townships[person],
            category=category,
            summary=SUMMARIES[category],
            amount_in_dispute=Decimal(rng.randrange(2000, 90000, 100)),
            workers_involved=rng.randint(GROUP_SIZE + 2, 40) if group else len(workers),
            complexity=complexity,
            status=status,
            lodged_by=lodger,
            received_at=world.moment(received),
        )
        case.is_group = case.workers_involved >= GROUP_SIZE
        _advance(world, case, received, handlers)
        case.due_on, case.due_provisional = due_for(case, rules[(kind, complexity)])
        cases.append(case)
        named.append(workers)
    Case.objects.bulk_create(cases, batch_size=BATCH_SIZE)
    CaseWorker.objects.bulk_create(
        (
            CaseWorker(case=case, person_id=pk)
            for case, workers in zip(cases, named, strict=True)
            for pk in workers
        ),
        batch_size=BATCH_SIZE,
    )
    CaseEvent.objects.bulk_create(
        (
            event
            for case in cases
            for event in (
                CaseEvent(
                    case=case,
                    at=case.received_at,
                    by=lodger,
                    action="lodge",
                    to_status=CaseStatus.RECEIVED,
                ),
                *(
                    [
                        CaseEvent(
                            case=case,
                            at=world.moment(_last_day(case)),
                            by=case.handler or lodger,
                            action=case.status,
                            from_status=CaseStatus.RECEIVED,
                            to_status=case.status,
                        )
                    ]
                    if case.status != CaseStatus.RECEIVED
                    else []
                ),
            )
        ),
        batch_size=BATCH_SIZE,
    )
    swept = rights_sweep(today=today)
    summary.rights_cases = len(cases)
    summary.rights_overdue = swept["flagged"]
    summary.rights_group = sum(case.is_group for case in cases)


def _last_day(case: Case) -> datetime.date:
    return (
        case.closed_on
        or case.resolved_on
        or case.started_on
        or case.assigned_on
        or case.declined_on
        or case.accepted_on
        or case.received_at.date()
    )


def _advance(world, case: Case, received: datetime.date, handlers: dict) -> None:
    """Fill the dates and outcomes of the steps before ``case.status``, in order."""
    rng = world.rng
    today = world.today

    def after(day: datetime.date, most: int) -> datetime.date:
        return min(today, day + datetime.timedelta(days=rng.randint(0, most)))

    status = case.status
    if status == CaseStatus.RECEIVED:
        return
    if status == CaseStatus.DECLINED:
        case.declined_on = after(received, 4)
        case.decline_reason = "不属于劳动争议受理范围，已告知向有关部门反映"
        return
    case.accepted_on = after(received, 4)
    if status == CaseStatus.ACCEPTED:
        return
    if case.kind == CaseKind.LEGAL_AID:
        handler = handlers.get("legal_aid")
    elif case.kind == CaseKind.MEDIATION:
        handler = handlers.get("mediator")
    else:
        handler = handlers.get(rng.choice(("legal_aid", "mediator")))
    if handler is None:  # a county built without the specialist sign-ins
        case.status = CaseStatus.ACCEPTED
        return
    case.handler = handler
    case.organisation_id = handler.organisation_id
    case.assigned_on = after(case.accepted_on, 3)
    if status == CaseStatus.ASSIGNED:
        return
    case.started_on = after(case.assigned_on, 3)
    if status in (CaseStatus.IN_MEDIATION, CaseStatus.IN_LEGAL_AID):
        if case.kind == CaseKind.LEGAL_AID or (
            case.kind == CaseKind.COMPLAINT and handler.username == "legal_aid"
        ):
            case.status = CaseStatus.IN_LEGAL_AID
        else:
            case.status = CaseStatus.IN_MEDIATION
        return
    case.resolved_on = after(case.started_on, 20)
    case.resolution = rng.choice(
        (Resolution.AGREEMENT, Resolution.AGREEMENT, Resolution.ARBITRATION, Resolution.WITHDRAWN)
    )
    if case.resolution == Resolution.AGREEMENT:
        case.resolution_terms = "用人单位于三十日内支付拖欠款项"
        case.recovered_amount = (
            case.amount_in_dispute * Decimal(rng.choice((6, 8, 10))) / 10
        ).quantize(Decimal("0.01"))
    if status == CaseStatus.RESOLVED:
        return
    case.callback_on = case.closed_on = after(case.resolved_on, 5)
    case.satisfaction = rng.choice((3, 4, 4, 5, 5, 5))
    case.callback_comment = "对处理结果满意"
