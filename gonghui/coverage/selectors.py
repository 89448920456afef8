"""Union coverage (建会率) and membership rate (入会率) within a user's scope.

What is counted, and how (the page says the same to its readers):

- The employers are those of the user's scope, ``Employer.objects.for_user``:
  located in the user's area or covered by a union in it. Every other figure
  is about these employers and the people registered as their workers, each
  of whom is in the user's scope too (a person is seen where their employer
  is, ``people.models.PERSON_SCOPE_FIELDS``).
- Union coverage = employers with at least ``threshold`` employees that have a
  union / employers with at least ``threshold`` employees (the threshold is
  ``settings.COVERAGE_MIN_EMPLOYEES``, 25 unless set, and a page parameter).
- Membership rate = members / employees, where *employees* is the sum of the
  employee counts the employers report (not every employee is registered
  here) and *members* are the registered workers of those employers who are
  union members now. For the eight groups of new-employment-form workers no employer
  reports a headcount per group, so their rate is members / registered workers
  of the group, and a group's employers are those where such workers are
  registered.
- Members added this year are counted by the union that admitted them, as
  unions report them: memberships of unions in the user's scope
  (``Membership.objects.for_user``) begun this calendar year other than by a
  transfer from another union (a transfer moves a member, it adds none),
  whatever happened to them since.

Every figure comes from a grouped query that reads indexes rather than rows
where it can (``people.models``: "person_employer_union",
"person_new_form_group", "membership_joined"); nothing loops over people in
Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Func, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.scope import SEGMENT_WIDTH, sees_everything, subtree_q, user_scope_root
from gonghui.orgs.models import Employer, EmployerQuerySet, Industry, Organisation
from gonghui.people.models import Membership, Person
from gonghui.people.vocabularies import NewFormGroup

DEFAULT_THRESHOLD = 25


def default_threshold() -> int:
    return getattr(settings, "COVERAGE_MIN_EMPLOYEES", DEFAULT_THRESHOLD)


@dataclass
class CoverageRow:
    """The figures of one group of employers (a township, an industry, a group, all)."""

    key: str
    label: str
    employers: int = 0
    large: int = 0  # employers with at least the threshold of employees
    large_covered: int = 0  # ... of which have a union
    employees: int = 0
    workers: int = 0  # registered workers (only counted for the eight groups)
    members: int = 0

    @property
    def large_uncovered(self) -> int:
        return self.large - self.large_covered

    @property
    def coverage(self) -> float | None:
        return self.large_covered / self.large if self.large else None

    @property
    def membership_rate(self) -> float | None:
        return self.members / self.employees if self.employees else None

    def add(self, other: CoverageRow) -> None:
        for name in ("employers", "large", "large_covered", "employees", "workers", "members"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class CoverageReport:
    threshold: int
    year: int
    total: CoverageRow
    townships: list[CoverageRow] = field(default_factory=list)
    industries: list[CoverageRow] = field(default_factory=list)
    groups: list[CoverageRow] = field(default_factory=list)
    #: (township of the admitting union, new members this year), and their sum.
    joined: list[tuple[str, int]] = field(default_factory=list)
    joined_total: int = 0


def employers_in_scope(user) -> QuerySet:
    return Employer.objects.for_user(user)


def without_union(employers: QuerySet, threshold: int) -> QuerySet:
    """Those of ``employers`` that should have a union and have none (未建会), largest first."""
    return (
        employers.without_union()
        .filter(employee_count__gte=threshold)
        .order_by("-employee_count", "name", "pk")
    )


def _through_employer(user, relation: str) -> Q:
    """Rows whose ``relation`` (a path to an employer) is in ``Employer.objects.for_user(user)``.

    The scope rule of employers (``EmployerQuerySet.scope_fields`` and
    ``core.scope``) written as a condition on joined tables: an ``IN`` list of
    every employer in scope would lead the database to visit every worker of
    every employer, where these queries read only the few rows they count.
    """
    if sees_everything(user):
        return Q(**{f"{relation}__isnull": False})
    root = user_scope_root(user)
    if root is None:
        return Q(pk__in=[])
    condition = Q()
    for scope_field in EmployerQuerySet.scope_fields:
        condition |= subtree_q(root.path, f"{relation}__{scope_field}")
    return condition


def coverage_report(
    user, *, threshold: int | None = None, today: date | None = None
) -> CoverageReport:
    """Coverage and membership of the employers in the user's scope, in four views.

    Three grouped queries: employers (with their members counted from the
    index on a worker's employer and union), the groups of new business
    forms, and the memberships begun this year.
    """
    threshold = default_threshold() if threshold is None else threshold
    today = today or timezone.localdate()
    large = Q(employee_count__gte=threshold)
    members = Subquery(
        Person.objects.filter(employer=OuterRef("pk"), current_union__isnull=False)
        .order_by()
        .annotate(n=Func("pk", function="COUNT"))
        .values("n"),
        output_field=IntegerField(),
    )
    by_place = (
        employers_in_scope(user)
        .values("township_id", "industry")
        .annotate(
            employers=Count("pk"),
            large=Count("pk", filter=large),
            large_covered=Count("pk", filter=large & Q(union__isnull=False)),
            employees=Sum("employee_count"),
            members=Sum(members),
        )
        .order_by()
    )
    townships: dict[int, CoverageRow] = {}
    industries: dict[str, CoverageRow] = {}
    total = CoverageRow(key="total", label="")

    def rows_for(township_id: int, industry: str) -> list[CoverageRow]:
        if township_id not in townships:
            townships[township_id] = CoverageRow(key=str(township_id), label="")
        if industry not in industries:
            industries[industry] = CoverageRow(key=industry, label="")
        return [townships[township_id], industries[industry], total]

    for item in by_place:
        figures = CoverageRow(
            key="",
            label="",
            employers=item["employers"],
            large=item["large"],
            large_covered=item["large_covered"],
            employees=item["employees"] or 0,
            members=item["members"] or 0,
        )
        for row in rows_for(item["township_id"], item["industry"]):
            row.add(figures)

    groups = {
        value: CoverageRow(key=value, label=str(label)) for value, label in NewFormGroup.choices
    }
    by_group = (
        Person.objects.filter(
            _through_employer(user, "employer"), new_form_group__in=NewFormGroup.values
        )
        .values("new_form_group", "employer_id", "employer__employee_count", "employer__union_id")
        .annotate(workers=Count("pk"), members=Count("current_union_id"))
        .order_by()
    )
    for item in by_group:
        group = groups[item["new_form_group"]]
        group.workers += item["workers"]
        group.members += item["members"]
        group.employers += 1
        if item["employer__employee_count"] >= threshold:
            group.large += 1
            group.large_covered += item["employer__union_id"] is not None
    for group in groups.values():
        # No employer reports a headcount per group: the registered workers stand in.
        group.employees = group.workers

    joined = _joined_this_year(user, today.year)
    paths = {}
    for pk, name, path in Organisation.objects.filter(pk__in=list(townships)).values_list(
        "pk", "name", "path"
    ):
        townships[pk].label = name
        paths[pk] = path
    industry_labels = dict(Industry.choices)
    for code, row in industries.items():
        row.label = f"{code} · {industry_labels.get(code, code)}"
    return CoverageReport(
        threshold=threshold,
        year=today.year,
        total=total,
        townships=[townships[pk] for pk in sorted(townships, key=lambda pk: paths.get(pk, ""))],
        industries=[industries[code] for code in sorted(industries)],
        groups=list(groups.values()),
        joined=joined,
        joined_total=sum(n for _label, n in joined),
    )


def _joined_this_year(user, year: int) -> list[tuple[str, int]]:
    """New members this year by the township of the union they joined, townships first.

    Counted by the admitting union (``Membership.objects.for_user``), as the
    unions report their new members: memberships begun this calendar year
    other than by a transfer. Unions that stand directly under the county
    federation or an industry union make one line of their own. The transfer
    test is kept out of the index's reach (COALESCE) so that the database
    walks the index on the joining date rather than every untransferred row.
    """
    per_union = (
        Membership.objects.for_user(user)
        .filter(joined_on__year=year)
        .annotate(transfer=Coalesce("transferred_from_id", 0))
        .filter(transfer=0)
        .values("union__path")
        .annotate(n=Count("pk"))
        .order_by()
    )
    per_branch: dict[int, int] = {}
    for item in per_union:
        # The ancestor just below the county federation: a township or an industry union.
        branch = item["union__path"][SEGMENT_WIDTH : 2 * SEGMENT_WIDTH]
        key = int(branch) if branch else 0
        per_branch[key] = per_branch.get(key, 0) + item["n"]
    townships = dict(
        Organisation.objects.townships()
        .filter(pk__in=list(per_branch))
        .values_list("pk", "name")
        .order_by("path")
    )
    lines = [(name, per_branch[pk]) for pk, name in townships.items()]
    elsewhere = sum(n for key, n in per_branch.items() if key not in townships)
    if elsewhere:
        lines.append((str(_("Unions above the townships")), elsewhere))
    return lines
