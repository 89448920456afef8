"""A worker whose file is kept elsewhere joins only through a transfer its keeper confirms.

    康丽丽 (worker)  at E1 in township T1, file kept by T1, not a member
    J2               a joint union of township T2, so that E3's workers can join

Township T2 (and the sibling chair of G2) enter a join application with her
ID number: refused, naming nobody; they may ask for the file instead. The
request waits in T1's queue; T1 confirms (the file moves, the application is
made) or declines (the file stays). Nobody else may answer it.
"""

from __future__ import annotations

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from gonghui.orgs.services import organisation_create
from gonghui.people import services
from gonghui.people.models import FileTransfer, FileTransferStatus, JoinApplication, Person
from gonghui.people.vocabularies import JoinStatus

from .conftest import valid_id, valid_phone

CREATE = reverse("people:application-create")
#: Names T2's staff and G2's chair may not read about the worker: hers, her
#: employer's, her township's and its unions'.
HIDDEN = ("康丽丽", "东镇总工会", "东镇机械有限公司", "东镇机械厂工会", "东镇新业态联合工会")


@pytest.fixture
def j2(county):
    return organisation_create(
        by=county.superuser, code="J2", name="西镇联合工会", kind="joint", parent=county.t2
    )


@pytest.fixture
def worker(county):
    return services.person_create(
        by=county.superuser,
        name="康丽丽",
        id_number=valid_id(700),
        phone=valid_phone(700),
        employer=county.e1,
    )


def state(person: Person) -> tuple:
    person.refresh_from_db()
    return (
        person.employer_id,
        person.file_org_id,
        person.current_union_id,
        JoinApplication.objects.count(),
        FileTransfer.objects.count(),
    )


def sees(client_for, user, person) -> int:
    return client_for(user).get(person.get_absolute_url()).status_code


def assert_names_nobody(content: str) -> None:
    for name in HIDDEN:
        assert name not in content, name


def apply_as(client_for, user, employer, id_number, **extra):
    return client_for(user).post(
        CREATE, {"id_number": id_number, "name": "某人", "employer": employer.pk, **extra}
    )


def request_transfer(county, worker, *, by=None, employer=None, comment="调入西镇"):
    return services.file_transfer_request(
        by=by or county.t2staff,
        id_number=worker.plain_id_number(),
        employer=employer or county.e3,
        comment=comment,
    )


# --- No takeover by an ID number ------------------------------------------------------


@pytest.mark.parametrize(("persona", "employer"), [("t2staff", "e3"), ("chair2", "e2")])
def test_an_id_number_of_a_worker_elsewhere_takes_nobody_over(
    persona, employer, county, j2, worker, client_for
):
    user = getattr(county, persona)
    before = state(worker)

    response = apply_as(client_for, user, getattr(county, employer), worker.plain_id_number())

    content = response.content.decode()
    assert response.status_code == 200
    assert "already registered by another organisation" in content
    assert 'name="request_transfer"' in content
    assert_names_nobody(content)
    assert state(worker) == before
    assert sees(client_for, county.t1staff, worker) == 200
    assert sees(client_for, user, worker) == 404


def test_the_service_refuses_staff_a_person_outside_their_scope(county, j2, worker):
    with pytest.raises(services.PersonFileElsewhere) as caught:
        services.join_application_submit(
            by=county.t2staff,
            channel="staff",
            employer=county.e3,
            person_data={"name": "某人", "id_number": worker.plain_id_number()},
        )

    assert "康丽丽" not in " ".join(caught.value.messages)
    assert not JoinApplication.objects.exists()


