"""Reads about collective contracts: which employers a valid contract covers, the
coverage figures, and an employer's contracts.

For other apps (the rights cases' early-warning list reads these):

``employers_with_valid_contract(employers, today=None)``
    those of ``employers`` (an Employer queryset, already scoped) covered today by
    a contract in force: filed, past the bureau's 15 days, not objected, not ended.
``employers_without_valid_contract(employers, today=None)``
    the others.
``employers_with_expired_contract(employers, today=None)``
    those whose contract has run out and that no valid contract covers now (the
    early warning's "expired collective contract"); an employer that never had
    one is not among them.

Each adds one ``EXISTS`` condition to the queryset it is given; nothing is read
until the caller reads it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.core.scope import sees_whole_tree
from gonghui.orgs.models import Employer, Industry, Organisation
from gonghui.people.models import Person
from gonghui.people.vocabularies import NewFormGroup

from .models import CollectiveContract, ContractEmployer


def _covering(today: datetime.date, *, valid: bool) -> QuerySet:
    rows = ContractEmployer.objects.filter(employer=OuterRef("pk"))
    if valid:
        return rows.filter(contract__in_force_on__lte=today, contract__ends_on__gte=today)
    return rows.filter(contract__in_force_on__isnull=False, contract__ends_on__lt=today)


def employers_with_valid_contract(employers: QuerySet, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return employers.filter(Exists(_covering(today, valid=True)))


def employers_without_valid_contract(employers: QuerySet, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return employers.exclude(Exists(_covering(today, valid=True)))


def employers_with_expired_contract(employers: QuerySet, today: datetime.date | None = None):
    today = today or timezone.localdate()
    return employers.filter(Exists(_covering(today, valid=False))).exclude(
        Exists(_covering(today, valid=True))
    )


def contracts_for_employer(user, employer: Employer) -> QuerySet:
    """The contracts covering ``employer`` that ``user`` may see, newest term first."""
    return (
        CollectiveContract.objects.for_user(user)
        .filter(pk__in=ContractEmployer.objects.filter(employer=employer).values("contract_id"))
        .select_related("owner")
        .order_by("-starts_on", "-pk")
    )


def _employer_in_scope(user, employers: QuerySet) -> Q:
    """Workers whose employer is among ``employers`` (the user's): no condition beyond
    having one for a reader of the whole tree (a subquery of every employer would
    only cost the database a second pass: 260 ms against 150 ms at a million workers)."""
    if sees_whole_tree(user):
        return Q(employer__isnull=False)
    return Q(employer__in=employers.values("pk"))


@dataclass
class ContractCoverageRow:
    """Employers and workers under a valid contract, in one group (a township, an industry)."""

    key: str
    label: str
    employers: int = 0
    employers_covered: int = 0
    workers: int = 0
    workers_covered: int = 0

    @property
    def employer_share(self) -> float | None:
        return self.employers_covered / self.employers if self.employers else None

    @property
    def worker_share(self) -> float | None:
        return self.workers_covered / self.workers if self.workers else None

    def add(self, other: ContractCoverageRow) -> None:
        for name in ("employers", "employers_covered", "workers", "workers_covered"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class ContractCoverageReport:
    today: datetime.date
    total: ContractCoverageRow
    townships: list[ContractCoverageRow] = field(default_factory=list)
    industries: list[ContractCoverageRow] = field(default_factory=list)
    groups: list[ContractCoverageRow] = field(default_factory=list)


def coverage_report(user, *, today: datetime.date | None = None) -> ContractCoverageReport:
    """The share of employers and of workers under a valid contract, in the user's scope.

    Workers are the employee counts employers report (as ``coverage`` counts the
    membership rate); for the eight groups of new-employment-form workers, for
    which no employer reports a headcount, the registered workers of the group.
    Four queries: the employers grouped by township and industry, the covered ones
    grouped the same way, the covered employers' ids, and the group's workers per
    employer (read from the index on the group and the employer).
    """
    today = today or timezone.localdate()
    employers = Employer.objects.for_user(user)
    valid_rows = ContractEmployer.objects.filter(
        contract__in_force_on__lte=today, contract__ends_on__gte=today
    ).values("employer_id")

    def grouped(queryset):
        return {
            (item["township_id"], item["industry"]): item
            for item in queryset.values("township_id", "industry")
            .annotate(employers=Count("pk"), workers=Sum("employee_count"))
            .order_by()
        }

    # Two grouped reads, all employers and the covered ones, rather than an EXISTS
    # asked of every employer: at 40,000 employers 60 ms against 200 ms.
    everyone = grouped(employers)
    under_contract = grouped(employers.filter(pk__in=valid_rows))
    townships: dict[int, ContractCoverageRow] = {}
    industries: dict[str, ContractCoverageRow] = {}
    total = ContractCoverageRow(key="total", label="")
    for (township_id, industry), item in everyone.items():
        covered_item = under_contract.get((township_id, industry), {})
        figures = ContractCoverageRow(
            key="",
            label="",
            employers=item["employers"],
            employers_covered=covered_item.get("employers", 0),
            workers=item["workers"] or 0,
            workers_covered=covered_item.get("workers") or 0,
        )
        township = townships.setdefault(
            township_id, ContractCoverageRow(key=str(township_id), label="")
        )
        industry_row = industries.setdefault(industry, ContractCoverageRow(key=industry, label=""))
        for row in (township, industry_row, total):
            row.add(figures)

    covered_ids = set(valid_rows.values_list("employer_id", flat=True))
    groups = {
        value: ContractCoverageRow(key=value, label=str(label))
        for value, label in NewFormGroup.choices
    }
    by_group = (
        Person.objects.filter(
            _employer_in_scope(user, employers), new_form_group__in=NewFormGroup.values
        )
        .values("new_form_group", "employer_id")
        .annotate(workers=Count("pk"))
        .order_by()
    )
    for item in by_group:
        group = groups[item["new_form_group"]]
        is_covered = item["employer_id"] in covered_ids
        group.employers += 1
        group.employers_covered += is_covered
        group.workers += item["workers"]
        group.workers_covered += item["workers"] if is_covered else 0

    paths = {}
    for pk, name, path in Organisation.objects.filter(pk__in=list(townships)).values_list(
        "pk", "name", "path"
    ):
        townships[pk].label = name
        paths[pk] = path
    industry_labels = dict(Industry.choices)
    for code, row in industries.items():
        row.label = f"{code} · {industry_labels.get(code, code)}"
    return ContractCoverageReport(
        today=today,
        total=total,
        townships=[townships[pk] for pk in sorted(townships, key=lambda pk: paths.get(pk, ""))],
        industries=[industries[code] for code in sorted(industries)],
        groups=list(groups.values()),
    )
