"""The "awaiting my decision" view of the application list and its bulk approval:
in scope only, ids from elsewhere left alone, a summary of what happened."""

from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.aid import services, views
from gonghui.aid.models import AidApplication, FundEntry
from gonghui.aid.vocabularies import AidStatus

from .bulk import at_county, at_township, t1_users

URL = "/aid/approve/"


def approve(client, **data):
    return client.post(URL, {"target": "selected", "confirm": "on", **data})


def test_awaiting_my_decision_lists_only_what_waits_at_my_organisation(county, aid, client_for):
    _clerk, approver = t1_users(county)
    waiting_here = at_township(county, aid, 100, 2)
    waiting_above = at_county(county, aid, 110, 1)
    client = client_for(approver)

    page = client.get("/aid/?show=awaiting")

    assert page.status_code == 200
    assert sorted(a.pk for a in page.context["object_list"]) == sorted(a.pk for a in waiting_here)
    html = page.content.decode()
    assert 'id="bulk-approve"' in html
    assert 'id="select-all"' in html
    for application in waiting_here:
        assert f'name="applications" value="{application.pk}"' in html
    assert f'value="{waiting_above[0].pk}"' not in html
    # The plain list has no checkboxes.
    assert 'id="bulk-approve"' not in client.get("/aid/").content.decode()


def test_a_user_who_may_not_approve_gets_neither_the_view_nor_the_action(county, aid, client_for):
    waiting = at_county(county, aid, 120, 1)
    client = client_for(county.leader)

    page = client.get("/aid/?show=awaiting")
    assert page.status_code == 200
    assert 'id="bulk-approve"' not in page.content.decode()
    assert approve(client, applications=[waiting[0].pk]).status_code == 403
    assert AidApplication.objects.get(pk=waiting[0].pk).status == AidStatus.SUBMITTED


def test_the_selected_applications_are_approved_and_the_result_summarised(county, aid, client_for):
    ok1, ok2, own = at_county(county, aid, 130, 3)
    services.staff_person_link(by=county.superuser, user=county.admin, person=own.person)

    response = approve(
        client_for(county.admin),
        applications=[ok1.pk, ok2.pk, own.pk],
        comment="一并审批",
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "2 applications approved." in html
    assert "1 application refused" in html
    assert "Nobody may decide on aid for themselves." in html
    assert own.person.name in html
    for application in (ok1, ok2):
        application.refresh_from_db()
        assert application.status == AidStatus.APPROVED
        assert application.steps.last().comment == "一并审批"
    own.refresh_from_db()
    assert own.status == AidStatus.SUBMITTED
    aid.relief_fund.refresh_from_db()
    assert aid.relief_fund.reserved == Decimal("2000.00")


def test_ids_outside_the_scope_are_left_alone_and_not_shown(county, aid, client_for):
    (mine,) = at_township(county, aid, 140, 1)
    (elsewhere,) = at_county(county, aid, 150, 1)
    _clerk, approver = t1_users(county)

    response = approve(client_for(approver), applications=[mine.pk, 999999])
    html = response.content.decode()
    assert "1 applications approved." not in html
    assert "1 application approved." in html
    assert "1 selected application was not found in your scope" in html

    response = approve(client_for(county.t2staff), applications=[elsewhere.pk])
    assert response.status_code == 302
    messages = [
        str(m) for m in client_for(county.t2staff).get(response["Location"]).context["messages"]
    ]
    assert messages == ["No application awaiting your decision was found."]
    elsewhere.refresh_from_db()
    assert (elsewhere.status, elsewhere.current_level) == (AidStatus.SUBMITTED, county.root)
    assert not FundEntry.objects.filter(application=elsewhere).exists()


def test_an_application_of_another_level_is_refused_with_where_it_waits(county, aid, client_for):
    (at_t1,) = at_township(county, aid, 160, 1)

    response = approve(client_for(county.admin), applications=[at_t1.pk])

    assert f"This application awaits a decision at {county.t1.name}." in response.content.decode()
    assert AidApplication.objects.get(pk=at_t1.pk).current_level == county.t1


def test_nothing_happens_without_the_confirmation_or_a_selection(county, aid, client_for):
    (waiting,) = at_county(county, aid, 170, 1)
    client = client_for(county.admin)

    unconfirmed = client.post(URL, {"target": "selected", "applications": [waiting.pk]})
    assert unconfirmed.status_code == 302
    assert "show=awaiting" in unconfirmed["Location"]
    nothing = approve(client)
    assert nothing.status_code == 302
    messages = [str(m) for m in client.get(nothing["Location"]).context["messages"]]
    assert "Select at least one application." in messages
    assert AidApplication.objects.get(pk=waiting.pk).status == AidStatus.SUBMITTED
    assert client.get(URL).status_code == 405


def test_all_awaiting_me_that_match_the_filter_are_approved(county, aid, client_for):
    waiting = at_county(county, aid, 180, 3)
    (other_year,) = at_county(county, aid, 190, 1)
    AidApplication.objects.filter(pk=other_year.pk).update(year=2025)

    response = client_for(county.admin).post(
        URL, {"target": "matching", "confirm": "on", "query": "show=awaiting&year=2026"}
    )

    assert response.status_code == 200
    assert "3 applications approved." in response.content.decode()
    assert set(
        AidApplication.objects.filter(status=AidStatus.APPROVED).values_list("pk", flat=True)
    ) == {a.pk for a in waiting}


def test_at_most_the_limit_is_approved_at_once_and_the_rest_is_counted(
    county, aid, client_for, monkeypatch
):
    monkeypatch.setattr(views, "BULK_APPROVAL_MAX", 2)
    at_county(county, aid, 200, 3)

    response = client_for(county.admin).post(
        URL, {"target": "matching", "confirm": "on", "query": "show=awaiting"}
    )

    html = response.content.decode()
    assert "2 applications approved." in html
    assert "1 more application matches" in html
    assert AidApplication.objects.filter(status=AidStatus.SUBMITTED).count() == 1


def test_switching_to_awaiting_my_decision_refreshes_only_the_table(county, aid, client_for):
    (waiting,) = at_county(county, aid, 210, 1)

    fragment = client_for(county.admin).get(
        "/aid/?show=awaiting", headers={"HX-Request": "true", "HX-Target": "object-table"}
    )

    html = fragment.content.decode()
    assert "<html" not in html
    assert 'id="bulk-approve"' in html
    assert f'name="applications" value="{waiting.pk}"' in html


def test_the_awaiting_view_does_not_query_per_row(county, aid, client_for):
    client = client_for(county.admin)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/aid/?show=awaiting").status_code == 200
        return len(captured)

    at_county(county, aid, 220, 2)
    few = queries()
    at_county(county, aid, 230, 6)
    assert queries() == few
