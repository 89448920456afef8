"""What the sweep's flags show: the referral of a late mediation, the escalated case on
the to-do list above; the intake templates page; the list's queries do not grow."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.conftest import signed_in
from gonghui.core.todo import todo_for
from gonghui.rights import services
from gonghui.rights.models import IntakeTemplate


def at(day):
    return datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


def test_a_mediation_past_fifteen_days_is_flagged_for_arbitration(
    county, neighbours, lodge, client
):
    with time_machine.travel(at(date(2025, 3, 3)), tick=False):
        case = services.case_accept(by=county.t1staff, case=lodge())
        case = services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
        case = services.case_start_mediation(by=neighbours.mediator, case=case)
    assert case.due_on == date(2025, 3, 18)
    with time_machine.travel(at(date(2025, 3, 19)), tick=False):
        signed_in(client, neighbours.mediator)
        text = client.get(case.get_absolute_url()).content.decode()
        assert "refer the parties to arbitration" in text
        items = {str(i.label): i.count for i in todo_for(neighbours.mediator)}
        assert items["Your overdue rights cases"] == 1


def test_an_escalated_case_waits_on_the_to_do_list_above(county, lodge):
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        case = lodge(organisation=county.g1)
    services.rights_sweep(today=date(2025, 10, 20))
    case.refresh_from_db()
    assert case.escalated_to == county.t1
    items = {str(i.label): i.count for i in todo_for(county.t1staff)}
    assert items["Rights cases escalated to your organisation"] == 1
    items = {str(i.label): i.count for i in todo_for(county.admin)}
    assert items["Rights cases escalated to your organisation"] == 0


def test_a_county_administrator_edits_the_intake_questions(county, client):
    signed_in(client, county.admin)
    response = client.post(
        "/rights/intake-templates/", {"kind": "complaint", "questions": "问题一\n\n 问题二 \n"}
    )
    assert response.status_code == 302
    assert IntakeTemplate.objects.get(kind="complaint").questions == ["问题一", "问题二"]
    signed_in(client, county.t1staff)
    assert client.post("/rights/intake-templates/", {"kind": "complaint"}).status_code == 403
    assert IntakeTemplate.objects.get(kind="complaint").questions == ["问题一", "问题二"]


def test_the_list_reads_a_fixed_number_of_queries(county, lodge, client):
    signed_in(client, county.t1staff)
    lodge()
    client.get("/rights/")
    with CaptureQueriesContext(connection) as few:
        client.get("/rights/")
    for _i in range(6):
        lodge(workers_involved=12 if _i == 0 else None)
    with CaptureQueriesContext(connection) as many:
        client.get("/rights/")
    assert len(many) == len(few)
