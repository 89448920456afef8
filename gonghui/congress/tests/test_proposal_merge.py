"""A proposal merged with another (并案) names the one it joined, and the reply to
that one reaches both proposers."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.congress import services
from gonghui.congress.models import Proposal
from gonghui.congress.tests.conftest import HELD
from gonghui.inbox.models import Message

pytestmark = pytest.mark.django_db


def _proposal(county, session, proposer, title: str) -> Proposal:
    return services.proposal_create(
        by=county.admin,
        session=session,
        proposer=proposer,
        title=title,
        text="正文",
        submitted_on=HELD,
    )


@pytest.fixture
def two(county, congress_world):
    """In E1's session: "canteen" by an unlinked delegate, and "rest room" by the
    delegate linked to worker p1, who is told of what becomes of it."""
    world = congress_world(3)
    canteen = _proposal(county, world.s1, world.delegates[1], "改善食堂")
    rest_room = _proposal(county, world.s1, world.delegates[0], "增设休息室")
    return world, canteen, rest_room


def _advance(client, proposal, **data):
    return client.post(reverse("congress:proposal-update", args=[proposal.pk]), data)


def test_a_merge_names_the_proposal_it_joins_and_its_reply_reaches_both_proposers(
    county, two, client_for
):
    world, canteen, rest_room = two
    client = client_for(county.chair1)
    # Merging without naming the proposal it joins is refused, and nothing changes.
    refused = _advance(client, rest_room, status="merged")
    assert refused.status_code == 200
    assert "Choose the proposal of the same session" in refused.content.decode()
    rest_room.refresh_from_db()
    assert (rest_room.status, rest_room.merged_into) == ("submitted", None)
    # The form offers the session's other proposals only.
    form = client.get(reverse("congress:proposal-update", args=[rest_room.pk])).context["form"]
    assert list(form.fields["merged_into"].queryset) == [canteen]

    assert _advance(client, rest_room, status="merged", merged_into=canteen.pk).status_code == 302
    rest_room.refresh_from_db()
    assert (rest_room.status, rest_room.merged_into) == ("merged", canteen)
    told = Message.objects.filter(person=world.delegates[0].person).latest("pk")
    assert "merged" in told.title and "改善食堂" in told.body

    # Each page points to the other.
    merged_page = client.get(rest_room.get_absolute_url()).content.decode()
    assert canteen.get_absolute_url() in merged_page
    joined_page = client.get(canteen.get_absolute_url()).content.decode()
    assert rest_room.get_absolute_url() in joined_page and "增设休息室" in joined_page

    assert _advance(client, canteen, status="accepted", department="行政部").status_code == 302
    replied = _advance(
        client, canteen, status="replied", reply="食堂已增加窗口。", replied_on="2025-04-01"
    )
    assert replied.status_code == 302
    reply = Message.objects.filter(person=world.delegates[0].person).latest("pk")
    assert "reply" in reply.title
    assert "食堂已增加窗口" in reply.body and "增设休息室" in reply.body
    # The merged proposal's page shows the reply it shares.
    assert "食堂已增加窗口" in client.get(rest_room.get_absolute_url()).content.decode()


def test_a_merge_into_a_proposal_of_another_session_or_out_of_scope_is_refused(
    county, two, client_for
):
    world, _canteen, rest_room = two
    other_delegate = services.delegate_create(
        by=county.admin, employer=county.e2, term=1, name="外单位代表", elected_on=HELD
    )
    elsewhere = _proposal(county, world.s2, other_delegate, "外单位提案")
    client = client_for(county.chair1)
    # Through the page: not among the choices, and the answer names nothing of E2.
    page = _advance(client, rest_room, status="merged", merged_into=elsewhere.pk)
    assert page.status_code == 200
    text = page.content.decode()
    assert "外单位提案" not in text and county.e2.name not in text
    # Through the service, for a reader who sees both: another session is refused too.
    with pytest.raises(ValidationError) as refused:
        services.proposal_advance(
            by=county.admin, proposal=rest_room, status="merged", merged_into=elsewhere
        )
    assert "merged_into" in refused.value.message_dict
    rest_room.refresh_from_db()
    assert (rest_room.status, rest_room.merged_into) == ("submitted", None)
    assert not Message.objects.filter(title__contains="merged").exists()


def test_no_chain_of_merges(county, two):
    world, canteen, rest_room = two
    third = _proposal(county, world.s1, world.delegates[2], "延长午休")
    services.proposal_advance(
        by=county.admin, proposal=rest_room, status="merged", merged_into=canteen
    )
    # Not into a proposal that was itself merged ...
    with pytest.raises(ValidationError) as into_merged:
        services.proposal_advance(
            by=county.admin, proposal=third, status="merged", merged_into=rest_room
        )
    assert "itself merged" in str(into_merged.value)
    # ... nor may a proposal others joined be merged in turn ...
    with pytest.raises(ValidationError) as joined:
        services.proposal_advance(
            by=county.admin, proposal=canteen, status="merged", merged_into=third
        )
    assert "Other proposals were merged with this one" in str(joined.value)
    # ... nor into itself.
    with pytest.raises(ValidationError):
        services.proposal_advance(
            by=county.admin, proposal=third, status="merged", merged_into=third
        )
    third.refresh_from_db()
    canteen.refresh_from_db()
    assert (third.status, canteen.status) == ("submitted", "submitted")


def test_the_database_keeps_the_link_for_merged_proposals_only(two):
    _world, canteen, rest_room = two
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=rest_room.pk).update(merged_into=canteen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=rest_room.pk).update(status="merged", merged_into=rest_room)
