"""Workers' applications: once per posting, guarded steps, never more hired than positions."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.employment import services
from gonghui.employment.models import JobApplication, JobApplicationStep

from .conftest import valid_id


def test_staff_record_an_application_by_the_workers_id_number(county, jobs, client_for):
    response = client_for(county.t1staff).post(
        reverse("employment:application-create", args=[jobs.p1.pk]),
        {"id_number": valid_id(12), "comment": "Walk-in at the fair"},
    )

    application = JobApplication.objects.get(posting=jobs.p1, person=jobs.w2)
    assert response.status_code == 302
    assert response.url == application.get_absolute_url()
    assert application.status == "applied"
    assert application.created_by == county.t1staff
    step = application.steps.get()
    assert (step.from_status, step.to_status, step.by, step.comment) == (
        "",
        "applied",
        county.t1staff,
        "Walk-in at the fair",
    )


def test_a_second_application_for_the_same_posting_is_refused(county, jobs, client_for):
    response = client_for(county.t1staff).post(
        reverse("employment:application-create", args=[jobs.p1.pk]), {"id_number": valid_id(11)}
    )

    assert response.status_code == 200
    assert "already applied for this posting" in response.content.decode()
    assert JobApplication.objects.filter(posting=jobs.p1, person=jobs.w1).count() == 1
    assert JobApplicationStep.objects.filter(application__person=jobs.w1).count() == 1


def test_the_database_allows_one_application_per_worker_and_posting(jobs):
    with pytest.raises(IntegrityError), transaction.atomic():
        JobApplication.objects.create(posting=jobs.p1, person=jobs.w1)


def test_a_worker_outside_the_users_scope_cannot_be_entered(county, jobs, client_for):
    response = client_for(county.t1staff).post(
        reverse("employment:application-create", args=[jobs.p1.pk]), {"id_number": valid_id(13)}
    )

    assert response.status_code == 200
    assert "No registered person in your scope" in response.content.decode()
    assert not JobApplication.objects.filter(posting=jobs.p1, person=jobs.w3).exists()


def test_an_application_moves_applied_interviewed_hired_with_a_step_each(county, jobs, client_for):
    client = client_for(county.t1staff)
    url = reverse("employment:application-advance", args=[jobs.a1.pk])

    client.post(url, {"to_status": "interviewed", "comment": "Good"})
    client.post(url, {"to_status": "hired"})

    jobs.a1.refresh_from_db()
    assert jobs.a1.status == "hired"
    assert [(s.from_status, s.to_status, s.by) for s in jobs.a1.steps.all()] == [
        ("", "applied", county.superuser),
        ("applied", "interviewed", county.t1staff),
        ("interviewed", "hired", county.t1staff),
    ]


@pytest.mark.parametrize(
    ("path", "target"),
    [([], "hired"), (["not_hired"], "interviewed"), (["interviewed", "hired"], "not_hired")],
)
def test_a_step_out_of_order_is_refused_and_nothing_is_written(county, jobs, path, target):
    for status in path:
        services.job_application_advance(by=county.admin, application=jobs.a1, to_status=status)
    steps = jobs.a1.steps.count()

    with pytest.raises(ValidationError, match="cannot become"):
        services.job_application_advance(by=county.admin, application=jobs.a1, to_status=target)

    jobs.a1.refresh_from_db()
    assert jobs.a1.status == (path[-1] if path else "applied")
    assert jobs.a1.steps.count() == steps


def test_hiring_past_the_headcount_is_refused_with_a_message(county, jobs, client_for):
    su = county.superuser
    # P3 offers one position; two workers reach the interview.
    other = services.job_application_create(by=su, posting=jobs.p3, person=jobs.w1)
    for application in (jobs.a3, other):
        services.job_application_advance(by=su, application=application, to_status="interviewed")
    services.job_application_advance(by=su, application=jobs.a3, to_status="hired")

    client = client_for(county.admin)
    response = client.post(
        reverse("employment:application-advance", args=[other.pk]),
        {"to_status": "hired"},
        follow=True,
    )

    assert "All 1 positions of this posting are already filled." in response.content.decode()
    other.refresh_from_db()
    assert other.status == "interviewed"
    assert jobs.p3.applications.filter(status="hired").count() == 1
    assert other.steps.filter(to_status="hired").count() == 0