@pytest.mark.parametrize(("persona", "employer"), [("t2staff", "e3"), ("chair2", "e2")])
@pytest.mark.parametrize("who", ["p1", "p4"])  # p1 a member of G1, p4 with a pending application
def test_a_member_or_applicant_elsewhere_is_not_named_nor_their_union(
    persona, employer, who, county, j2, people, client_for
):
    person = getattr(people, who)
    before = state(person)

    response = apply_as(
        client_for, getattr(county, persona), getattr(county, employer), person.plain_id_number()
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "already registered by another organisation" in content
    assert person.name not in content
    assert "already a member" not in content
    assert "waiting for a decision" not in content
    assert_names_nobody(content)
    assert state(person) == before


# --- Asking for the file ----------------------------------------------------------------


def test_the_form_asks_for_the_file_and_the_requester_sees_only_the_state(
    county, j2, worker, client_for
):
    response = apply_as(
        client_for,
        county.t2staff,
        county.e3,
        worker.plain_id_number(),
        request_transfer="on",
        transfer_comment="已在西镇物流入职",
    )

    transfer = FileTransfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == transfer.get_absolute_url()
    assert transfer.status == FileTransferStatus.REQUESTED
    assert transfer.person == worker
    assert transfer.from_org == county.t1
    assert transfer.requesting_org == county.t2
    assert transfer.requested_by == county.t2staff
    assert transfer.request_comment == "已在西镇物流入职"
    assert not JoinApplication.objects.exists()
    assert LogEntry.objects.get_for_object(transfer).exists()
    page = client_for(county.t2staff).get(transfer.get_absolute_url())
    content = page.content.decode()
    assert page.status_code == 200
    assert "Awaiting the answer" in content
    assert worker.masked_id_number() not in content
    assert_names_nobody(content)
    requested = client_for(county.t2staff).get(reverse("people:file-transfer-requested"))
    assert [obj for obj, _values in requested.context["rows"]] == [transfer]
    assert_names_nobody(requested.content.decode())
    assert sees(client_for, county.t2staff, worker) == 404


def test_the_request_waits_in_the_keepers_queue_only(county, j2, worker, client_for):
    transfer = request_transfer(county, worker)
    queue = reverse("people:file-transfer-list")

    def queued(user):
        return [obj for obj, _values in client_for(user).get(queue).context["rows"]]

    assert queued(county.t1staff) == [transfer]
    assert queued(county.admin) == [transfer]
    assert queued(county.t2staff) == []
    assert queued(county.chair2) == []
    assert "康丽丽" in client_for(county.t1staff).get(queue).content.decode()


def test_one_person_has_at_most_one_open_request(county, j2, worker):
    first = request_transfer(county, worker)

    with pytest.raises(ValidationError) as caught:
        request_transfer(county, worker, by=county.chair2, employer=county.e2)
    with pytest.raises(IntegrityError), transaction.atomic():
        FileTransfer.objects.create(
            person=worker,
            from_org=county.t1,
            employer=county.e3,
            requesting_org=county.t2,
        )

    assert "already awaiting" in caught.value.messages[0]
    assert list(FileTransfer.objects.all()) == [first]


def test_a_number_in_scope_or_unknown_is_no_transfer(county, j2, worker, people):
    with pytest.raises(ValidationError) as in_scope:
        request_transfer(county, people.p3)  # p3's file is kept by T2 itself
    with pytest.raises(ValidationError) as unknown:
        services.file_transfer_request(
            by=county.t2staff, id_number=valid_id(799), employer=county.e3
        )

    assert "in your scope" in in_scope.value.messages[0]
    assert "No person is registered" in unknown.value.messages[0]
    assert not FileTransfer.objects.exists()


# --- The keeper's answer ----------------------------------------------------------------


def test_the_keeper_confirms_and_the_file_moves_with_the_application(
    county, j2, worker, client_for
):
    transfer = request_transfer(county, worker)

    response = client_for(county.t1staff).post(
        reverse("people:file-transfer-confirm", args=[transfer.pk]), {"comment": "同意"}
    )

    transfer.refresh_from_db()
    worker.refresh_from_db()
    assert response.status_code == 302
    assert transfer.status == FileTransferStatus.CONFIRMED
    assert transfer.decided_by == county.t1staff
    assert transfer.decided_at is not None
    assert transfer.decision_comment == "同意"
    assert (worker.employer, worker.file_org) == (county.e3, county.t2)
    application = transfer.join_application
    assert application.status == JoinStatus.PENDING
    assert (application.person, application.union) == (worker, j2)
    assert application.submitted_by == county.t2staff
    assert sees(client_for, county.t2staff, worker) == 200
    assert sees(client_for, county.t1staff, worker) == 404
    page = client_for(county.t2staff).get(transfer.get_absolute_url()).content.decode()
    assert "康丽丽" in page
    assert LogEntry.objects.get_for_object(worker).count() == 2  # registered, moved


def test_the_keeper_declines_and_the_file_stays(county, j2, worker, client_for):
    transfer = request_transfer(county, worker)
    before = state(worker)

    empty = client_for(county.t1staff).post(
        reverse("people:file-transfer-decline", args=[transfer.pk]), {"reason": "  "}
    )
    response = client_for(county.t1staff).post(
        reverse("people:file-transfer-decline", args=[transfer.pk]), {"reason": "本人未离职"}
    )

    transfer.refresh_from_db()
    assert empty.status_code == 200
    assert response.status_code == 302
    assert transfer.status == FileTransferStatus.DECLINED
    assert transfer.decision_comment == "本人未离职"
    assert state(worker) == before
    assert sees(client_for, county.t2staff, worker) == 404
    page = client_for(county.t2staff).get(transfer.get_absolute_url()).content.decode()
    assert "本人未离职" in page
    assert_names_nobody(page)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("t2staff", 404), ("chair1", 404), ("chair2", 404), ("leader", 403), ("outsider", 403)],
)
def test_only_the_keepers_scope_may_answer(persona, expected, county, j2, worker, client_for):
    transfer = request_transfer(county, worker)
    before = state(worker)

    for action in ("file-transfer-confirm", "file-transfer-decline"):
        response = client_for(getattr(county, persona)).post(
            reverse(f"people:{action}", args=[transfer.pk]), {"reason": "x"}
        )
        assert response.status_code == expected

    transfer.refresh_from_db()
    assert transfer.status == FileTransferStatus.REQUESTED
    assert state(worker) == before


