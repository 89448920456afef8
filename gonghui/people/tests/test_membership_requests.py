"""A member's own transfer and leaving requests (worker portal, item 4): asked with
``by=None``, answered by the union holding the membership (confirm runs
``membership_transfer`` or ``membership_leave``; decline keeps everything as it
was), withdrawn by the worker; every step tells the worker; one open request per
person; and the console's queue, detail and answers."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.inbox.models import Message, MessageKind
from gonghui.orgs.services import organisation_create
from gonghui.people import services
from gonghui.people.models import (
    FileTransfer,
    FileTransferStatus,
    Membership,
    MembershipRequest,
    MembershipRequestKind,
    MembershipRequestStatus,
    Person,
)
from gonghui.people.vocabularies import MembershipStatus, NewFormGroup

from .test_page_queries import add_members

TRANSFER = MembershipRequestKind.TRANSFER
LEAVE = MembershipRequestKind.LEAVE


def ask_transfer(person, employer, **fields):
    return services.membership_request_submit(
        person=person, kind=TRANSFER, employer=employer, **fields
    )


def ask_leave(person, reason="搬家到外地"):
    return services.membership_request_submit(person=person, kind=LEAVE, reason=reason)


def messages_of(person):
    return list(Message.objects.filter(person=person).order_by("pk"))


@pytest.fixture
def j2(county):
    """The joint union of township T2, where E3 (no union) routes its workers."""
    return organisation_create(
        by=county.superuser, code="J2", name="西镇联合工会", kind="joint", parent=county.t2
    )


# --- Asking -------------------------------------------------------------------------------


def test_asking_changes_nothing_but_opens_a_request_and_tells_the_worker(people, county):
    request = ask_transfer(people.p1, county.e2, reason="换了工作")

    assert request.status == MembershipRequestStatus.REQUESTED and request.is_open
    assert (request.membership.union, request.employer) == (county.g1, county.e2)
    people.p1.refresh_from_db()
    assert (people.p1.current_union, people.p1.employer) == (county.g1, county.e1)
    (message,) = messages_of(people.p1)
    assert message.kind == MessageKind.MEMBERSHIP_REQUEST
    assert county.g1.name in message.title
    assert message.url == reverse("membership:request", args=[request.pk])


def test_a_second_open_request_is_refused(people, county):
    ask_leave(people.p1)

    with pytest.raises(ValidationError, match="already awaiting"):
        ask_transfer(people.p1, county.e2)
    assert MembershipRequest.objects.count() == 1


def test_the_database_allows_one_open_request_per_person(people, county):
    first = ask_leave(people.p1)

    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipRequest.objects.create(
            kind=LEAVE, person=people.p1, membership=first.membership, reason="again"
        )


def test_a_non_member_cannot_ask(people, county):
    with pytest.raises(ValidationError, match="Only a member"):
        ask_leave(people.p3)
    assert not MembershipRequest.objects.exists()


def test_a_worker_with_a_pending_join_application_is_told_to_wait(people, county):
    with pytest.raises(ValidationError, match="waiting for a decision"):
        ask_transfer(people.p4, county.e2)


def test_leaving_needs_a_reason_and_a_transfer_an_employer(people, county):
    with pytest.raises(ValidationError) as leave:
        ask_leave(people.p1, reason="   ")
    assert "reason" in leave.value.error_dict
    with pytest.raises(ValidationError) as transfer:
        ask_transfer(people.p1, None)
    assert "employer" in transfer.value.error_dict


def test_a_transfer_to_the_union_the_worker_is_in_is_refused(people, county):
    with pytest.raises(ValidationError, match="no transfer is needed"):
        ask_transfer(people.p1, county.e1)


def test_a_transfer_no_union_could_receive_is_refused_when_asked(people, county):
    # E3's township T2 has no joint union: nobody could receive the member.
    with pytest.raises(ValidationError) as refused:
        ask_transfer(people.p1, county.e3)
    assert "employer" in refused.value.error_dict


# --- Confirming ---------------------------------------------------------------------------


def test_confirming_a_transfer_moves_the_membership_and_the_employer(people, county):
    card = people.p1.card_number
    request = ask_transfer(people.p1, county.e2)

    services.membership_request_confirm(by=county.chair1, request=request, comment="欢迎")

    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.CONFIRMED
    assert (request.decided_by, request.decision_comment) == (county.chair1, "欢迎")
    old, new = Membership.objects.filter(person=people.p1).order_by("pk")
    assert (old.status, new.union, new.status) == (
        MembershipStatus.TRANSFERRED,
        county.g2,
        MembershipStatus.ACTIVE,
    )
    assert request.result == new and new.transferred_from == old
    people.p1.refresh_from_db()
    assert (people.p1.current_union, people.p1.employer, people.p1.file_org) == (
        county.g2,
        county.e2,
        county.t1,
    )
    assert people.p1.card_number == card
    # Same township: no file transfer.
    assert not FileTransfer.objects.exists()
    assert messages_of(people.p1)[-1].kind == MessageKind.TRANSFER
    assert county.g2.name in messages_of(people.p1)[-1].title


def test_a_transfer_to_another_township_moves_the_file_as_a_file_transfer_does(people, county, j2):
    request = ask_transfer(people.p1, county.e3)

    services.membership_request_confirm(by=county.chair1, request=request)

    people.p1.refresh_from_db()
    assert (people.p1.current_union, people.p1.employer, people.p1.file_org) == (
        j2,
        county.e3,
        county.t2,
    )
    moved = FileTransfer.objects.get(person=people.p1)
    assert (moved.status, moved.from_org, moved.employer) == (
        FileTransferStatus.CONFIRMED,
        county.t1,
        county.e3,
    )
    assert moved.join_application is None  # a member: nothing to join


def test_a_courier_transfers_to_the_joint_union(people, county):
    request = ask_transfer(people.p2, county.e1, new_form_group=NewFormGroup.COURIER)

    services.membership_request_confirm(by=county.chair2, request=request)

    people.p2.refresh_from_db()
    assert people.p2.current_union == county.j1
    assert people.p2.new_form_group == NewFormGroup.COURIER


def test_confirming_leaving_ends_the_membership_with_the_workers_reason(people, county):
    request = ask_leave(people.p1, reason="退休了")

    services.membership_request_confirm(by=county.t1staff, request=request)

    membership = Membership.objects.get(person=people.p1)
    assert (membership.status, membership.leave_reason) == (MembershipStatus.LEFT, "退休了")
    people.p1.refresh_from_db()
    assert people.p1.current_union is None
    request.refresh_from_db()
    assert (request.status, request.decided_by) == (
        MembershipRequestStatus.CONFIRMED,
        county.t1staff,
    )
    last = messages_of(people.p1)[-1]
    assert last.kind == MessageKind.MEMBERSHIP_REQUEST and county.g1.name in last.title


@pytest.mark.parametrize("who", ["chair2", "t2staff"])
def test_staff_outside_the_members_union_cannot_answer(people, county, who):
    request = ask_leave(people.p1)

    for answer in (
        lambda: services.membership_request_confirm(by=getattr(county, who), request=request),
        lambda: services.membership_request_decline(
            by=getattr(county, who), request=request, reason="不行"
        ),
    ):
        with pytest.raises(PermissionDenied):
            answer()
    request.refresh_from_db()
    assert request.is_open


def test_a_reader_without_the_right_to_change_memberships_cannot_answer(people, county):
    request = ask_leave(people.p1)

    with pytest.raises(PermissionDenied):
        services.membership_request_confirm(by=county.leader, request=request)


def test_a_closed_request_cannot_be_answered_again(people, county):
    request = ask_leave(people.p1)
    services.membership_request_decline(by=county.chair1, request=request, reason="请当面谈")

    with pytest.raises(ValidationError, match="already answered"):
        services.membership_request_confirm(by=county.chair1, request=request)
    with pytest.raises(ValidationError, match="already answered"):
        services.membership_request_withdraw(person=people.p1, request=request)
    assert Membership.objects.get(person=people.p1).status == MembershipStatus.ACTIVE


def test_a_request_whose_membership_ended_meanwhile_cannot_be_confirmed(people, county):
    request = ask_transfer(people.p1, county.e2)
    services.membership_leave(by=county.chair1, person=people.p1, reason="staff ended it")

    with pytest.raises(ValidationError, match="ended already"):
        services.membership_request_confirm(by=county.chair1, request=request)


# --- Declining and withdrawing ------------------------------------------------------------


def test_declining_needs_a_reason_and_tells_the_worker_why(people, county):
    request = ask_transfer(people.p1, county.e2)
    with pytest.raises(ValidationError):
        services.membership_request_decline(by=county.chair1, request=request, reason=" ")

    services.membership_request_decline(by=county.chair1, request=request, reason="请先交会费")

    request.refresh_from_db()
    assert (request.status, request.decision_comment) == (
        MembershipRequestStatus.DECLINED,
        "请先交会费",
    )
    people.p1.refresh_from_db()
    assert people.p1.current_union == county.g1
    assert "请先交会费" in messages_of(people.p1)[-1].body
    # The worker may ask again once the request is closed.
    assert ask_leave(people.p1).is_open


def test_the_worker_withdraws_their_own_request_and_nobody_elses(people, county):
    request = ask_leave(people.p1)

    with pytest.raises(PermissionDenied):
        services.membership_request_withdraw(person=people.p2, request=request)
    services.membership_request_withdraw(person=people.p1, request=request)

    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.WITHDRAWN
    assert request.decided_by is None and request.decided_at is not None
    assert "withdrew" in messages_of(people.p1)[-1].title
    assert Membership.objects.get(person=people.p1).status == MembershipStatus.ACTIVE


# --- The console ----------------------------------------------------------------------------

LIST = reverse("membership-requests:list")


def detail(request):
    return reverse("membership-requests:detail", args=[request.pk])


def test_the_queue_shows_the_unions_own_requests_only(people, county, client_for):
    ask_leave(people.p1)
    ask_transfer(people.p2, county.e1)

    page = client_for(county.chair1).get(LIST).content.decode()

    assert people.p1.name in page and people.p2.name not in page
    assert people.p2.name in client_for(county.chair2).get(LIST).content.decode()
    assert client_for(county.outsider).get(LIST).status_code == 403


def test_the_detail_is_a_404_outside_the_unions_subtree(people, county, client_for):
    request = ask_transfer(people.p1, county.e2, reason="换工作")

    page = client_for(county.chair1).get(detail(request))
    assert page.status_code == 200
    text = page.content.decode()
    assert county.g2.name in text and "换工作" in text  # where the member would go
    assert client_for(county.chair2).get(detail(request)).status_code == 404


def test_the_chair_confirms_in_the_console(people, county, client_for):
    request = ask_transfer(people.p1, county.e2)

    response = client_for(county.chair1).post(
        reverse("membership-requests:confirm", args=[request.pk]), {"comment": ""}
    )

    assert response.status_code == 302 and response["Location"] == detail(request)
    people.p1.refresh_from_db()
    assert people.p1.current_union == county.g2


def test_declining_without_a_reason_shows_the_form_again(people, county, client_for):
    request = ask_leave(people.p1)
    url = reverse("membership-requests:decline", args=[request.pk])

    response = client_for(county.chair1).post(url, {"reason": ""})

    assert response.status_code == 200
    request.refresh_from_db()
    assert request.is_open
    response = client_for(county.chair1).post(url, {"reason": "请来工会面谈"})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == MembershipRequestStatus.DECLINED


def test_a_neighbouring_chair_cannot_answer_through_the_console(people, county, client_for):
    request = ask_leave(people.p1)

    response = client_for(county.chair2).post(
        reverse("membership-requests:confirm", args=[request.pk])
    )

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.is_open


def test_open_requests_are_on_the_unions_to_do_list(people, county, client_for):
    ask_leave(people.p1)

    home = client_for(county.chair1).get(reverse("core:home")).content.decode()

    assert "Transfer and leaving requests to answer" in home
    assert f"{LIST}?status=requested" in home
    assert "Transfer and leaving requests to answer" not in (
        client_for(county.chair2).get(reverse("core:home")).content.decode()
    )


def test_the_persons_file_links_to_their_requests(people, county, client_for):
    request = ask_leave(people.p1)
    services.membership_request_decline(by=county.chair1, request=request, reason="面谈")
    ask_leave(people.p1)
    client = client_for(county.chair1)

    page = client.get(people.p1.get_absolute_url()).content.decode()
    link = f"{LIST}?status=all&amp;person={people.p1.pk}"
    assert link in page

    listed = client.get(f"{LIST}?status=all&person={people.p1.pk}").content.decode()
    assert listed.count(detail(request)) == 1 and "Declined" in listed
    other = client.get(f"{LIST}?status=all&person={people.p2.pk}").content.decode()
    assert people.p1.name not in other


def test_the_queue_does_not_query_per_row(county, client_for):
    client = client_for(county.chair1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    def ask_all():
        for person in Person.objects.filter(current_union=county.g1, membership_requests=None):
            ask_transfer(person, county.e2)

    add_members(county, 600, 2)
    ask_all()
    few = queries()
    add_members(county, 700, 12)
    ask_all()

    assert MembershipRequest.objects.count() == 14
    assert queries() == few
