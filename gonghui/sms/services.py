"""Sending text messages: at once (``send_now``) or queued and retried (``sms_queue``).

Every app sends through these two functions, never through a backend directly, so
that one setting (``SMS_BACKEND``) decides where every message goes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from gonghui.core.crypto import encrypt
from gonghui.core.phones import parse_phone
from gonghui.core.security import redact

from .backends import SmsError, get_backend
from .models import PHONE_CONTEXT, OutgoingSms, SmsStatus

logger = logging.getLogger(__name__)

#: The task queue that delivers messages (one worker of its own: scripts/serve.sh),
#: so that a slow gateway never holds up exports or imports.
QUEUE = "sms"
#: The wait after each failed attempt: a gateway that is down for a moment is tried
#: again soon, one that is down for hours is not hammered.
RETRY_DELAYS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
#: Attempts before a message is given up: the first and one after each delay.
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
#: How much of a backend's error message is kept.
ERROR_LENGTH = 500


def send_now(phone: str, text: str) -> None:
    """Send at once through the backend (a sign-in code: the worker is waiting).

    Raises SmsError when the message was not delivered; nothing is recorded or
    retried, since a code sent minutes later is of no use.
    """
    get_backend().send(parse_phone(phone), text)


def sms_queue(phone: str, text: str, *, kind: str = "") -> OutgoingSms:
    """Record a message and deliver it in the background once the caller's
    transaction commits: a change rolled back sends nothing, and the staff
    member's page never waits for the gateway.
    """
    number = parse_phone(phone)
    if not text.strip():
        raise ValueError("a text message needs a text")
    sms = OutgoingSms.objects.create(
        phone_encrypted=encrypt(number, context=PHONE_CONTEXT), text=text, kind=kind
    )
    # robust: a task queue that cannot take the task must not turn the caller's
    # committed change into an error page; the row stays queued.
    transaction.on_commit(partial(_enqueue, sms.pk), robust=True)
    return sms


def sms_queue_many(messages: Iterable[tuple[str, str, str]]) -> list[OutgoingSms]:
    """``sms_queue`` for a batch of ``(phone, text, kind)`` (a bulk approval tells each
    applicant): the rows in one insert, each delivered on its own after the commit."""
    rows = []
    for phone, text, kind in messages:
        number = parse_phone(phone)
        if not text.strip():
            raise ValueError("a text message needs a text")
        rows.append(
            OutgoingSms(
                phone_encrypted=encrypt(number, context=PHONE_CONTEXT), text=text, kind=kind
            )
        )
    created = OutgoingSms.objects.bulk_create(rows)
    for sms in created:
        transaction.on_commit(partial(_enqueue, sms.pk), robust=True)
    return created


def _enqueue(sms_id: int, run_after: datetime | None = None) -> None:
    from .tasks import deliver

    task = deliver.using(queue_name=QUEUE)
    if run_after is not None:
        if not task.get_backend().supports_defer:
            # The immediate backend (tests, make run without a worker) would retry at
            # once and use up every attempt; the row stays queued instead.
            logger.warning("text message %s: the task backend cannot run later", sms_id)
            return
        task = task.using(run_after=run_after)
    task.enqueue(sms_id)


def sms_deliver(sms_id: int) -> None:
    """Deliver a queued message once (the ``deliver`` task's body).

    The row is locked only to claim the attempt and to record its outcome, not
    during the send: on SQLite a lock is the whole database's write lock, and a
    gateway may take ``SMS_GATEWAY_TIMEOUT`` seconds to answer. The claim's lease
    (``next_attempt_at``) keeps a second run of the task from sending it again.
    """
    sms = _claim(sms_id)
    if sms is None:
        return
    try:
        get_backend().send(sms.plain_phone(), sms.text)
    except SmsError as exc:
        _record_failure(sms_id, str(exc))
    else:
        _record_sent(sms_id)


def _lease() -> timedelta:
    """Longer than any send may take: past it, the run is presumed dead."""
    return timedelta(seconds=settings.SMS_GATEWAY_TIMEOUT * 2) + timedelta(minutes=1)


def _claim(sms_id: int) -> OutgoingSms | None:
    """The message, with one more attempt recorded, if it is queued and due."""
    now = timezone.now()
    with transaction.atomic():
        sms = OutgoingSms.objects.select_for_update().filter(pk=sms_id).first()
        if sms is None or sms.status != SmsStatus.QUEUED:
            return None  # sent or given up by an earlier run
        if sms.next_attempt_at is not None and sms.next_attempt_at > now:
            return None  # its retry is later, or another run is sending it
        sms.attempts += 1
        sms.next_attempt_at = now + _lease()
        sms.save(update_fields=["attempts", "next_attempt_at"])
    return sms


def _record_sent(sms_id: int) -> None:
    OutgoingSms.objects.filter(pk=sms_id).update(
        status=SmsStatus.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )


def _record_failure(sms_id: int, error: str) -> None:
    """Keep the message queued for its next attempt, or give it up after the last."""
    # A provider's adapter may quote the number in its error: mask it all the same.
    error = redact(error)[:ERROR_LENGTH]
    with transaction.atomic():
        sms = OutgoingSms.objects.select_for_update().get(pk=sms_id)
        sms.last_error = error
        if sms.attempts >= MAX_ATTEMPTS:
            sms.status = SmsStatus.FAILED
            sms.next_attempt_at = None
            logger.error(
                "text message %s (%s) given up after %s attempts: %s",
                sms.pk,
                sms.kind,
                sms.attempts,
                error,
            )
        else:
            sms.next_attempt_at = timezone.now() + RETRY_DELAYS[sms.attempts - 1]
            logger.warning(
                "text message %s (%s), attempt %s failed: %s", sms.pk, sms.kind, sms.attempts, error
            )
            transaction.on_commit(partial(_enqueue, sms.pk, sms.next_attempt_at), robust=True)
        sms.save(update_fields=["last_error", "status", "next_attempt_at"])
