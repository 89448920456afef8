"""The auditor's console: both logs listed with filters, exported to Excel with
the filters in the title row, scoped to the reader's subtree, refused without
the right."""

from io import BytesIO

import pytest
from auditlog.context import set_actor
from django.contrib.auth.models import Permission
from django.urls import reverse
from openpyxl import load_workbook

from gonghui.conftest import make_user
from gonghui.orgs.services import organisation_update
from gonghui.security.events import EventKind, security_event
from gonghui.security.models import SecurityEvent

EVENTS = reverse("security:event-list")
CHANGES = reverse("security:change-list")


@pytest.fixture
def auditor(county):
    """A reader of the logs at the county: whichever role holds the right (the
    auditor's, accounts.roles), it is this permission that opens the console."""
    reader = make_user("logreader", county.root)
    reader.user_permissions.add(
        Permission.objects.get(content_type__app_label="security", codename="view_securityevent")
    )
    return reader


def test_the_administrator_filters_events_by_kind_result_and_account(client_for, county, auditor):
    security_event(kind=EventKind.SIGN_IN_FAILED, username="chair1", result="failed")
    security_event(kind=EventKind.SIGN_IN, by=county.chair2)

    page = client_for(auditor).get(
        EVENTS, {"kind": "sign_in_failed", "result": "failed", "account": "chair1"}
    )

    assert page.status_code == 200
    rows = page.context["object_list"]
    assert [(e.kind, e.username) for e in rows] == [("sign_in_failed", "chair1")]


def test_events_filtered_by_period_and_organisation(client_for, county, auditor):
    security_event(kind=EventKind.SIGN_IN, by=county.chair1)
    security_event(kind=EventKind.SIGN_IN, by=county.t2staff)

    page = client_for(auditor).get(
        EVENTS, {"organisation": county.t1.pk, "kind": "sign_in", "since": "2000-01-01"}
    )

    assert [e.username for e in page.context["object_list"]] == ["chair1"]


def test_a_period_ending_before_it_starts_is_explained(client_for, county, auditor):
    page = client_for(auditor).get(EVENTS, {"since": "2026-02-01", "until": "2026-01-01"})

    assert "The start of the period is after its end." in page.content.decode()


def test_the_export_names_its_filters_and_is_itself_logged(client_for, county, auditor):
    security_event(kind=EventKind.LOCKOUT, username="chair2", result="refused")

    response = client_for(auditor).get(EVENTS, {"kind": "lockout", "export": "xlsx"})

    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Security events" in rows[0][0] and "Lockout" in rows[0][0] and "logreader" in rows[0][0]
    assert rows[2][1] == "Lockout" and rows[2][3] == "chair2"
    exported = SecurityEvent.objects.get(kind=EventKind.EXPORT)
    assert exported.object_type == "security:event-list"


def test_an_administrator_sees_only_the_events_of_its_own_county(
    client_for, county, neighbours, auditor
):
    security_event(kind=EventKind.SIGN_IN, by=county.chair1)
    security_event(kind=EventKind.SIGN_IN, by=neighbours.xchair)

    page = client_for(auditor).get(EVENTS, {"kind": "sign_in"})

    usernames = {e.username for e in page.context["object_list"]}
    assert "chair1" in usernames and "xchair" not in usernames


def test_the_change_history_lists_who_changed_what(client_for, county, auditor):
    with set_actor(county.t1staff):
        organisation_update(by=county.t1staff, organisation=county.g1, name="东镇机械厂工会（新）")

    page = client_for(auditor).get(CHANGES, {"account": "t1staff"})

    assert page.status_code == 200
    (entry,) = page.context["object_list"]
    assert entry.object_repr == "东镇机械厂工会（新）"
    assert "东镇机械厂工会（新）" in page.content.decode()


def test_both_logs_are_refused_without_the_right(client_for, county):
    client = client_for(county.chair1)

    assert client.get(EVENTS).status_code == 403
    assert client.get(CHANGES).status_code == 403


def test_the_change_history_shows_a_change_of_roles(county, client_for):
    """A role change is auditlog's many-to-many entry, not a (before, after) pair."""
    from gonghui.accounts.models import Role

    client_for(county.secadmin).post(
        reverse("accounts:staff-update", args=[county.chair2.pk]),
        {"roles": [Role.GRASSROOTS_CHAIR, Role.MEDIATOR]},
    )
    client = client_for(county.auditor)
    page = client.get(reverse("security:change-list"))
    assert page.status_code == 200
    assert "groups: +mediator" in page.content.decode()
    export = client.get(reverse("security:change-list"), {"export": "xlsx"})
    assert export.status_code == 200
