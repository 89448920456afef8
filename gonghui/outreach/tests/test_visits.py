"""Recording visits (冬送温暖, 节日慰问), and a visit on the visited person's file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from gonghui.outreach import services
from gonghui.outreach.models import Visit

from .conftest import valid_id


def form_data(county, **changes) -> dict:
    data = {
        "organisation": county.g1.pk,
        "visited_on": "2025-09-28",
        "occasion": "mid_autumn",
        "person_id_number": "",
        "visited_name": "某户",
        "visitors": [county.chair1.pk],
        "visitor_names": "",
        "goods": "月饼",
        "goods_value": "88.00",
        "cash": "300.00",
        "note": "",
    }
    return {**data, **changes}


def visits():
    return list(Visit.objects.order_by("pk").values())


def test_a_visit_entered_with_an_id_number_is_linked_to_the_persons_file(
    county, client_for, people
):
    client = client_for(county.chair1)

    response = client.post(
        reverse("outreach:visit-create"), form_data(county, person_id_number=valid_id(1))
    )

    visit = Visit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == visit.get_absolute_url()
    assert visit.person == people.p1
    assert list(visit.visitors.all()) == [county.chair1]
    assert visit.total_value == Decimal("388.00")
    page = client.get(people.p1.get_absolute_url()).content.decode()
    assert "Visits and micro-wishes" in page
    assert visit.get_absolute_url() in page
    assert "Mid-Autumn visit" in page


def test_a_visit_opened_from_the_file_needs_no_id_number(county, client_for, people):
    client = client_for(county.chair1)
    url = reverse("outreach:visit-create") + f"?person={people.p1.pk}"

    form_page = client.get(url).content.decode()
    response = client.post(url, form_data(county))

    assert valid_id(1) not in form_page
    assert response.status_code == 302
    assert Visit.objects.get().person == people.p1


def test_a_visit_to_a_person_out_of_scope_cannot_be_opened_from_a_guessed_id(
    county, client_for, people
):
    url = reverse("outreach:visit-create") + f"?person={people.p3.pk}"

    assert client_for(county.chair1).get(url).status_code == 404
    assert client_for(county.chair1).post(url, form_data(county)).status_code == 404
    assert not Visit.objects.exists()


def test_a_household_without_a_file_is_written_by_name(county, client_for, people):
    client = client_for(county.chair1)

    client.post(
        reverse("outreach:visit-create"), form_data(county, visited_name="李家（退休职工）")
    )

    assert Visit.objects.get().visited_label == "李家（退休职工）"


def test_a_visit_shows_on_the_file_only_to_those_who_may_see_the_visit(
    county, client_for, outreach
):
    people = outreach.people
    # T2 visited p3; p3's file is seen by T2's staff, and by the county.
    t2_page = client_for(county.t2staff).get(people.p3.get_absolute_url()).content.decode()
    leader_page = client_for(county.leader).get(people.p3.get_absolute_url()).content.decode()

    assert outreach.v3.get_absolute_url() in t2_page
    assert outreach.v3.get_absolute_url() in leader_page
    # The leader reads, but is not offered to record a visit.
    assert "Record a visit" in t2_page and "Record a visit" not in leader_page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"cash": "-1.00"}, "An amount cannot be negative."),
        ({"goods_value": "-0.01"}, "An amount cannot be negative."),
        (
            {"visited_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "The visit date cannot be in the future.",
        ),
        ({"visited_name": ""}, "Choose the person visited or write the household or name."),
        ({"visitors": []}, "Say who made the visit."),
        (
            {"person_id_number": valid_id(3)},
            "Nobody with this ID number is registered in your scope.",
        ),
        (
            {"person_id_number": "123"},
            "An ID number has 18 characters (15 for an old card); this one has 3.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    county, client_for, people, changes, message
):
    response = client_for(county.chair1).post(
        reverse("outreach:visit-create"), form_data(county, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert visits() == []


def test_an_edit_changes_the_visit_and_keeps_the_person(county, client_for, outreach):
    v1 = outreach.v1

    response = client_for(county.chair1).post(
        reverse("outreach:visit-update", args=[v1.pk]),
        form_data(county, occasion="winter_warmth", cash="650.00"),
    )

    assert response.status_code == 302
    v1.refresh_from_db()
    assert (v1.occasion, v1.cash, v1.person) == (
        "winter_warmth",
        Decimal("650.00"),
        outreach.people.p1,
    )


def test_a_visit_in_the_name_of_an_organisation_outside_the_scope_is_refused(county, people):
    with pytest.raises(PermissionDenied):
        services.visit_create(
            by=county.chair1,
            organisation=county.g2,
            visited_on=date(2025, 1, 1),
            occasion="other",
            visited_name="某户",
            visitor_names="某人",
        )
    assert not Visit.objects.exists()


def test_a_visit_to_a_person_outside_the_scope_is_refused(county, people):
    with pytest.raises(PermissionDenied):
        services.visit_create(
            by=county.chair1,
            organisation=county.g1,
            visited_on=date(2025, 1, 1),
            occasion="other",
            person=people.p3,
            visitor_names="某人",
        )
    assert not Visit.objects.exists()


def test_the_list_filters_by_occasion_and_exports(county, client_for, outreach):
    client = client_for(county.admin)

    winter = client.get(reverse("outreach:visit-list"), {"occasion": "winter_warmth"})
    export = client.get(reverse("outreach:visit-list"), {"export": "xlsx"})

    assert [v.pk for v in winter.context["object_list"]] == [outreach.v3.pk]
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_visitor_from_outside_the_scope_is_refused_by_the_service_too(county, people):
    # chair2's union is a sibling of chair1's: not in chair1's subtree.
    with pytest.raises(PermissionDenied):
        services.visit_create(
            by=county.chair1,
            organisation=county.g1,
            visited_on=date(2025, 1, 1),
            occasion="other",
            visited_name="某户",
            visitors=[county.chair1, county.chair2],
        )
    assert not Visit.objects.exists()

    visit = services.visit_create(
        by=county.chair1,
        organisation=county.g1,
        visited_on=date(2025, 1, 1),
        occasion="other",
        visited_name="某户",
        visitors=[county.chair1],
    )
    assert list(visit.visitors.all()) == [county.chair1]
