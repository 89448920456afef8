"""Job fairs: who may hold one, with which employers, and the attendance count."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.employment import services
from gonghui.employment.models import JobFair


def test_township_staff_enter_a_fair_with_employers_of_their_township(county, client_for):
    response = client_for(county.t1staff).post(
        reverse("employment:fair-create"),
        {
            "organiser": county.t1.pk,
            "name": "Spring fair",
            "held_on": "2026-02-20",
            "place": "Town square",
            "campaign_year": "2026",
            "employers": [county.e1.pk, county.e2.pk],
            "attendance": "0",
        },
    )

    fair = JobFair.objects.get()
    assert response.status_code == 302
    assert (fair.organiser, fair.held_on, fair.campaign_year) == (
        county.t1,
        date(2026, 2, 20),
        2026,
    )
    assert set(fair.employers.all()) == {county.e1, county.e2}


def test_attendance_is_recorded_after_the_fair_and_never_negative(county, client_for):
    fair = services.job_fair_create(
        by=county.t1staff,
        organiser=county.t1,
        name="Fair",
        held_on=date(2026, 2, 20),
        place="Square",
        campaign_year=2026,
    )
    client = client_for(county.t1staff)
    url = reverse("employment:fair-attendance", args=[fair.pk])

    client.post(url, {"attendance": "350"})
    fair.refresh_from_db()
    assert fair.attendance == 350

    response = client.post(url, {"attendance": "-5"}, follow=True)
    assert "0 or more" in response.content.decode()
    fair.refresh_from_db()
    assert fair.attendance == 350


def test_a_fair_cannot_be_held_by_or_list_employers_outside_the_users_scope(county):
    with pytest.raises(PermissionDenied):
        services.job_fair_create(
            by=county.t1staff,
            organiser=county.t2,
            name="Fair",
            held_on=date(2026, 2, 20),
            place="Square",
            campaign_year=2026,
        )
    with pytest.raises(PermissionDenied):
        services.job_fair_create(
            by=county.t1staff,
            organiser=county.t1,
            name="Fair",
            held_on=date(2026, 2, 20),
            place="Square",
            campaign_year=2026,
            employers=[county.e1, county.e3],
        )
    assert not JobFair.objects.exists()
