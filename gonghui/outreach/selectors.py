"""Scoped reads of outreach: the yearly delivery summary and the practical-things ledger.

Both count per organisation the records that organisation itself made, over
the user's subtree only (``Model.objects.for_user``), in one grouped query
per kind of record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from gonghui.orgs.models import Organisation

from .models import ZERO, Delivery, Visit, Wish
from .vocabularies import WishStatus

CENT = Decimal("0.01")


@dataclass
class DeliveryRow:
    organisation: Organisation
    deliveries: int = 0
    value: Decimal = ZERO
    workers: int = 0


@dataclass
class DeliverySummary:
    year: int
    rows: list[DeliveryRow] = field(default_factory=list)

    @property
    def deliveries(self) -> int:
        return sum(row.deliveries for row in self.rows)

    @property
    def value(self) -> Decimal:
        return sum((row.value for row in self.rows), ZERO)

    @property
    def workers(self) -> int:
        return sum(row.workers for row in self.rows)


def _money(value) -> Decimal:
    """A database sum as yuan to the fen (SQLite sums decimals as floating point)."""
    return (value or ZERO).quantize(CENT)


def _organisations(ids) -> dict[int, Organisation]:
    return {org.pk: org for org in Organisation.objects.filter(pk__in=ids)}


def delivery_summary(user, *, year: int) -> DeliverySummary:
    """Deliveries, goods value and workers reached per organisation in the campaign year."""
    grouped = list(
        Delivery.objects.for_user(user)
        .filter(campaign_year=year)
        .order_by()
        .values("organisation")
        .annotate(deliveries=Count("pk"), value=Sum("total_value"), workers=Sum("workers_reached"))
    )
    organisations = _organisations(row["organisation"] for row in grouped)
    rows = [
        DeliveryRow(
            organisation=organisations[row["organisation"]],
            deliveries=row["deliveries"],
            value=_money(row["value"]),
            workers=row["workers"] or 0,
        )
        for row in grouped
    ]
    rows.sort(key=lambda row: row.organisation.path)
    return DeliverySummary(year=year, rows=rows)


@dataclass
class LedgerRow:
    organisation: Organisation
    wishes: int = 0
    wish_value: Decimal = ZERO
    visits: int = 0
    visit_value: Decimal = ZERO

    @property
    def things_done(self) -> int:
        return self.wishes + self.visits


@dataclass
class Ledger:
    year: int
    rows: list[LedgerRow] = field(default_factory=list)

    @property
    def wishes(self) -> int:
        return sum(row.wishes for row in self.rows)

    @property
    def visits(self) -> int:
        return sum(row.visits for row in self.rows)

    @property
    def things_done(self) -> int:
        return self.wishes + self.visits


def practical_ledger(user, *, year: int) -> Ledger:
    """我为群众办实事: fulfilled wishes and visits per organisation in the calendar year.

    A wish counts in the year it was fulfilled, a visit in the year it was
    made; withdrawn and open wishes are not things done.
    """
    wishes = (
        Wish.objects.for_user(user)
        .filter(status=WishStatus.FULFILLED, fulfilled_on__year=year)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"), value=Sum("estimated_value"))
    )
    visits = (
        Visit.objects.for_user(user)
        .filter(visited_on__year=year)
        .order_by()
        .values("organisation")
        .annotate(count=Count("pk"), goods=Sum("goods_value"), cash=Sum("cash"))
    )
    by_org: dict[int, dict] = {}
    for row in wishes:
        by_org.setdefault(row["organisation"], {}).update(
            wishes=row["count"], wish_value=_money(row["value"])
        )
    for row in visits:
        by_org.setdefault(row["organisation"], {}).update(
            visits=row["count"], visit_value=_money(row["goods"]) + _money(row["cash"])
        )
    organisations = _organisations(by_org)
    rows = [LedgerRow(organisation=organisations[pk], **values) for pk, values in by_org.items()]
    rows.sort(key=lambda row: row.organisation.path)
    return Ledger(year=year, rows=rows)


def visits_for_person(user, person) -> QuerySet:
    return (
        Visit.objects.for_user(user)
        .filter(person=person)
        .select_related("organisation")
        .order_by("-visited_on", "-pk")
    )


def wishes_for_person(user, person) -> QuerySet:
    return (
        Wish.objects.for_user(user)
        .filter(person=person)
        .select_related("organisation", "donor_employer")
        .order_by("-created_at", "-pk")
    )


def years_with_records(user) -> list[int]:
    """Years to offer on the summary pages: those with deliveries, visits or wishes."""
    years = set(Delivery.objects.for_user(user).order_by().values_list("campaign_year", flat=True))
    years |= {d.year for d in Visit.objects.for_user(user).dates("visited_on", "year")}
    years |= {
        d.year
        for d in Wish.objects.for_user(user)
        .filter(~Q(fulfilled_on=None))
        .dates("fulfilled_on", "year")
    }
    return sorted(years, reverse=True)
