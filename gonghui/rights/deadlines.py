"""The due day of a case at its current status, counted on the one working-day
calendar (``workdays.calendar``), and the defaults of the deadline rules."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from gonghui.workdays.calendar import add_working_days, deadline

from .models import HANDLING_STATUSES, CaseKind, CaseStatus, Complexity, DeadlineRule

#: The defaults a county starts with (also seeded by migration 0002):
#: accept within 3 working days; a mediation not agreed within 15 calendar days of
#: acceptance may go to arbitration (劳动争议调解仲裁法 第十四条); a petition is
#: answered within 60 days (信访工作条例 第三十二条); legal aid within 30 working
#: days; callback within 5 working days of resolution; escalated 5 working days
#: after falling overdue.
DEFAULTS = {
    CaseKind.LEGAL_AID: {"resolve_days": 30, "resolve_in_calendar_days": False},
    CaseKind.MEDIATION: {"resolve_days": 15, "resolve_in_calendar_days": True},
    CaseKind.COMPLAINT: {"resolve_days": 60, "resolve_in_calendar_days": True},
}
COMMON_DEFAULTS = {"accept_days": 3, "callback_days": 5, "escalate_after_days": 5}


def default_rule(kind: str, complexity: str) -> DeadlineRule:
    return DeadlineRule(kind=kind, complexity=complexity, **COMMON_DEFAULTS, **DEFAULTS[kind])


def rule_for(kind: str, complexity: str) -> DeadlineRule:
    """The county's rule for the kind and complexity (the default if none is stored)."""
    rule = DeadlineRule.objects.filter(kind=kind, complexity=complexity).first()
    return rule or default_rule(kind, complexity)


def all_rules() -> dict[tuple[str, str], DeadlineRule]:
    stored = {(r.kind, r.complexity): r for r in DeadlineRule.objects.all()}
    return {
        (kind, complexity): stored.get((kind, complexity)) or default_rule(kind, complexity)
        for kind in CaseKind.values
        for complexity in Complexity.values
    }


def due_for(case, rule: DeadlineRule | None = None) -> tuple[date | None, bool]:
    """(due day, provisional) of ``case`` at its current status; (None, False) when
    nothing is due (declined or closed)."""
    rule = rule or rule_for(case.kind, case.complexity)
    if case.status == CaseStatus.RECEIVED:
        received = timezone.localdate(case.received_at)
        found = deadline(received, rule.accept_days)
        return found.day, found.provisional
    if case.status in HANDLING_STATUSES:
        if rule.resolve_in_calendar_days:
            return case.accepted_on + timedelta(days=rule.resolve_days), False
        found = deadline(case.accepted_on, rule.resolve_days)
        return found.day, found.provisional
    if case.status == CaseStatus.RESOLVED:
        found = deadline(case.resolved_on, rule.callback_days)
        return found.day, found.provisional
    return None, False


def escalation_cutoff(today: date, days: int) -> date:
    """The latest due day whose case, overdue, has waited ``days`` working days past it
    by ``today``: every case due on or before it is escalated."""
    day = today - timedelta(days=1)
    while add_working_days(day, days) > today:
        day -= timedelta(days=1)
    return day
