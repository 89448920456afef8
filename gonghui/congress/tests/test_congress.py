"""The congress pages: shares against the rules, overdue employers, the scope,
the proposal's handling and the worker's messages."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.congress import services
from gonghui.congress.models import CongressSession, Delegate, Disclosure, Proposal
from gonghui.congress.tests.conftest import HELD, roll
from gonghui.inbox.models import Message

pytestmark = pytest.mark.django_db


# --- Shares -------------------------------------------------------------------------------


def test_managers_above_a_fifth_of_delegates_are_shown_as_breached(county, people, client_for):
    roll(county, people, 7, frontline=True)
    roll(county, people, 2, manager=True, woman=True)  # 2 of 9: 22.2%
    page = client_for(county.chair1).get(reverse("congress:employer", args=[county.e1.pk]))
    text = page.content.decode()
    managers = next(s for s in page.context["shares"] if s.label == "managers")
    assert managers.breached and managers.percent == 22.2
    assert "above the 20% allowed" in text
    women = next(s for s in page.context["shares"] if s.label == "women")
    assert (women.count, women.total, women.breached) == (2, 9, False)


def test_a_fifth_exactly_is_within_the_rule(county, people, client_for):
    roll(county, people, 8, frontline=True)
    roll(county, people, 2, manager=True)  # 2 of 10: 20%
    page = client_for(county.chair1).get(reverse("congress:employer", args=[county.e1.pk]))
    assert "above the 20% allowed" not in page.content.decode()
    assert "at most 20%" in page.content.decode()


def test_a_woman_front_line_worker_counts_in_both_shares(county, people, client_for):
    roll(county, people, 1, frontline=True, woman=True)
    roll(county, people, 1, frontline=True)
    page = client_for(county.chair1).get(reverse("congress:employer", args=[county.e1.pk]))
    shares = {s.label: (s.count, s.total) for s in page.context["shares"]}
    assert shares["front-line workers"] == (2, 2) and shares["women"] == (1, 2)


def test_a_manager_is_not_also_a_front_line_worker(county, people):
    with pytest.raises(ValidationError):
        roll(county, people, 1, frontline=True, manager=True)
    assert not Delegate.objects.exists()


# --- Overdue employers ----------------------------------------------------------------------


def test_employers_without_a_session_in_twelve_months_are_listed_overdue(
    county, people, client_for
):
    today = timezone.localdate()
    services.session_create(
        by=county.admin, employer=county.e1, term=1, number=1, held_on=today - timedelta(days=30)
    )
    services.session_create(
        by=county.admin, employer=county.e2, term=1, number=1, held_on=today - timedelta(days=400)
    )
    client = client_for(county.admin)
    url = reverse("congress:overview")
    rows = {o.name: o for o in client.get(url).context["object_list"]}
    # E3 has no union and no session: no congress is expected of it.
    assert set(rows) == {county.e1.name, county.e2.name}
    assert not rows[county.e1.name].overdue and rows[county.e2.name].overdue

    overdue = [o.name for o in client.get(url, {"overdue": "yes"}).context["object_list"]]
    assert overdue == [county.e2.name]

    export = client.get(url, {"overdue": "yes", "export": "xlsx"})
    cells = [
        [c for c in row]
        for row in load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True)
    ]
    assert any(county.e2.name in row for row in cells)
    assert not any(county.e1.name in row for row in cells)


def test_an_employer_never_holding_a_congress_is_overdue(county, people, client_for):
    page = client_for(county.chair1).get(reverse("congress:overview"), {"overdue": "yes"})
    assert [o.name for o in page.context["object_list"]] == [county.e1.name]
    employer_page = client_for(county.chair1).get(reverse("congress:employer", args=[county.e1.pk]))
    assert "Overdue: no session in the last 12 months" in employer_page.content.decode()


# --- Scope ----------------------------------------------------------------------------------


def test_another_subtrees_session_and_employer_are_not_found(county, congress_world, client_for):
    world = congress_world(3)
    client = client_for(county.chair2)  # G2's chair: E1 and its session are G1's
    assert client.get(reverse("congress:session-detail", args=[world.s1.pk])).status_code == 404
    assert client.get(reverse("congress:employer", args=[county.e1.pk])).status_code == 404
    assert client.get(reverse("congress:session-detail", args=[world.s2.pk])).status_code == 200
    overview = client.get(reverse("congress:overview")).content.decode()
    assert county.e1.name not in overview and county.e2.name in overview


def test_an_employer_outside_scope_is_refused_in_forms_without_naming_it(
    county, people, client_for
):
    client = client_for(county.chair2)
    for route in ("session-create", "delegate-create", "disclosure-create"):
        url = reverse(f"congress:{route}", args=[county.e1.pk])
        response = client.post(
            url,
            {
                "term": 1,
                "number": 1,
                "held_on": "2025-03-01",
                "name": "外人",
                "elected_on": "2025-03-01",
                "topic": "wages",
                "period": "2025",
                "text": "x",
                "disclosed_on": "2025-03-01",
            },
        )
        assert response.status_code == 404
        assert county.e1.name not in response.content.decode()
    assert not CongressSession.objects.exists()
    assert not Delegate.objects.exists() and not Disclosure.objects.exists()
    with pytest.raises(PermissionDenied) as refused:
        services.session_create(
            by=county.chair2, employer=county.e1, term=1, number=1, held_on=HELD
        )
    assert county.e1.name not in str(refused.value)


def test_a_delegate_from_another_employer_is_refused(county, people, client_for):
    from gonghui.people.tests.conftest import valid_id

    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:delegate-create", args=[county.e1.pk]),
        {"term": 1, "person_id_number": valid_id(2), "elected_on": "2025-01-10", "frontline": "on"},
    )
    assert response.status_code == 200
    assert "Nobody with this ID number works at this employer" in response.content.decode()
    assert people.p2.name not in response.content.decode()
    assert not Delegate.objects.exists()


def test_the_leader_reads_but_may_not_record(county, congress_world, client_for):
    world = congress_world(3)
    client = client_for(county.leader)
    assert client.get(reverse("congress:session-detail", args=[world.s1.pk])).status_code == 200
    assert client.get(reverse("congress:session-create", args=[county.e1.pk])).status_code == 403


# --- Delegates, proposals and the worker's messages ------------------------------------------


def test_a_worker_elected_a_delegate_is_told(county, people, client_for):
    from gonghui.people.tests.conftest import valid_id

    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:delegate-create", args=[county.e1.pk]),
        {"term": 2, "person_id_number": valid_id(4), "elected_on": "2025-01-10", "frontline": "on"},
    )
    assert response.status_code == 302
    delegate = Delegate.objects.get()
    assert delegate.person == people.p4 and delegate.name == people.p4.name
    message = Message.objects.get(person=people.p4)
    assert "delegate" in message.title and "term 2" in message.body
    # A named delegate without a file has nobody to tell.
    services.delegate_create(
        by=county.chair1, employer=county.e1, term=2, name="外聘代表", elected_on=date(2025, 1, 10)
    )
    assert Message.objects.count() == 1
    # The person's file shows the term.
    person_page = client.get(people.p4.get_absolute_url()).content.decode()
    assert county.e1.name in person_page and "Workers&#x27; congress" in person_page


def test_a_proposal_is_accepted_handled_and_replied_and_the_proposer_told(
    county, congress_world, client_for
):
    world = congress_world(3)
    proposer = world.delegates[0]  # linked to p1
    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:proposal-create", args=[world.s1.pk]),
        {
            "proposer": proposer.pk,
            "title": "增设职工休息室",
            "text": "车间缺少休息场所。",
            "submitted_on": "2025-03-20",
        },
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get()
    url = reverse("congress:proposal-update", args=[proposal.pk])
    # A reply before acceptance is refused, and nothing changes.
    refused = client.post(url, {"status": "replied", "reply": "好", "replied_on": "2025-04-01"})
    assert refused.status_code == 200 and "cannot become" in refused.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert client.post(url, {"status": "accepted", "department": "行政部"}).status_code == 302
    assert client.post(url, {"status": "handled"}).status_code == 302
    no_reply = client.post(url, {"status": "replied", "replied_on": "2025-04-01"})
    assert "Write the reply." in no_reply.content.decode()
    assert not Message.objects.filter(title__contains="proposal").exists()
    done = client.post(
        url, {"status": "replied", "reply": "已在二车间设休息室。", "replied_on": "2025-04-01"}
    )
    assert done.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.status, proposal.department, proposal.replied_on) == (
        "replied",
        "行政部",
        date(2025, 4, 1),
    )
    message = Message.objects.get(title__contains="proposal")
    assert message.person == proposer.person and "已在二车间设休息室" in message.body


def test_a_proposer_must_be_a_delegate_of_the_sessions_term(county, congress_world, people):
    world = congress_world(3)
    other = roll(county, people, 1, term=2)[0]
    with pytest.raises(ValidationError):
        services.proposal_create(
            by=county.chair1,
            session=world.s1,
            proposer=other,
            title="x",
            text="y",
            submitted_on=HELD,
        )
    assert not Proposal.objects.exists()


def test_the_session_edit_form_shows_the_session_and_keeps_what_is_not_changed(
    county, congress_world, client_for
):
    world = congress_world(3)
    client = client_for(county.chair1)
    url = reverse("congress:session-update", args=[world.s1.pk])
    form = client.get(url).context["form"]
    assert form["place"].value() == "礼堂" and str(form["held_on"].value()) == "2025-03-20"
    assert 'value="2025-03-20"' in client.get(url).content.decode()
    client.post(url, {"term": 1, "number": 1, "held_on": "2025-03-20", "place": "会议室"})
    world.s1.refresh_from_db()
    assert (world.s1.place, world.s1.held_on) == ("会议室", HELD)


def test_the_employers_page_shows_its_congress(county, congress_world, client_for):
    congress_world(3)
    page = client_for(county.chair1).get(county.e1.get_absolute_url()).content.decode()
    assert "The whole congress record" in page
    assert reverse("congress:employer", args=[county.e1.pk]) in page


def test_a_disclosure_is_recorded_and_listed(county, people, client_for):
    client = client_for(county.chair1)
    response = client.post(
        reverse("congress:disclosure-create", args=[county.e1.pk]),
        {
            "topic": "wages",
            "period": "2025年第一季度",
            "text": "工资调整方案",
            "disclosed_on": "2025-04-02",
        },
    )
    assert response.status_code == 302
    listed = client.get(reverse("congress:disclosure-list"), {"topic": "wages"})
    assert [d.period for d in listed.context["object_list"]] == ["2025年第一季度"]
    assert (
        not client_for(county.chair2)
        .get(reverse("congress:disclosure-list"))
        .context["object_list"]
    )


def test_the_delegate_edit_form_shows_the_delegate_and_keeps_the_linked_worker(
    county, people, client_for
):
    delegate = roll(county, people, 1, frontline=True)[0]  # linked to p1
    client = client_for(county.chair1)
    url = reverse("congress:delegate-update", args=[delegate.pk])
    page = client.get(url)
    assert page.context["form"]["frontline"].value() is True
    assert people.p1.name in page.content.decode()
    assert people.p1.masked_id_number() in page.content.decode()
    response = client.post(
        url, {"term": 1, "elected_on": "2025-01-10", "frontline": "on", "woman": "on"}
    )
    assert response.status_code == 302
    delegate.refresh_from_db()
    assert delegate.person == people.p1 and delegate.woman and delegate.frontline
