"""Queued messages: sent once after the commit of the change they tell about, and the
phone kept encrypted; codes sent at once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from gonghui.sms.backends import SmsError, sent_to
from gonghui.sms.models import OutgoingSms, SmsStatus
from gonghui.sms.services import send_now, sms_queue

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
TEXT = "您的救助申请已批准。"


@pytest.fixture(autouse=True)
def file_backend(settings, tmp_path):
    settings.SMS_BACKEND = "gonghui.sms.backends.FileBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"


def test_a_queued_message_is_sent_once_and_only_after_the_commit(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        sms = sms_queue(PHONE, TEXT, kind="aid_approved")
        assert sent_to(PHONE) == []  # the caller's transaction is still open

    assert len(callbacks) == 1
    assert sent_to(PHONE) == [TEXT]
    sms.refresh_from_db()
    assert sms.status == SmsStatus.SENT
    assert sms.attempts == 1
    assert sms.sent_at is not None
    assert sms.kind == "aid_approved"
    assert sms.plain_phone() == PHONE


def test_a_change_rolled_back_sends_and_keeps_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            sms_queue(PHONE, TEXT)
            transaction.set_rollback(True)

    assert callbacks == []
    assert sent_to(PHONE) == []
    assert not OutgoingSms.objects.exists()


def test_the_phone_is_not_in_the_table_in_plain_text(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        sms = sms_queue("+86 138-0013-8000", TEXT)

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {OutgoingSms._meta.db_table} WHERE id = %s", [sms.pk])
        row = cursor.fetchone()
    raw = " ".join(str(value) for value in row)
    assert "13800138000" not in raw and "0013" not in raw
    assert sent_to(PHONE) == [TEXT]  # normalised before it was stored


def test_a_malformed_number_is_refused_before_anything_is_recorded():
    with pytest.raises(ValidationError) as caught:
        sms_queue("1380013", TEXT)
    assert caught.value.code == "phone_length"
    assert not OutgoingSms.objects.exists()


def test_send_now_sends_at_once_without_a_record():
    send_now(PHONE, "123456")
    assert sent_to(PHONE) == ["123456"]
    assert not OutgoingSms.objects.exists()


def test_send_now_raises_the_backends_failure(failing):
    with pytest.raises(SmsError):
        send_now(PHONE, "123456")
