"""Entering job postings: the page, the service, and the database's own guards."""

from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.employment import services
from gonghui.employment.models import JobPosting

from .conftest import YEAR, posting_data

URL = reverse("employment:posting-create")


def form_data(employer, **overrides):
    data = {
        "employer": employer.pk,
        "title": "Weaver",
        "pay_min": "3500",
        "pay_max": "5200.50",
        "headcount": "3",
        "location": "Mill",
        "campaign_year": str(YEAR),
        "description": "Day shift",
    }
    data.update(overrides)
    return data


def test_township_staff_enter_a_posting_of_an_employer_in_their_township(county, client_for):
    response = client_for(county.t1staff).post(URL, form_data(county.e2))

    posting = JobPosting.objects.get()
    assert response.status_code == 302
    assert response.url == posting.get_absolute_url()
    assert (posting.employer, posting.title, posting.headcount) == (county.e2, "Weaver", 3)
    assert posting.pay_max == Decimal("5200.50")
    assert posting.created_by == county.t1staff
    assert posting.is_open
    entry = LogEntry.objects.get_for_object(posting).get()
    assert (entry.action, entry.actor) == (LogEntry.Action.CREATE, county.t1staff)


def test_a_pay_range_upside_down_is_refused_with_a_message_and_nothing_saved(county, client_for):
    response = client_for(county.t1staff).post(
        URL, form_data(county.e1, pay_min="6000", pay_max="5000")
    )

    assert response.status_code == 200
    assert "cannot be below the lowest pay" in response.content.decode()
    assert not JobPosting.objects.exists()


def test_a_posting_without_positions_is_refused_with_a_message_and_nothing_saved(
    county, client_for
):
    response = client_for(county.t1staff).post(URL, form_data(county.e1, headcount="0"))

    assert response.status_code == 200
    assert "at least one position" in response.content.decode()
    assert not JobPosting.objects.exists()


def test_the_service_refuses_the_same_bad_terms(county):
    with pytest.raises(ValidationError) as caught:
        services.job_posting_create(
            by=county.t1staff,
            **posting_data(county.e1, pay_min=Decimal("7000"), pay_max=Decimal("1"), headcount=0),
        )

    assert set(caught.value.message_dict) == {"pay_max", "headcount"}
    assert not JobPosting.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"pay_min": Decimal("9000"), "pay_max": Decimal("8000")},
        {"headcount": 0},
        {"pay_min": Decimal("-1"), "pay_max": Decimal("10")},
    ],
)
def test_the_database_itself_refuses_bad_terms(county, bad):
    data = {**posting_data(county.e1), **bad}
    with pytest.raises(IntegrityError), transaction.atomic():
        JobPosting.objects.create(**data)


def test_an_employer_of_another_township_cannot_be_chosen(county, client_for):
    response = client_for(county.t1staff).post(URL, form_data(county.e3))

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not JobPosting.objects.exists()
    with pytest.raises(PermissionDenied):
        services.job_posting_create(by=county.t1staff, **posting_data(county.e3))


def test_the_headcount_cannot_drop_below_those_already_hired(county, jobs):
    su = county.superuser
    a2 = services.job_application_create(by=su, posting=jobs.p1, person=jobs.w2)
    for application in (jobs.a1, a2):
        services.job_application_advance(by=su, application=application, to_status="interviewed")
        services.job_application_advance(by=su, application=application, to_status="hired")
    data = posting_data(county.e1, headcount=1)
    data.pop("employer")

    with pytest.raises(ValidationError, match="2 workers are already hired"):
        services.job_posting_update(by=su, posting=jobs.p1, **data)

    jobs.p1.refresh_from_db()
    assert jobs.p1.headcount == 2
    data["headcount"] = 3
    services.job_posting_update(by=su, posting=jobs.p1, **data)
    jobs.p1.refresh_from_db()
    assert jobs.p1.headcount == 3


def test_a_closed_posting_takes_no_applications_until_opened_again(county, jobs, client_for):
    client = client_for(county.t1staff)
    client.post(reverse("employment:posting-status", args=[jobs.p1.pk]), {"status": "closed"})
    jobs.p1.refresh_from_db()
    assert not jobs.p1.is_open

    with pytest.raises(ValidationError, match="closed"):
        services.job_application_create(by=county.t1staff, posting=jobs.p1, person=jobs.w2)

    client.post(reverse("employment:posting-status", args=[jobs.p1.pk]), {"status": "open"})
    jobs.p1.refresh_from_db()
    assert jobs.p1.is_open
    services.job_application_create(by=county.t1staff, posting=jobs.p1, person=jobs.w2)
    assert jobs.p1.applications.count() == 2
