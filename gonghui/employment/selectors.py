"""Scoped reads about spring jobs that are more than ``Model.objects.for_user(user)``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum

from gonghui.orgs.models import Organisation

from .models import ApplicationStatus, JobApplication, JobPosting


@dataclass
class SummaryRow:
    """One organisation's spring-jobs numbers for a campaign year."""

    organisation: Organisation | None
    postings: int = 0
    positions: int = 0
    applications: int = 0
    hired: int = 0


def campaign_years(user) -> list[int]:
    """The campaign years of the postings the user can see, newest first."""
    return list(
        JobPosting.objects.for_user(user)
        .order_by("-campaign_year")
        .values_list("campaign_year", flat=True)
        .distinct()
    )


def campaign_summary(user, year: int) -> tuple[list[SummaryRow], SummaryRow]:
    """Postings, positions, applications and hired per township for ``year``, and the total.

    Postings and applications are counted in two grouped queries: summing the
    headcount over a join with the applications would count it once per
    application.
    """
    postings = (
        JobPosting.objects.for_user(user)
        .filter(campaign_year=year)
        .values("employer__township")
        .annotate(postings=Count("pk"), positions=Sum("headcount"))
        .order_by()
    )
    applications = (
        JobApplication.objects.for_user(user)
        .filter(posting__campaign_year=year)
        .values("posting__employer__township")
        .annotate(
            applications=Count("pk"), hired=Count("pk", filter=Q(status=ApplicationStatus.HIRED))
        )
        .order_by()
    )
    rows: dict[int, SummaryRow] = {}
    for item in postings:
        row = rows.setdefault(item["employer__township"], SummaryRow(None))
        row.postings = item["postings"]
        row.positions = item["positions"] or 0
    for item in applications:
        row = rows.setdefault(item["posting__employer__township"], SummaryRow(None))
        row.applications = item["applications"]
        row.hired = item["hired"]
    townships = Organisation.objects.in_bulk(list(rows))
    for pk, row in rows.items():
        row.organisation = townships.get(pk)
    ordered = sorted(rows.values(), key=lambda r: r.organisation.path if r.organisation else "")
    total = SummaryRow(
        None,
        postings=sum(r.postings for r in ordered),
        positions=sum(r.positions for r in ordered),
        applications=sum(r.applications for r in ordered),
        hired=sum(r.hired for r in ordered),
    )
    return ordered, total


def applications_of_posting(posting: JobPosting) -> QuerySet:
    return posting.applications.select_related("person").order_by("applied_at", "pk")


def hired_count(posting: JobPosting) -> int:
    return posting.applications.filter(status=ApplicationStatus.HIRED).count()


def applications_for_person(user, person) -> QuerySet:
    """A person's job applications the user may see (for the person's page)."""
    return (
        JobApplication.objects.for_user(user)
        .filter(person=person)
        .select_related("posting", "posting__employer")
        .order_by("-applied_at", "-pk")
    )
