"""The campaign summary: postings, positions, applications and hired per township."""

from django.db.models import Sum
from django.urls import reverse

from gonghui.employment import selectors, services
from gonghui.employment.models import JobApplication, JobPosting

from .conftest import YEAR, posting_data


def _recount(organisation_filter: dict, year: int) -> tuple[int, int, int, int]:
    postings = JobPosting.objects.filter(campaign_year=year, **organisation_filter)
    applications = JobApplication.objects.filter(posting__in=postings)
    return (
        postings.count(),
        postings.aggregate(n=Sum("headcount"))["n"] or 0,
        applications.count(),
        applications.filter(status="hired").count(),
    )


def _more_activity(county, jobs):
    su = county.superuser
    extra = services.job_posting_create(by=su, **posting_data(county.e2, headcount=5))
    services.job_posting_create(by=su, **posting_data(county.e1, campaign_year=YEAR - 1))
    for person in (jobs.w1, jobs.w2):
        application = services.job_application_create(by=su, posting=extra, person=person)
        services.job_application_advance(by=su, application=application, to_status="interviewed")
    services.job_application_advance(
        by=su, application=extra.applications.get(person=jobs.w2), to_status="hired"
    )
    services.job_application_advance(by=su, application=jobs.a3, to_status="not_hired")


def test_the_summary_equals_a_direct_recount_per_township(county, jobs):
    _more_activity(county, jobs)

    rows, total = selectors.campaign_summary(county.admin, YEAR)

    by_township = {row.organisation: row for row in rows}
    assert set(by_township) == {county.t1, county.t2}
    for township in (county.t1, county.t2):
        row = by_township[township]
        assert (row.postings, row.positions, row.applications, row.hired) == _recount(
            {"employer__township": township}, YEAR
        )
    assert (total.postings, total.positions, total.applications, total.hired) == _recount({}, YEAR)


def test_a_township_sees_only_its_own_numbers(county, jobs):
    _more_activity(county, jobs)

    rows, total = selectors.campaign_summary(county.t2staff, YEAR)

    assert [row.organisation for row in rows] == [county.t2]
    assert (total.postings, total.positions, total.applications, total.hired) == _recount(
        {"employer__township": county.t2}, YEAR
    )


def test_the_summary_page_shows_the_chosen_year(county, jobs, client_for):
    _more_activity(county, jobs)
    client = client_for(county.leader)

    html = client.get(reverse("employment:summary"), {"year": YEAR - 1}).content.decode()

    assert f"Spring jobs in {YEAR - 1}" in html
    postings, positions, applications, hired = _recount({}, YEAR - 1)
    assert f"<td>{postings}</td><td>{positions}</td><td>{applications}</td><td>{hired}</td>" in html
    assert client.get(reverse("employment:summary")).status_code == 200
