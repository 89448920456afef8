"""Prevention (劳动争议预防): the early-warning list of employers.

An employer is listed when, within the user's scope (the employer's township or
union: the scope rule of employers), it has had two or more cases in twelve
months, a wage-arrears case in the weeks before the Spring Festival (when unpaid
wages peak), a group case in twelve months, an expired collective contract with
none in force, or staff mark it watched. Each signal is one grouped query over an
indexed column; the page shows counts, never a case's content.
"""

from __future__ import annotations

import datetime

import chinese_calendar
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce

from gonghui.orgs.models import Employer

from .models import Case, Category, EmployerWatch

#: The weeks before the Spring Festival watched for wage arrears.
FESTIVAL_WEEKS = 8
YEAR = datetime.timedelta(days=365)


def spring_festival(year: int) -> datetime.date | None:
    """The first day of the Spring Festival holiday of ``year`` (None for a year the
    holiday calendar does not carry)."""
    day = datetime.date(year, 1, 15)
    try:
        while day.month < 3:
            # A day worked in lieu (调休) carries the festival's name too, not as a holiday.
            off, name = chinese_calendar.get_holiday_detail(day)
            if off and name == chinese_calendar.Holiday.spring_festival.value:
                return day
            day += datetime.timedelta(days=1)
    except NotImplementedError:
        return None
    return None


def festival_window(today: datetime.date) -> tuple[datetime.date, datetime.date] | None:
    """The weeks before the coming Spring Festival when ``today`` lies in them, else
    those before the last one: (first day, festival day)."""
    for year in (today.year + 1, today.year, today.year - 1):
        festival = spring_festival(year)
        if festival is None:
            continue
        start = festival - datetime.timedelta(weeks=FESTIVAL_WEEKS)
        if start <= today:
            return start, festival
    return None


def _count(cases: QuerySet) -> Subquery:
    counted = (
        cases.filter(employer=OuterRef("pk"))
        .order_by()
        .values("employer")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def early_warnings(user, today: datetime.date) -> QuerySet:
    """The employers of the user's scope with a warning signal, each annotated."""
    from gonghui.contracts.models import ContractEmployer

    since = today - YEAR
    recent = Case.objects.filter(received_at__date__gte=since, employer__isnull=False)
    repeated = (
        recent.order_by()
        .values("employer")
        .annotate(n=Count("pk"))
        .filter(n__gte=2)
        .values("employer")
    )
    window = festival_window(today)
    wages = Case.objects.none()
    if window is not None:
        wages = Case.objects.filter(
            category=Category.WAGE_ARREARS,
            received_at__date__gte=window[0],
            received_at__date__lt=window[1],
        )
    group = recent.filter(is_group=True)
    valid = ContractEmployer.objects.filter(
        employer=OuterRef("pk"), contract__in_force_on__lte=today, contract__ends_on__gte=today
    )
    expired = ContractEmployer.objects.filter(
        employer=OuterRef("pk"), contract__in_force_on__isnull=False, contract__ends_on__lt=today
    )
    signalled = (
        Q(pk__in=repeated)
        | Q(pk__in=wages.values("employer"))
        | Q(pk__in=group.values("employer"))
        | Q(pk__in=EmployerWatch.objects.values("employer"))
        | (Exists(expired) & ~Exists(valid))
    )
    return (
        Employer.objects.for_user(user)
        .filter(signalled)
        .annotate(
            cases_12m=_count(recent),
            wage_cases_before_festival=_count(wages),
            group_cases=_count(group),
            contract_expired=ExpressionWrapper(
                Exists(expired) & ~Exists(valid), output_field=BooleanField()
            ),
        )
        .select_related("township", "rights_watch")
        .order_by("-group_cases", "-cases_12m", "name", "pk")
    )