def test_the_service_refuses_an_answer_from_outside_the_keepers_scope(county, j2, worker):
    transfer = request_transfer(county, worker)

    with pytest.raises(PermissionDenied):
        services.file_transfer_confirm(by=county.t2staff, transfer=transfer)
    with pytest.raises(PermissionDenied):
        services.file_transfer_decline(by=county.chair1, transfer=transfer, reason="x")

    services.file_transfer_confirm(by=county.admin, transfer=transfer)  # the county keeps T1's
    worker.refresh_from_db()
    assert worker.file_org == county.t2


def test_a_pending_application_is_decided_before_the_file_moves(county, j2, people):
    transfer = request_transfer(county, people.p4)  # a4 waits at G1

    with pytest.raises(ValidationError) as caught:
        services.file_transfer_confirm(by=county.t1staff, transfer=transfer)

    transfer.refresh_from_db()
    people.p4.refresh_from_db()
    assert "waiting for a decision" in caught.value.messages[0]
    assert transfer.status == FileTransferStatus.REQUESTED
    assert people.p4.employer == county.e1


def test_a_members_file_moves_without_an_application(county, j2, people):
    transfer = request_transfer(county, people.p1)

    services.file_transfer_confirm(by=county.t1staff, transfer=transfer)

    transfer.refresh_from_db()
    people.p1.refresh_from_db()
    assert transfer.join_application is None
    assert (people.p1.employer, people.p1.current_union) == (county.e3, county.g1)


def test_the_requester_withdraws_and_the_keeper_can_no_longer_answer(
    county, j2, worker, client_for
):
    transfer = request_transfer(county, worker)
    url = reverse("people:file-transfer-withdraw", args=[transfer.pk])

    assert client_for(county.t1staff).post(url).status_code == 404
    response = client_for(county.t2staff).post(url, {"comment": "录错了"})

    transfer.refresh_from_db()
    assert response.status_code == 302
    assert transfer.status == FileTransferStatus.WITHDRAWN
    assert transfer.decided_by == county.t2staff
    with pytest.raises(ValidationError):
        services.file_transfer_confirm(by=county.t1staff, transfer=transfer)
    worker.refresh_from_db()
    assert worker.file_org == county.t1
    # Withdrawn, the person may be asked for again.
    assert request_transfer(county, worker).is_open
