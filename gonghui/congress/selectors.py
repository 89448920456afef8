"""Scoped reads of workers' congresses: the overview, an employer's congress, a person's terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from gonghui.orgs.models import Employer

from .models import (
    MANAGER_SHARE_MAX,
    CongressEmployer,
    CongressSession,
    Delegate,
    Disclosure,
    Proposal,
    Resolution,
    has_quorum,
)


def overdue_before(today: date | None = None) -> date:
    """A congress last held before this day is overdue: none in the last twelve months
    (企业民主管理规定 art. 14: 每年至少召开一次)."""
    today = today or timezone.localdate()
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February
        return today.replace(year=today.year - 1, day=28)


def overview(user, today: date | None = None) -> QuerySet:
    """The employers in ``user``'s scope that should hold a congress (those with a
    union, and any with a session recorded), each with its last session's date and
    whether it is overdue."""
    latest = CongressSession.objects.filter(employer=OuterRef("pk")).order_by("-held_on")
    cutoff = overdue_before(today)
    return (
        CongressEmployer.objects.for_user(user)
        .filter(
            Q(union__isnull=False) | Exists(CongressSession.objects.filter(employer=OuterRef("pk")))
        )
        .annotate(last_held=Subquery(latest.values("held_on")[:1]))
        .annotate(
            overdue=Case(
                When(last_held__gte=cutoff, then=Value(False)),
                default=Value(True),
                output_field=BooleanField(),
            )
        )
    )


@dataclass(frozen=True)
class Share:
    label: str
    count: int
    total: int
    limit: int | None = None  # the most per cent the rules allow, if any

    @property
    def percent(self) -> float:
        return round(100 * self.count / self.total, 1) if self.total else 0.0

    @property
    def breached(self) -> bool:
        return self.limit is not None and self.count * 100 > self.limit * self.total


def term_shares(employer: Employer, term: int) -> list[Share]:
    """The shares of the term's delegates by kind, in one query; a delegate counts in
    every kind they hold."""
    from django.utils.translation import gettext as _

    counts = Delegate.objects.filter(employer=employer, term=term).aggregate(
        total=Count("pk"),
        frontline=Count("pk", filter=Q(frontline=True)),
        manager=Count("pk", filter=Q(manager=True)),
        woman=Count("pk", filter=Q(woman=True)),
        dispatched=Count("pk", filter=Q(dispatched=True)),
    )
    total = counts["total"]
    return [
        Share(_("front-line workers"), counts["frontline"], total),
        Share(_("managers"), counts["manager"], total, MANAGER_SHARE_MAX),
        Share(_("women"), counts["woman"], total),
        Share(_("dispatched workers"), counts["dispatched"], total),
    ]


@dataclass(frozen=True)
class SessionRow:
    session: CongressSession
    present: int
    total: int

    @property
    def valid(self) -> bool:
        return has_quorum(self.present, self.total)


def employer_congress(user, employer: Employer) -> dict:
    """Everything the employer's congress page shows, in a fixed number of queries."""
    sessions = list(
        CongressSession.objects.for_user(user)
        .filter(employer=employer)
        .annotate(present=Count("attendances"))
    )
    per_term = dict(
        Delegate.objects.filter(employer=employer)
        .values_list("term")
        .annotate(n=Count("pk"))
        .values_list("term", "n")
    )
    terms = sorted({*per_term, *(s.term for s in sessions)}, reverse=True)
    term = terms[0] if terms else 1
    return {
        "sessions": [SessionRow(s, s.present, per_term.get(s.term, 0)) for s in sessions],
        "term": term,
        "terms": terms,
        "delegates": list(
            Delegate.objects.for_user(user)
            .filter(employer=employer, term=term)
            .select_related("person")
        ),
        "shares": term_shares(employer, term),
        "proposals": list(
            Proposal.objects.for_user(user)
            .filter(session__employer=employer)
            .select_related("proposer", "session")
        ),
        "resolutions": list(
            Resolution.objects.for_user(user)
            .filter(session__employer=employer)
            .select_related("session")
            .order_by("-session__held_on", "pk")
        ),
        "disclosures": list(Disclosure.objects.for_user(user).filter(employer=employer)[:50]),
        "last_held": sessions[0].held_on if sessions else None,
        "overdue": not sessions or sessions[0].held_on < overdue_before(),
    }


def delegacies_for_person(user, person) -> list[Delegate]:
    """The congress terms a person was elected to, in ``user``'s scope."""
    return list(
        Delegate.objects.for_user(user)
        .filter(person=person)
        .select_related("employer")
        .order_by("-elected_on")
    )


def employer_section(employer: Employer, user) -> dict:
    """What the employer's page shows of its congress: the last session, the
    current term's shares, the disclosures of the last twelve months."""
    last = (
        CongressSession.objects.for_user(user)
        .filter(employer=employer)
        .order_by("-held_on", "-pk")
        .values_list("held_on", "term")
        .first()
    )
    term = Delegate.objects.filter(employer=employer).order_by("-term").values_list(
        "term", flat=True
    ).first() or (last[1] if last else 1)
    return {
        "last_held": last[0] if last else None,
        "overdue": last is None or last[0] < overdue_before(),
        "term": term,
        "shares": term_shares(employer, term),
        "disclosures_recent": Disclosure.objects.for_user(user)
        .filter(employer=employer, disclosed_on__gte=overdue_before())
        .count(),
    }
