"""Confidential notes (who reads, who does not, each read logged), group cases at the
head of the list with the county alerted, the intake page and the person's section."""

import pytest

from gonghui.conftest import signed_in
from gonghui.core.todo import todo_for
from gonghui.rights import services
from gonghui.rights.models import Case, CaseNote
from gonghui.security.models import EventKind, SecurityEvent


@pytest.fixture
def handled(county, neighbours, lodge):
    """A mediation at G1 in the hands of the mediator, with one note."""
    case = services.case_accept(by=county.t1staff, case=lodge())
    case = services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
    services.case_note_add(by=neighbours.mediator, case=case, text="单位负责人态度强硬")
    return case


def reads(case) -> int:
    return SecurityEvent.objects.filter(
        kind=EventKind.REVEAL, object_type="rights.case", object_id=str(case.pk)
    ).count()


def test_the_note_is_stored_encrypted(handled):
    stored = CaseNote.objects.get(case=handled).text_encrypted
    assert "态度强硬" not in stored


@pytest.mark.parametrize("reader", ["mediator", "t1staff", "admin"])
def test_the_handler_their_superiors_and_the_county_read_the_notes(
    county, neighbours, handled, client, reader
):
    user = getattr(neighbours, reader, None) or getattr(county, reader)
    signed_in(client, user)
    response = client.get(f"/rights/{handled.pk}/notes/")
    assert response.status_code == 200
    assert "单位负责人态度强硬" in response.content.decode()
    assert reads(handled) == 1
    client.get(f"/rights/{handled.pk}/notes/")
    assert reads(handled) == 2


@pytest.mark.parametrize(
    "reader, status", [("leader", 403), ("chair1", 403), ("auditor", 403), ("t2staff", 404)]
)
def test_others_do_not_read_the_notes(county, handled, client, reader, status):
    signed_in(client, getattr(county, reader))
    response = client.get(f"/rights/{handled.pk}/notes/")
    assert response.status_code == status
    assert "态度强硬" not in response.content.decode()
    assert reads(handled) == 0


def test_a_specialist_above_the_handler_is_no_superior(county, neighbours, lodge, client):
    from gonghui.accounts.models import Role
    from gonghui.conftest import make_user

    lawyer_at_t1 = make_user("lawyer_t1", county.t1, Role.LEGAL_AID)
    case = services.case_accept(by=county.t1staff, case=lodge())
    services.case_assign(by=county.t1staff, case=case, handler=neighbours.mediator)
    signed_in(client, lawyer_at_t1)
    assert client.get(case.get_absolute_url()).status_code == 200
    assert client.get(f"/rights/{case.pk}/notes/").status_code == 403


def test_the_case_page_never_shows_a_note(county, handled, client):
    signed_in(client, county.leader)
    response = client.get(handled.get_absolute_url())
    assert response.status_code == 200
    assert "态度强硬" not in response.content.decode()
    assert reads(handled) == 0


def test_a_group_case_heads_the_list_and_alerts_the_county(county, lodge, client):
    lodge()
    group = lodge(workers_involved=12, category="wages")
    lodge()
    assert group.is_group
    signed_in(client, county.admin)
    response = client.get("/rights/")
    assert response.status_code == 200
    assert response.context["object_list"][0] == group
    items = {str(item.label): item.count for item in todo_for(county.admin)}
    assert items["Group cases waiting to be accepted"] == 1
    assert "Group cases waiting to be accepted" not in {
        str(item.label) for item in todo_for(county.t1staff)
    }


def test_fewer_workers_involved_than_named_is_refused(county, lodge):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        lodge(workers_involved=0)
    assert not Case.objects.exists()


def test_the_list_filters_overdue_and_mine_and_exports(county, neighbours, handled, client):
    signed_in(client, neighbours.mediator)
    mine = client.get("/rights/?mine=on")
    assert list(mine.context["object_list"]) == [handled]
    assert list(client.get("/rights/?overdue=on").context["object_list"]) == []
    export = client.get("/rights/?export=xlsx")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_intake_page_asks_the_templates_questions_and_lodges(county, worker, client):
    signed_in(client, county.t1staff)
    page = client.get("/rights/new/?kind=mediation")
    assert "职工是否同意由工会调解？" in page.content.decode()
    response = client.post(
        "/rights/new/",
        {
            "kind": "mediation",
            "channel": "visit",
            "person": worker.pk,
            "worker": worker.name,
            "category": "wages",
            "summary": "拖欠工资",
            "workers_involved": 3,
            "complexity": "simple",
            "answer_2": "同意",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    assert list(case.workers.all()) == [worker]
    assert {"question": "职工是否同意由工会调解？", "answer": "同意"} in case.intake_answers


def test_the_intake_refuses_a_case_without_worker_or_channel(county, client):
    signed_in(client, county.t1staff)
    response = client.post(
        "/rights/new/",
        {
            "kind": "mediation",
            "category": "wages",
            "summary": "x",
            "workers_involved": 1,
            "complexity": "simple",
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "channel" in errors or "workers" in str(errors) or "__all__" in errors
    assert not Case.objects.exists()


def test_the_persons_file_lists_their_cases(county, worker, handled, client):
    signed_in(client, county.t1staff)
    response = client.get(worker.get_absolute_url())
    assert response.status_code == 200
    text = response.content.decode()
    assert "Rights cases" in text and "In mediation" not in text  # assigned, not started
    assert "态度强硬" not in text


def test_the_quality_check_draws_the_months_closed_cases(county, neighbours, handled, client):
    from django.utils import timezone

    case = services.case_start_mediation(by=neighbours.mediator, case=handled)
    case = services.case_resolve(by=neighbours.mediator, case=case, resolution="withdrawn")
    services.case_callback(by=neighbours.mediator, case=case, satisfaction=4)
    signed_in(client, county.admin)
    response = client.post(
        "/rights/quality/", {"month": timezone.localdate().isoformat(), "size": 3}
    )
    assert response.status_code == 302
    check = case.quality_check
    response = client.post(f"/rights/quality/{check.pk}/", {"result": "good", "comment": "规范"})
    check.refresh_from_db()
    assert check.result == "good" and check.checked_by == county.admin
    again = client.post("/rights/quality/", {"month": timezone.localdate().isoformat(), "size": 3})
    assert again.status_code == 200  # nothing left to draw


def test_the_employers_page_lists_its_cases_to_those_who_see_them(county, lodge, client):
    lodge(workers_involved=11)
    signed_in(client, county.t1staff)
    text = client.get(county.e1.get_absolute_url()).content.decode()
    assert "Rights cases" in text and "Wage arrears" in text
    signed_in(client, county.chair1)  # no right to read cases
    text = client.get(county.e1.get_absolute_url()).content.decode()
    assert "Wage arrears" not in text
