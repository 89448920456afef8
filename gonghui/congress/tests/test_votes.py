"""The quorum (two thirds present) and the majority (more than half of ALL delegates)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.congress import services
from gonghui.congress.models import Resolution

pytestmark = pytest.mark.django_db


def vote(county, session, votes_for, against=0, abstain=0):
    return services.resolution_create(
        by=county.admin,
        session=session,
        title="关于职工福利的决议",
        votes_for=votes_for,
        votes_against=against,
        votes_abstain=abstain,
    )


def present(county, world, n):
    services.attendance_set(by=county.admin, session=world.s1, present=world.delegates[:n])


def test_exactly_two_thirds_present_makes_a_valid_session(county, congress_world, client_for):
    world = congress_world(9)
    present(county, world, 6)  # 6 of 9: exactly two thirds
    assert vote(county, world.s1, 5).passed
    client = client_for(county.admin)
    page = client.get(reverse("congress:session-detail", args=[world.s1.pk])).content.decode()
    assert "6 / 9" in page and "invalid" not in page


def test_one_fewer_than_two_thirds_makes_the_session_invalid_and_nothing_passes(
    county, congress_world, client_for
):
    world = congress_world(9)
    present(county, world, 5)
    resolution = vote(county, world.s1, 5)  # all present for, and a majority of all: still fails
    assert not resolution.passed
    client = client_for(county.chair1)
    page = client.get(reverse("congress:session-detail", args=[world.s1.pk])).content.decode()
    assert "invalid: below two thirds" in page
    assert "not passed" in page


def test_exactly_half_of_all_delegates_fails_and_half_plus_one_passes(county, congress_world):
    world = congress_world(10)
    present(county, world, 10)
    assert not vote(county, world.s1, 5, against=5).passed
    assert vote(county, world.s1, 6, against=4).passed


def test_the_majority_is_of_all_delegates_not_of_those_present(county, congress_world):
    world = congress_world(12)
    present(county, world, 8)  # two thirds of 12
    # 6 of the 8 present is three quarters of them, but only half of all 12.
    assert not vote(county, world.s1, 6, against=2).passed
    assert vote(county, world.s1, 7, against=1).passed


def test_more_votes_than_delegates_present_are_refused_and_nothing_is_written(
    county, congress_world, client_for
):
    world = congress_world(9)
    present(county, world, 6)
    with pytest.raises(ValidationError) as refused:
        vote(county, world.s1, 4, against=2, abstain=1)
    assert "7 votes were counted but only 6 delegates were present" in str(refused.value)
    assert not Resolution.objects.exists()

    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:resolution-create", args=[world.s1.pk]),
        {"title": "决议", "votes_for": 7, "votes_against": 0, "votes_abstain": 0},
    )
    assert response.status_code == 200
    assert "only 6 delegates were present" in response.content.decode()
    assert not Resolution.objects.exists()


def test_a_negative_vote_is_refused_by_the_form_and_by_the_database(
    county, congress_world, client_for
):
    from django.db import IntegrityError, transaction

    world = congress_world(3)
    present(county, world, 3)
    client = client_for(county.admin)
    response = client.post(
        reverse("congress:resolution-create", args=[world.s1.pk]),
        {"title": "决议", "votes_for": -1, "votes_against": 0, "votes_abstain": 0},
    )
    assert response.status_code == 200 and response.context["form"].errors
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            session=world.s1,
            title="x",
            votes_for=3,
            votes_against=1,
            votes_abstain=0,
            delegates_total=3,
            delegates_present=3,
            passed=True,
        )
    assert not Resolution.objects.exists()


def test_the_database_refuses_an_outcome_against_the_rule(county, congress_world):
    from django.db import IntegrityError, transaction

    world = congress_world(4)
    with pytest.raises(IntegrityError), transaction.atomic():
        Resolution.objects.create(
            session=world.s1,
            title="x",
            votes_for=2,
            votes_against=0,
            votes_abstain=0,
            delegates_total=4,
            delegates_present=4,
            passed=True,  # 2 of 4 is not more than half
        )


def test_a_resolution_is_recorded_through_the_page(county, congress_world, client_for):
    world = congress_world(3)
    present(county, world, 3)
    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:resolution-create", args=[world.s1.pk]),
        {"title": "关于食堂的决议", "votes_for": 2, "votes_against": 1, "votes_abstain": 0},
    )
    assert response.status_code == 302
    resolution = Resolution.objects.get()
    assert resolution.passed and resolution.delegates_present == 3


def test_attendance_is_fixed_once_resolutions_are_voted(county, congress_world):
    world = congress_world(3)
    present(county, world, 3)
    vote(county, world.s1, 2)
    with pytest.raises(ValidationError):
        present(county, world, 2)
