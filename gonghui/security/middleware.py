"""Every request gets an id, and what a signed-in user is refused or carries away
is written to the security event log."""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar
from functools import partial

from auditlog.cid import set_cid
from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware
from django.db.models.signals import pre_save
from django.http import HttpRequest

from .models import EventKind, EventResult

#: The request being answered, for events written deep inside a service.
current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)

REQUEST_ID_HEADER = "X-Request-ID"
#: An id a proxy in front already gave the request is kept if it looks like one;
#: anything else (too long, odd characters) is replaced, never copied into the log.
ACCEPTED_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")


def current_request_id() -> str | None:
    """The id of the request being answered (auditlog's correlation id:
    AUDITLOG_CID_GETTER), so change-history entries name their request too."""
    request = current_request.get()
    return getattr(request, "request_id", None)


class RequestIdMiddleware:
    """Gives every request an id (``request.request_id``), answers it in the
    X-Request-ID header and makes it the request's context for events and logs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(REQUEST_ID_HEADER, "")
        request.request_id = given if ACCEPTED_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
        response[REQUEST_ID_HEADER] = request.request_id
        return response


def _attachment(response) -> bool:
    return response.get("Content-Disposition", "").lower().startswith("attachment")


class SecurityEventMiddleware:
    """Writes an event when a signed-in user is refused a page (403), asks for a
    record that is not theirs to see (404 on a route naming a record: the scope
    answers 404 for a record outside the subtree), or receives a file (an export or
    a download)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = request.resolver_match
        if user is None or not user.is_authenticated or match is None:
            return response
        kind, result = self.kind_of(request, response)
        if kind is not None:
            from .events import security_event

            object_id = match.kwargs.get("pk", next(iter(match.kwargs.values()), ""))
            security_event(
                kind=kind,
                by=user,
                result=result,
                object_type=match.view_name,
                object_id=str(object_id),
                detail={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "query": request.GET.urlencode(),
                },
                request=request,
            )
        return response

    @staticmethod
    def kind_of(request, response) -> tuple[str | None, str]:
        status = response.status_code
        if status == 403:
            return EventKind.PERMISSION_DENIED, EventResult.REFUSED
        if status == 404 and request.resolver_match.kwargs:
            return EventKind.OUT_OF_SCOPE, EventResult.REFUSED
        if status == 200 and _attachment(response):
            view_name = request.resolver_match.view_name
            if "export" in request.GET or "export" in view_name:
                return EventKind.EXPORT, EventResult.OK
            return EventKind.DOWNLOAD, EventResult.OK
        return None, EventResult.OK


#: The one receiver that names a change-history entry's actor and address
#: (``connect_change_actor``) answers to this id alone.
CHANGE_ACTOR_ID = ("gonghui.security", "change-actor")


class ChangeActorMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware (each change-history entry names who made it and
    from where), without its signal receiver connected and disconnected on every
    request: that took the signal registry's lock and emptied its caches on every
    page, for the few requests that change anything. The receiver is connected once
    (``connect_change_actor``); the request only sets the context it reads."""

    def __call__(self, request):
        set_cid(request)
        context = {**self.get_extra_data(request), "signal_duid": CHANGE_ACTOR_ID}
        token = auditlog_value.set(context)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)


def connect_change_actor() -> None:
    """Connect, once, auditlog's receiver that fills a new entry's actor and address
    from the request's context (``ChangeActorMiddleware``)."""
    from auditlog import get_logentry_model
    from auditlog.context import _set_extra_data

    pre_save.connect(
        partial(_set_extra_data, signal_duid=CHANGE_ACTOR_ID),
        sender=get_logentry_model(),
        dispatch_uid=CHANGE_ACTOR_ID,
        weak=False,
    )


def install_request_id_in_log_records() -> None:
    """Every log record carries ``request_id`` (the request being answered, or "-"),
    so a formatter can print it (``%(request_id)s``) beside the message."""
    make_record = logging.getLogRecordFactory()
    if getattr(make_record, "adds_request_id", False):
        return

    def record_with_request_id(*args, **kwargs):
        record = make_record(*args, **kwargs)
        record.request_id = current_request_id() or "-"
        return record

    record_with_request_id.adds_request_id = True
    logging.setLogRecordFactory(record_with_request_id)
