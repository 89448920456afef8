"""Reads about counselling: which slots a user may book, bookings, and the one note reader."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from gonghui.core.crypto import decrypt
from gonghui.core.scope import sees_everything, subtree_q, user_scope_root

from .models import (
    ACTIVE_STATUSES,
    NOTE_CONTEXT,
    Booking,
    BookingStatus,
    CounsellingSlot,
    SessionNote,
)

#: The most workers offered as one types a name or the end of an ID number.


def slots_offered_to(user) -> QuerySet:
    """Slots a staff user may book for workers.

    A counsellor of the county federation serves every township, so besides
    the slots of the user's subtree (the scope rule) those published by
    organisations above the user's are offered too. A slot tells only a
    counsellor's name and a time, nothing about any worker.
    """
    if sees_everything(user):
        return CounsellingSlot.objects.all()
    root = user_scope_root(user)
    if root is None:
        return CounsellingSlot.objects.none()
    return CounsellingSlot.objects.filter(
        subtree_q(root.path, "organisation") | Q(organisation_id__in=root.ancestor_ids())
    )


def bookable_slots(user) -> QuerySet:
    """Future slots offered to the user that no active booking holds, soonest first."""
    return (
        slots_offered_to(user)
        .free()
        .select_related("counsellor", "organisation")
        .order_by("starts_at", "pk")
    )


def day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The start of ``day`` and of the next day, in the site's time zone."""
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    return start, timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min)
    )


def bookings_on(queryset: QuerySet, day: datetime.date) -> QuerySet:
    """The bookings of ``queryset`` whose slot starts on ``day`` (local time)."""
    start, end = day_bounds(day)
    return queryset.filter(slot__starts_at__gte=start, slot__starts_at__lt=end)


def counsellor_calendar(
    counsellor, *, include_past: bool = False, booked_on: datetime.date | None = None
) -> QuerySet:
    """The counsellor's own slots with their active booking (if any), soonest first.

    With ``booked_on``, only the slots of that day that a booking still holds
    (the sessions of the day, before or awaiting their outcome), begun or not.
    """
    slots = CounsellingSlot.objects.filter(counsellor=counsellor)
    if booked_on is not None:
        start, end = day_bounds(booked_on)
        slots = slots.filter(
            starts_at__gte=start, starts_at__lt=end, bookings__status=BookingStatus.BOOKED
        )
    elif not include_past:
        slots = slots.filter(ends_at__gt=timezone.now())
    return slots.order_by("starts_at", "pk").prefetch_related(
        Prefetch(
            "bookings",
            queryset=Booking.objects.filter(status__in=ACTIVE_STATUSES).select_related("person"),
            to_attr="active_bookings",
        )
    )


def counsellor_booking(counsellor, pk: int) -> Booking:
    """One booking of the counsellor's own slots (DoesNotExist otherwise)."""
    return Booking.objects.select_related("slot", "person").get(pk=pk, slot__counsellor=counsellor)


def session_note_text(*, user, booking: Booking) -> str | None:
    """The decrypted note of a session, for its author only; None for anyone else.

    Deliberately not the scope rule: a county administrator or a superuser
    sees the whole county but never the content of a counselling session.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    note = (
        SessionNote.objects.filter(booking=booking, counsellor=user, booking__slot__counsellor=user)
        .only("text_encrypted")
        .first()
    )
    if note is None:
        return None
    return decrypt(note.text_encrypted, context=NOTE_CONTEXT)


def bookings_for_person(user, person) -> QuerySet:
    """A person's bookings the user may see (for the person's page), without notes."""
    return (
        Booking.objects.for_user(user)
        .filter(person=person)
        .select_related("slot", "slot__counsellor")
        .order_by("-slot__starts_at", "-pk")
    )
