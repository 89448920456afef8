"""Due days on the working-day calendar, the nightly sweep and the escalation."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from gonghui.rights import services
from gonghui.rights.models import Case, DeadlineRule

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: date, hour: int = 10):
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def test_the_seeded_defaults_are_there(db):
    rule = DeadlineRule.objects.get(kind="mediation", complexity="ordinary")
    assert (rule.accept_days, rule.resolve_days, rule.resolve_in_calendar_days) == (3, 15, True)
    assert (rule.callback_days, rule.escalate_after_days) == (5, 5)
    assert DeadlineRule.objects.count() == 9


def test_a_case_received_before_national_day_is_due_after_the_holiday(county, lodge):
    # 2025: 1–8 October off, Saturday 11 October worked in lieu (调休).
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        case = lodge()
    assert case.due_on == date(2025, 10, 11)
    assert case.due_provisional is False


def test_legal_aid_resolution_counts_working_days_across_the_spring_festival(county, lodge):
    with time_machine.travel(at(date(2025, 1, 24)), tick=False):
        case = services.case_accept(by=county.t1staff, case=lodge(kind="legal_aid"))
    # 30 working days from Friday 24 January 2025: the festival (28 Jan – 4 Feb) is
    # skipped and Sunday 26 January and Saturday 8 February are worked.
    from gonghui.workdays.calendar import add_working_days

    assert case.due_on == add_working_days(date(2025, 1, 24), 30)
    assert case.due_on > date(2025, 3, 7)


def sweep(day: date) -> str:
    out = StringIO()
    call_command("rights_sweep", today=day.isoformat(), stdout=out)
    return out.getvalue()


def test_the_sweep_flags_then_escalates_after_the_delay_and_doubles_nothing(county, lodge):
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        case = lodge()  # at T1, due 11 October 2025
    assert "flagged: 0" in sweep(date(2025, 10, 11))
    assert "flagged: 1; escalated: 0" in sweep(date(2025, 10, 12))
    case.refresh_from_db()
    assert case.overdue_since == date(2025, 10, 12) and case.escalated_to is None
    # Five working days after 11 October 2025 is Friday 17 October.
    assert "flagged: 0; escalated: 0" in sweep(date(2025, 10, 16))
    assert "flagged: 0; escalated: 1" in sweep(date(2025, 10, 17))
    case.refresh_from_db()
    assert case.escalated_to == county.root and case.escalated_on == date(2025, 10, 17)
    assert "flagged: 0; escalated: 0" in sweep(date(2025, 10, 17))
    case.refresh_from_db()
    assert case.overdue_since == date(2025, 10, 12) and case.escalated_on == date(2025, 10, 17)


def test_a_new_stage_clears_the_overdue_mark(county, lodge):
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        case = lodge()
    sweep(date(2025, 10, 20))
    with time_machine.travel(at(date(2025, 10, 20)), tick=False):
        case = services.case_accept(by=county.t1staff, case=case)
    case.refresh_from_db()
    assert case.overdue_since is None and case.escalated_to is None
    assert case.due_on == date(2025, 11, 4)  # 15 calendar days


def test_the_sweep_leaves_closed_and_declined_cases_alone(county, lodge):
    with time_machine.travel(at(date(2025, 9, 30)), tick=False):
        services.case_decline(by=county.t1staff, case=lodge(), reason="重复投诉")
    assert "flagged: 0; escalated: 0" in sweep(date(2025, 12, 1))


@pytest.mark.parametrize(
    "values, field",
    [
        ({"accept_days": 0}, "accept_days"),
        ({"callback_days": -2}, "callback_days"),
        ({"escalate_after_days": 0}, "escalate_after_days"),
        ({"accept_days": 20, "resolve_days": 15}, "resolve_days"),
        ({"resolve_days": 1000}, "resolve_days"),
    ],
)
def test_a_deadline_rule_that_makes_no_sense_is_refused(county, client, values, field):
    from gonghui.conftest import signed_in

    data = {
        "kind": "mediation",
        "complexity": "simple",
        "accept_days": 3,
        "resolve_days": 15,
        "resolve_in_calendar_days": "on",
        "callback_days": 5,
        "escalate_after_days": 5,
        **values,
    }
    signed_in(client, county.admin)
    response = client.post("/rights/deadlines/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    rule = DeadlineRule.objects.get(kind="mediation", complexity="simple")
    assert (rule.accept_days, rule.resolve_days, rule.callback_days) == (3, 15, 5)


def test_a_county_administrator_changes_a_rule_and_new_cases_follow_it(county, client, lodge):
    from gonghui.conftest import signed_in

    signed_in(client, county.admin)
    page = client.get("/rights/deadlines/")
    assert page.status_code == 200
    response = client.post(
        "/rights/deadlines/",
        {
            "kind": "mediation",
            "complexity": "ordinary",
            "accept_days": 1,
            "resolve_days": 10,
            "resolve_in_calendar_days": "on",
            "callback_days": 3,
            "escalate_after_days": 2,
        },
    )
    assert response.status_code == 302
    with time_machine.travel(at(date(2025, 9, 29)), tick=False):
        case = lodge()
    assert case.due_on == date(2025, 9, 30)
    signed_in(client, county.t1staff)
    assert client.get("/rights/deadlines/").status_code == 403
    assert Case.objects.count() == 1
