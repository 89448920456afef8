"""The background task that delivers a queued text message (``services.sms_queue``)."""

from __future__ import annotations

from django_tasks import task

from .services import QUEUE, sms_deliver


@task(queue_name=QUEUE)
def deliver(sms_id: int) -> None:
    """Deliver the message; on a failure it enqueues its own retry (``services``)."""
    sms_deliver(sms_id)
