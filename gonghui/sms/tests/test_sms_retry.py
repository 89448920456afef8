"""A failed delivery is retried on the schedule, nothing lost and nothing sent twice."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks import default_task_backend

from gonghui.sms.backends import BaseBackend, FileBackend, SmsError, sent_to
from gonghui.sms.models import OutgoingSms, SmsStatus
from gonghui.sms.services import MAX_ATTEMPTS, RETRY_DELAYS, sms_queue
from gonghui.sms.tasks import deliver

pytestmark = pytest.mark.django_db

PHONE = "13800138000"
TEXT = "您的救助金已发放。"


class FailingBackend(BaseBackend):
    """Fails the next ``failures`` sends (all of them when None), then delivers to the file."""

    failures: int | None = None

    def send(self, phone: str, text: str) -> None:
        if FailingBackend.failures is None or FailingBackend.failures > 0:
            if FailingBackend.failures is not None:
                FailingBackend.failures -= 1
            # As a careless adapter might: the message quotes the number.
            raise SmsError(f"gateway down while sending to {phone}")
        FileBackend().send(phone, text)


@pytest.fixture
def failing(settings, tmp_path):
    settings.SMS_BACKEND = "gonghui.sms.tests.test_sms_retry.FailingBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    FailingBackend.failures = None
    yield FailingBackend
    FailingBackend.failures = None  # class state: no test may leave it to the next


@pytest.fixture
def tasks(settings):
    """A task backend that keeps what is enqueued (with run_after) instead of running it."""
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],
        }
    }
    default_task_backend.clear()
    return default_task_backend


def queue_one(capture) -> OutgoingSms:
    with capture(execute=True):
        return sms_queue(PHONE, TEXT, kind="aid_paid")


def run(result, capture) -> None:
    """Run an enqueued delivery as the worker would, its own retry captured."""
    with capture(execute=True):
        result.task.call(*result.args, **result.kwargs)


def test_a_failure_is_recorded_and_retried_later_then_sent_exactly_once(
    failing, tasks, django_capture_on_commit_callbacks
):
    failing.failures = 1
    sms = queue_one(django_capture_on_commit_callbacks)
    [first] = tasks.results
    assert first.task.queue_name == "sms"
    assert first.task.run_after is None

    before = timezone.now()
    run(first, django_capture_on_commit_callbacks)

    sms.refresh_from_db()
    assert sms.status == SmsStatus.QUEUED  # not lost
    assert sms.attempts == 1
    assert "gateway down" in sms.last_error
    assert PHONE not in sms.last_error and TEXT not in sms.last_error
    assert sent_to(PHONE) == []
    [_, retry] = tasks.results
    assert retry.task.queue_name == "sms"
    assert retry.args == [sms.pk]
    assert retry.task.run_after >= before + RETRY_DELAYS[0]
    assert sms.next_attempt_at == retry.task.run_after

    with time_machine.travel(retry.task.run_after + timedelta(seconds=1)):
        run(retry, django_capture_on_commit_callbacks)
        run(retry, django_capture_on_commit_callbacks)  # run twice: still one message

    sms.refresh_from_db()
    assert sms.status == SmsStatus.SENT
    assert sms.attempts == 2
    assert sms.last_error == ""
    assert sent_to(PHONE) == [TEXT]
    assert len(tasks.results) == 2  # no further retry


def test_a_retry_run_before_its_time_sends_nothing(
    failing, tasks, django_capture_on_commit_callbacks
):
    failing.failures = 1
    sms = queue_one(django_capture_on_commit_callbacks)
    run(tasks.results[0], django_capture_on_commit_callbacks)
    failing.failures = 0

    run(tasks.results[1], django_capture_on_commit_callbacks)  # the clock has not moved

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (SmsStatus.QUEUED, 1)
    assert sent_to(PHONE) == []


def test_five_failures_give_the_message_up_on_the_schedule(
    failing, tasks, django_capture_on_commit_callbacks, caplog
):
    sms = queue_one(django_capture_on_commit_callbacks)
    waits = []
    with caplog.at_level(logging.WARNING, logger="gonghui.sms"):
        for attempt in range(MAX_ATTEMPTS):
            result = tasks.results[attempt]
            when = result.task.run_after or timezone.now()
            with time_machine.travel(when + timedelta(seconds=1), tick=False):
                run(result, django_capture_on_commit_callbacks)
                sms.refresh_from_db()
                if sms.next_attempt_at:
                    waits.append(sms.next_attempt_at - timezone.now())

    assert waits == list(RETRY_DELAYS)
    assert sms.status == SmsStatus.FAILED
    assert sms.attempts == MAX_ATTEMPTS
    assert sms.next_attempt_at is None
    assert len(tasks.results) == MAX_ATTEMPTS  # no sixth attempt
    assert sent_to(PHONE) == []
    given_up = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(given_up) == 1
    logged = caplog.text
    assert f"text message {sms.pk}" in logged
    assert PHONE not in logged and TEXT not in logged


def test_a_sent_message_is_not_sent_again(failing, tasks, django_capture_on_commit_callbacks):
    failing.failures = 0
    sms = queue_one(django_capture_on_commit_callbacks)
    run(tasks.results[0], django_capture_on_commit_callbacks)
    deliver.call(sms.pk)

    assert sent_to(PHONE) == [TEXT]


def test_without_a_deferring_task_backend_a_failed_message_stays_queued(
    failing, django_capture_on_commit_callbacks
):
    # The tests' and make run's immediate backend runs tasks at once: a retry there
    # would use every attempt in a moment.
    sms = queue_one(django_capture_on_commit_callbacks)

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (SmsStatus.QUEUED, 1)
    assert sms.next_attempt_at > timezone.now()
