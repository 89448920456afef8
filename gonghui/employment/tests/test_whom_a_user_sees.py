"""Whom each user sees among the spring-jobs records: lists, a chair's employers, a
worker's file. That another subtree's records answer 404 on every route, and what a
leader may do, are the access sweep's (core/tests/test_access_sweep.py,
employment/tests/sweep.py)."""

from datetime import date

import pytest
from django.urls import reverse

from gonghui.employment import services
from gonghui.employment.models import JobApplication, JobPosting


@pytest.fixture
def t2_fair(county):
    return services.job_fair_create(
        by=county.t2staff,
        organiser=county.t2,
        name="Spring fair",
        held_on=date(2026, 3, 1),
        place="Square",
        campaign_year=2026,
        employers=[county.e3],
        attendance=120,
    )


def test_lists_show_only_records_in_scope(county, jobs, t2_fair, client_for):
    client = client_for(county.t1staff)

    postings = client.get(reverse("employment:posting-list")).context["object_list"]
    applications = client.get(reverse("employment:application-list")).context["object_list"]
    fairs = client.get(reverse("employment:fair-list")).context["object_list"]

    assert list(postings) == [jobs.p1]
    assert list(applications) == [jobs.a1]
    assert list(fairs) == []


def test_a_chair_sees_the_postings_of_the_employers_their_union_covers(county, jobs, client_for):
    assert list(JobPosting.objects.for_user(county.chair1)) == [jobs.p1]
    assert list(JobPosting.objects.for_user(county.chair2)) == []
    assert list(JobApplication.objects.for_user(county.chair2)) == []
    response = client_for(county.chair2).get(
        reverse("employment:posting-detail", args=[jobs.p1.pk])
    )
    assert response.status_code == 404


def test_the_persons_page_lists_their_applications_to_users_in_scope(county, jobs, client_for):
    html = client_for(county.t1staff).get(jobs.w1.get_absolute_url()).content.decode()
    assert "Job applications" in html
    assert jobs.a1.get_absolute_url() in html

    other = client_for(county.t2staff).get(jobs.w3.get_absolute_url()).content.decode()
    assert jobs.a3.get_absolute_url() in other
    assert jobs.a1.get_absolute_url() not in other
