"""A worker's text message (aid paid) whose first delivery fails is kept and sent on
its retry, once: the retry of ``gonghui.sms``, reached through notify()."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django_tasks import default_task_backend

from gonghui.aid import services as aid_services
from gonghui.aid.tests.conftest import approve_all_levels, relief_application
from gonghui.inbox.models import Message
from gonghui.people.tests.conftest import valid_phone
from gonghui.sms.backends import sent_to
from gonghui.sms.models import OutgoingSms, SmsStatus
from gonghui.sms.tests.test_sms_retry import FailingBackend

pytestmark = pytest.mark.django_db


@pytest.fixture
def failing_once(settings, tmp_path):
    settings.SMS_BACKEND = "gonghui.sms.tests.test_sms_retry.FailingBackend"
    settings.SMS_FILE_PATH = tmp_path / "sms.jsonl"
    FailingBackend.failures = 1
    # A task backend that keeps what is enqueued (with run_after) instead of running it.
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.dummy.DummyBackend",
            "QUEUES": settings.TASKS["default"]["QUEUES"],
        }
    }
    default_task_backend.clear()
    yield default_task_backend
    FailingBackend.failures = None  # class state: no test may leave it to the next


def run(result, capture) -> None:
    with capture(execute=True):
        result.task.call(*result.args, **result.kwargs)


def test_the_payment_text_survives_a_gateway_failure_and_is_sent_once(
    county, aid, failing_once, django_capture_on_commit_callbacks
):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    failing_once.clear()
    OutgoingSms.objects.all().delete()  # the approval's text: not this test's
    phone = valid_phone(11)  # p1's, in the aid fixture

    with django_capture_on_commit_callbacks(execute=True):
        aid_services.aid_application_pay(by=county.admin, application=application)
    [first] = failing_once.results
    run(first, django_capture_on_commit_callbacks)

    sms = OutgoingSms.objects.get()
    assert (sms.kind, sms.status, sms.attempts) == ("aid_paid", SmsStatus.QUEUED, 1)
    assert sent_to(phone) == []
    assert Message.objects.filter(person=aid.p1, kind="aid_paid").count() == 1
    [_, retry] = failing_once.results
    with time_machine.travel(retry.task.run_after + timedelta(seconds=1)):
        run(retry, django_capture_on_commit_callbacks)
        run(retry, django_capture_on_commit_callbacks)  # a second run sends nothing more

    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (SmsStatus.SENT, 2)
    [text] = sent_to(phone)
    assert f"Aid of application no. {application.pk} was paid" in text
