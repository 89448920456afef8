"""A resolution's wording or counts corrected after a typing mistake: the outcome is
worked out again against the delegates as they were at the vote."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gonghui.congress import services
from gonghui.congress.models import Resolution
from gonghui.congress.tests.test_votes import present, vote
from gonghui.core.audit import history_for

pytestmark = pytest.mark.django_db


def _correct(client, resolution, **data):
    return client.post(reverse("congress:resolution-update", args=[resolution.pk]), data)


def test_a_correction_of_the_counts_works_out_the_outcome_again(county, congress_world, client_for):
    world = congress_world(9)
    present(county, world, 6)
    resolution = vote(county, world.s1, 4, against=2)  # 4 of 9 delegates: not passed
    assert not resolution.passed
    client = client_for(county.chair1)
    url = reverse("congress:resolution-update", args=[resolution.pk])
    # The form opens with what was recorded.
    form = client.get(url).context["form"]
    assert (form["votes_for"].value(), form["votes_against"].value()) == (4, 2)
    # The session page links to it.
    session_page = client.get(world.s1.get_absolute_url()).content.decode()
    assert url in session_page

    response = _correct(
        client,
        resolution,
        title="关于职工福利的决议",
        votes_for=5,
        votes_against=1,
        votes_abstain=0,
    )
    assert response.status_code == 302
    resolution.refresh_from_db()
    assert (resolution.votes_for, resolution.votes_against, resolution.passed) == (5, 1, True)
    # The roll as it was at the vote counts, not as it stands now: a delegate elected
    # to the term since would make 6 of 10 too few for a majority.
    services.delegate_create(
        by=county.admin, employer=county.e1, term=1, name="补选代表", elected_on=date(2025, 5, 1)
    )
    services.resolution_update(
        by=county.admin,
        resolution=resolution,
        title="关于职工福利的决议（修正）",
        votes_for=6,
        votes_against=0,
        votes_abstain=0,
    )
    resolution.refresh_from_db()
    assert (resolution.delegates_present, resolution.delegates_total) == (6, 9)
    assert resolution.passed and resolution.title.endswith("（修正）")
    assert services.session_counts(world.s1) == (6, 10)
    # The change history keeps what the counts were.
    changes = [change for row in history_for(resolution) for change in row.changes]
    assert ("votes for", "4", "5") in changes


def test_a_correction_with_more_votes_than_delegates_present_is_refused(
    county, congress_world, client_for
):
    world = congress_world(9)
    present(county, world, 6)
    resolution = vote(county, world.s1, 5)
    response = _correct(
        client_for(county.chair1),
        resolution,
        title="改过的标题",
        votes_for=5,
        votes_against=2,
        votes_abstain=0,
    )
    assert response.status_code == 200
    assert "7 votes were counted but only 6 delegates were present" in response.content.decode()
    resolution.refresh_from_db()
    assert (resolution.title, resolution.votes_against) == ("关于职工福利的决议", 0)


def test_a_resolution_outside_the_scope_answers_404_and_cannot_be_corrected(
    county, congress_world, client_for
):
    world = congress_world(3)
    present(county, world, 3)
    resolution = vote(county, world.s1, 3)  # E1's, chair1's union
    client = client_for(county.chair2)
    assert (
        client.get(reverse("congress:resolution-update", args=[resolution.pk])).status_code == 404
    )
    assert (
        _correct(
            client, resolution, title="x", votes_for=0, votes_against=0, votes_abstain=0
        ).status_code
        == 404
    )
    assert Resolution.objects.get().title == "关于职工福利的决议"
