"""The scope rule on every spring-jobs page: another township's records do not exist."""

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


def routes(jobs, fair):
    """(method, url name, pk, POST data) of every page about one record."""
    return [
        ("get", "employment:posting-detail", jobs.p3.pk, None),
        ("get", "employment:posting-update", jobs.p3.pk, None),
        ("post", "employment:posting-update", jobs.p3.pk, {"title": "x"}),
        ("post", "employment:posting-status", jobs.p3.pk, {"status": "closed"}),
        ("get", "employment:application-create", jobs.p3.pk, None),
        ("post", "employment:application-create", jobs.p3.pk, {"id_number": "x"}),
        ("get", "employment:application-detail", jobs.a3.pk, None),
        ("post", "employment:application-advance", jobs.a3.pk, {"to_status": "interviewed"}),
        ("get", "employment:fair-detail", fair.pk, None),
        ("post", "employment:fair-attendance", fair.pk, {"attendance": "1"}),
    ]


def test_a_township_user_gets_404_for_another_townships_records_by_every_route(
    county, jobs, t2_fair, client_for
):
    client = client_for(county.t1staff)
    for method, name, pk, data in routes(jobs, t2_fair):
        response = getattr(client, method)(reverse(name, args=[pk]), data or {})
        assert response.status_code == 404, (method, name)

    jobs.p3.refresh_from_db()
    jobs.a3.refresh_from_db()
    t2_fair.refresh_from_db()
    assert (jobs.p3.status, jobs.a3.status, t2_fair.attendance) == ("open", "applied", 120)


def test_the_owning_township_and_the_county_reach_the_same_routes(
    county, jobs, t2_fair, client_for
):
    for user in (county.t2staff, county.admin):
        client = client_for(user)
        for method, name, pk, _data in routes(jobs, t2_fair):
            if method == "get":
                assert client.get(reverse(name, args=[pk])).status_code == 200, (user, name)


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


def test_a_leader_reads_but_cannot_enter_and_an_outsider_sees_nothing(county, jobs, client_for):
    leader = client_for(county.leader)
    assert leader.get(reverse("employment:posting-detail", args=[jobs.p1.pk])).status_code == 200
    assert leader.get(reverse("employment:posting-create")).status_code == 403
    assert (
        leader.post(
            reverse("employment:application-advance", args=[jobs.a1.pk]),
            {"to_status": "interviewed"},
        ).status_code
        == 403
    )
    outsider = client_for(county.outsider)
    assert outsider.get(reverse("employment:posting-list")).status_code == 403


def test_a_visitor_is_sent_to_sign_in(client, jobs):
    response = client.get(reverse("employment:posting-detail", args=[jobs.p1.pk]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response.url


def test_the_persons_page_lists_their_applications_to_users_in_scope(county, jobs, client_for):
    html = client_for(county.t1staff).get(jobs.w1.get_absolute_url()).content.decode()
    assert "Job applications" in html
    assert jobs.a1.get_absolute_url() in html

    other = client_for(county.t2staff).get(jobs.w3.get_absolute_url()).content.decode()
    assert jobs.a3.get_absolute_url() in other
    assert jobs.a1.get_absolute_url() not in other
