"""notify(): the message in the caller's transaction, a text message for the
important kinds only, and only when the worker has not turned the kind off."""

from __future__ import annotations

import pytest
from django.db import transaction

from gonghui.inbox.models import Message, MessageKind, SmsPreference
from gonghui.inbox.services import SMS_KINDS, TEXTED_KINDS, notify, sms_preferences_save
from gonghui.people.services import person_create
from gonghui.sms.models import OutgoingSms

from .conftest import id_number

pytestmark = pytest.mark.django_db

PHONE = "13912340001"


@pytest.fixture
def worker(county):
    return person_create(
        by=county.superuser, name="张一", id_number=id_number(1), phone=PHONE, employer=county.e1
    )


def tell(person, kind=MessageKind.AID_PAID, **extra):
    return notify(person, kind, title="Aid of application no. 7 was paid", body="¥500", **extra)


def test_a_message_and_its_text_are_written_and_the_text_sent_after_commit(
    worker, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = tell(worker)
        assert sms_outbox(PHONE) == []  # nothing leaves before the commit

    assert Message.objects.get() == message
    assert (message.person, message.kind, message.read_at) == (worker, "aid_paid", None)
    [text] = sms_outbox(PHONE)
    assert "Aid of application no. 7 was paid" in text
    assert "¥500" not in text  # the details stay behind the worker's sign-in
    assert OutgoingSms.objects.get().kind == "aid_paid"


def test_a_change_rolled_back_leaves_no_message_and_sends_no_text(
    worker, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError):
            with transaction.atomic():
                tell(worker)
                raise RuntimeError("the change failed after notify")

    assert not Message.objects.exists()
    assert not OutgoingSms.objects.exists()
    assert sms_outbox(PHONE) == []


def test_only_the_important_kinds_go_by_text_message(worker):
    for kind in MessageKind.values:
        tell(worker, kind)

    assert Message.objects.count() == len(MessageKind.values)
    assert sorted(OutgoingSms.objects.values_list("kind", flat=True)) == sorted(SMS_KINDS)
    assert set(SMS_KINDS) == {
        "join_approved",
        "join_rejected",
        "aid_approved",
        "aid_rejected",
        "aid_paid",
        "booking_tomorrow",
    }


def test_the_caller_may_force_or_forbid_the_text(worker):
    tell(worker, MessageKind.GENERAL, sms=True)
    tell(worker, MessageKind.AID_PAID, sms=False)

    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["general"]
    assert Message.objects.count() == 2


def test_a_kind_turned_off_sends_no_text_and_the_others_still_do(worker):
    sms_preferences_save(person=worker, send=[k for k in TEXTED_KINDS if k != "aid_paid"])

    tell(worker, MessageKind.AID_PAID)
    tell(worker, MessageKind.AID_APPROVED)

    assert Message.objects.count() == 2  # the message itself is always kept
    assert list(OutgoingSms.objects.values_list("kind", flat=True)) == ["aid_approved"]
    assert SmsPreference.objects.get().kind == "aid_paid"


def test_a_worker_without_a_phone_gets_the_message_only(county):
    person = person_create(
        by=county.superuser, name="李二", id_number=id_number(2), employer=county.e1
    )

    tell(person)

    assert Message.objects.filter(person=person).count() == 1
    assert not OutgoingSms.objects.exists()


def test_a_keyed_message_is_told_once(worker):
    first = tell(worker, MessageKind.BOOKING_TOMORROW, key="booking:1:tomorrow")
    second = tell(worker, MessageKind.BOOKING_TOMORROW, key="booking:1:tomorrow")

    assert first is not None and second is None
    assert Message.objects.count() == 1
    assert OutgoingSms.objects.count() == 1


def test_an_unknown_kind_is_refused(worker):
    with pytest.raises(ValueError):
        tell(worker, "lottery_won")
    assert not Message.objects.exists()


def test_an_important_step_texted_by_choice_of_the_service_obeys_the_workers_choice(worker):
    tell(worker, MessageKind.RIGHTS_CASE, sms=True)
    assert OutgoingSms.objects.count() == 1

    sms_preferences_save(person=worker, send=[k for k in TEXTED_KINDS if k != "rights_case"])
    tell(worker, MessageKind.RIGHTS_CASE, sms=True)
    assert OutgoingSms.objects.count() == 1  # the message is written; no text is sent
