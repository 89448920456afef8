"""Every status change of a worker's application, booking or transfer becomes a
message to that worker (and to nobody else), written by the service that makes it."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from gonghui.aid import services as aid_services
from gonghui.aid.tests.conftest import approve_all_levels, relief_application
from gonghui.counselling import services as counselling_services
from gonghui.inbox.models import Message
from gonghui.people import services as people_services
from gonghui.sms.models import OutgoingSms

pytestmark = pytest.mark.django_db


def told(person) -> list[tuple[str, str]]:
    return list(Message.objects.filter(person=person).order_by("pk").values_list("kind", "title"))


def kinds(person) -> list[str]:
    return [kind for kind, _title in told(person)]


# --- joining and transfers ----------------------------------------------------------------


def test_an_approved_join_application_tells_the_applicant(people, county):
    people_services.join_application_approve(by=county.chair1, application=people.a4)

    [message] = Message.objects.all()
    assert message.person == people.p4
    assert message.kind == "join_approved"
    assert message.title == "Your application to join the union was approved"
    assert county.g1.name in message.body
    assert message.url == reverse("portal:home")
    assert OutgoingSms.objects.get().kind == "join_approved"


def test_a_rejected_join_application_tells_the_applicant_why(people, county):
    people_services.join_application_reject(
        by=county.chair1, application=people.a4, reason="不在本单位工作"
    )

    [message] = Message.objects.all()
    assert (message.person, message.kind) == (people.p4, "join_rejected")
    assert "不在本单位工作" in message.body
    assert OutgoingSms.objects.get().kind == "join_rejected"


def test_a_refused_decision_tells_nobody(people, county):
    with pytest.raises(ValidationError):
        people_services.join_application_reject(by=county.chair1, application=people.a4, reason="")

    assert not Message.objects.exists()


def test_a_membership_transfer_tells_the_member_without_a_text(people, county):
    people_services.membership_transfer(
        by=county.admin, person=people.p1, to_union=county.g2, on=date(2025, 6, 1)
    )

    [message] = Message.objects.all()
    assert (message.person, message.kind) == (people.p1, "transfer")
    assert county.g2.name in message.title
    assert not OutgoingSms.objects.exists()


# --- aid -------------------------------------------------------------------------------------


def test_each_approval_step_tells_the_applicant_and_the_final_one_texts(county, aid):
    application = relief_application(county, aid)
    assert told(aid.p1) == []

    approve_all_levels(county, aid, application)

    assert kinds(aid.p1) == ["aid_step", "aid_step", "aid_approved"]
    assert all(f"no. {application.pk}" in title for _kind, title in told(aid.p1))
    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["aid_approved"]
    assert told(aid.p2) == [] and told(aid.p3) == []


def test_a_message_about_aid_names_no_programme_reason_or_account(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    aid_services.aid_application_pay(by=county.admin, application=application, reference="B1")

    for message in Message.objects.all():
        text = f"{message.title} {message.body}"
        for secret in ("帮扶救助", "家庭困难", "6222020200001111", "工商银行"):
            assert secret not in text
    assert "¥1000.00" in Message.objects.get(kind="aid_paid").body


def test_a_bulk_approval_tells_each_applicant_approved_and_no_one_refused(county, aid):
    application = relief_application(county, aid)
    aid_services.aid_application_approve(by=aid.g1clerk, application=application)

    # It awaits T1 now: refused at G1, and nobody is told.
    refused = aid_services.aid_applications_approve(by=aid.g1clerk, applications=[application])
    assert refused.approved == [] and kinds(aid.p1) == ["aid_step"]

    result = aid_services.aid_applications_approve(by=county.t1staff, applications=[application])
    assert [a.pk for a in result.approved] == [application.pk]
    assert kinds(aid.p1) == ["aid_step", "aid_step"]
    result = aid_services.aid_applications_approve(by=county.admin, applications=[application])
    assert kinds(aid.p1) == ["aid_step", "aid_step", "aid_approved"]
    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["aid_approved"]


def test_a_rejection_tells_the_applicant_without_the_comment(county, aid):
    application = relief_application(county, aid)

    aid_services.aid_application_reject(by=aid.g1clerk, application=application, comment="收入超标")

    [message] = Message.objects.filter(person=aid.p1)
    assert message.kind == "aid_rejected"
    assert "收入超标" not in f"{message.title} {message.body}"
    assert OutgoingSms.objects.get().kind == "aid_rejected"


def test_returning_tells_the_applicant_without_a_text(county, aid):
    application = relief_application(county, aid)

    aid_services.aid_application_return(by=aid.g1clerk, application=application, comment="缺证明")

    assert kinds(aid.p1) == ["aid_returned"]
    assert not OutgoingSms.objects.exists()


def test_paying_tells_the_applicant_by_text_message_too(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))

    aid_services.aid_application_pay(by=county.admin, application=application)

    assert kinds(aid.p1)[-2:] == ["aid_approved", "aid_paid"]
    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["aid_approved", "aid_paid"]


def test_cancelling_tells_the_applicant(county, aid):
    application = approve_all_levels(county, aid, relief_application(county, aid))

    aid_services.aid_application_cancel(by=county.admin, application=application, comment="已离职")

    assert kinds(aid.p1)[-1] == "aid_cancelled"


# --- counselling -------------------------------------------------------------------------


def test_a_booking_made_and_cancelled_tells_the_worker(care, county):
    # The fixture booked b1 for w1 and b3 for w3.
    assert kinds(care.w1) == ["booking_made"] and kinds(care.w3) == ["booking_made"]
    assert "09:00" in told(care.w1)[0][1]
    assert "Room 2" in Message.objects.get(person=care.w1).body

    counselling_services.booking_cancel(by=county.t1staff, booking=care.b1, reason="工作冲突")

    assert kinds(care.w1) == ["booking_made", "booking_cancelled"]
    assert kinds(care.w3) == ["booking_made"]
    assert not OutgoingSms.objects.exists()  # neither kind goes by text message


def test_a_withdrawn_slot_tells_the_worker_booked_on_it(care):
    counselling_services.slot_withdraw(by=care.counsellor, slot=care.s2, reason="临时出差")

    assert kinds(care.w3) == ["booking_made", "booking_cancelled"]
    assert kinds(care.w1) == ["booking_made"]
