"""Reads about rights cases: who reads a case's confidential notes, and the notes themselves."""

from __future__ import annotations

from django.db.models import QuerySet

from gonghui.accounts.models import Role
from gonghui.core.crypto import decrypt
from gonghui.core.scope import sees_everything
from gonghui.security.events import EventKind, security_event

from .models import NOTE_CONTEXT, Case, CaseNote


def note_readable(user, case: Case) -> bool:
    """Whether ``user`` reads ``case``'s confidential notes: its handler; a county
    administrator; or union staff (the staff role) of an organisation above the
    handler's (the handler's superiors). Never a reader of the case alone (a leader),
    another specialist handler (a legal-aid lawyer or mediator above the handler's
    union), nor an auditor."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if case.handler_id is not None and case.handler_id == user.pk:
        return True
    if sees_everything(user):
        return True
    if not Case.objects.for_user(user).filter(pk=case.pk).exists():
        return False
    if user.has_role(Role.COUNTY_ADMIN):
        return True
    if case.handler_id is None or not user.has_role(Role.STAFF):
        return False
    handler_org = case.handler.organisation
    return (
        handler_org is not None
        and user.organisation_id is not None
        and user.organisation_id in handler_org.ancestor_ids()
    )


def note_texts(*, user, case: Case) -> list[tuple[CaseNote, str]] | None:
    """The case's notes decrypted, for a reader ``note_readable`` allows (None for
    anyone else); each read is a security event (reveal)."""
    if not note_readable(user, case):
        return None
    notes = list(CaseNote.objects.filter(case=case).select_related("author"))
    security_event(
        kind=EventKind.REVEAL,
        by=user,
        obj=case,
        detail={"field": "case_notes", "count": len(notes)},
    )
    return [(note, decrypt(note.text_encrypted, context=NOTE_CONTEXT)) for note in notes]


def cases_for_person(user, person) -> QuerySet:
    """A person's cases the user may see (for the person's page), without notes."""
    return (
        Case.objects.for_user(user)
        .filter(case_workers__person=person)
        .select_related("handler")
        .order_by("-received_at", "-pk")
    )


def cases_for_employer(user, employer) -> QuerySet:
    """The cases against an employer the user may see (for the employer's page)."""
    return (
        Case.objects.for_user(user)
        .filter(employer=employer)
        .select_related("handler")
        .order_by("-is_group", "-received_at", "-pk")
    )
