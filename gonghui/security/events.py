"""Writing the security event log: one function, ``security_event``, for every app.

Each row says who (account, roles, organisation), from where (address, request
id), what (kind, object) and how it ended; never a sensitive value. Text that
reaches the log from outside (a query string, an object's name) is passed
through ``core.security.redact``, which masks ID numbers, phones and secrets.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from gonghui.core.security import redact

from . import chain
from .middleware import current_request
from .models import EventKind, EventResult, SecurityEvent

__all__ = ["EventKind", "EventResult", "security_event"]


def _redacted(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, dict):
        return {str(key): _redacted(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redacted(item) for item in value]
    if value is None or isinstance(value, bool | int):
        return value
    return redact(str(value))


def _account(username: str):
    from django.contrib.auth import get_user_model

    if not username:
        return None
    return get_user_model()._default_manager.filter(username=username).first()


def security_event(
    *,
    kind: str,
    by=None,
    username: str = "",
    result: str = EventResult.OK,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    detail: dict | None = None,
    request=None,
) -> SecurityEvent:
    """Append one event to the security log and have it sealed once its
    transaction commits (``chain.seal_soon``).

    ``by`` is the acting account; without one (a failed sign-in), ``username`` is
    the name given, and the account of that name, if any, places the event.
    ``request`` defaults to the request being answered (``RequestIdMiddleware``).
    """
    from gonghui.accounts.lockout import client_address

    request = request if request is not None else current_request.get()
    account = by if by is not None and getattr(by, "is_authenticated", False) else None
    if account is None:
        account = _account(username)
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)
    organisation = getattr(account, "organisation", None)
    event = SecurityEvent.append(
        kind=kind,
        result=result,
        account=account,
        username=(account.get_username() if account is not None else username)[:150],
        roles=",".join(sorted(account.role_names())) if account is not None else "",
        organisation=organisation,
        organisation_name=organisation.name if organisation is not None else "",
        ip_address=client_address(request) if request is not None else None,
        request_id=getattr(request, "request_id", "") or "",
        object_type=object_type[:100],
        object_id=str(object_id)[:64],
        object_repr=redact(object_repr)[:200],
        detail=_redacted(detail or {}),
    )
    chain.event_written(event.chain)
    return event
