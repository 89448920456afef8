"""Writes about counselling: slots, bookings, cancellations, outcomes and session notes.

Every function takes the acting user as ``by=`` (None only where a worker books
through the portal; ``booking_cancel_by_worker`` takes the worker instead), runs
in one transaction and returns what it saved.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.accounts.models import Role
from gonghui.core.crypto import encrypt
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
from gonghui.people.models import Person

from . import selectors
from .models import (
    NOTE_CONTEXT,
    Booking,
    BookingChannel,
    BookingStatus,
    CounsellingSlot,
    SessionNote,
    SlotMode,
)


def _local(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


# --- Slots -----------------------------------------------------------------------------


@transaction.atomic
def slot_publish(
    *, by, starts_at: datetime, ends_at: datetime, mode: str, place: str = ""
) -> CounsellingSlot:
    """A new slot of the counsellor ``by``; refused if it overlaps one of their slots.

    The counsellor's own user row is locked first, so two slots published at
    the same moment are checked one after the other and cannot both pass.
    """
    if by is None or not by.has_role(Role.COUNSELLOR):
        raise PermissionDenied(_("Only a counsellor can publish counselling slots."))
    if by.organisation_id is None:
        raise PermissionDenied(_("Your account belongs to no organisation."))
    place = place.strip()
    if mode not in SlotMode.values:
        raise ValidationError({"mode": _("Choose in person or online.")})
    if ends_at <= starts_at:
        raise ValidationError({"ends_at": _("The slot must end after it starts.")})
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A slot must start in the future.")})
    if mode == SlotMode.IN_PERSON and not place:
        raise ValidationError({"place": _("Enter the place of a slot in person.")})
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    clash = (
        CounsellingSlot.objects.offered()
        .filter(counsellor=by, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            _("This slot overlaps your slot from %(start)s to %(end)s.")
            % {"start": _local(clash.starts_at), "end": _local(clash.ends_at)}
        )
    return CounsellingSlot.objects.create(
        counsellor=by,
        organisation_id=by.organisation_id,
        starts_at=starts_at,
        ends_at=ends_at,
        mode=mode,
        place=place,
    )


def _may_withdraw(by, slot: CounsellingSlot) -> bool:
    """The slot's counsellor, or whoever manages slots where the slot's organisation lies."""
    if by is None or not getattr(by, "is_authenticated", False):
        return False
    if slot.counsellor_id == by.pk:
        return True
    return by.has_perm("counselling.change_counsellingslot") and (
        CounsellingSlot.objects.for_user(by).filter(pk=slot.pk).exists()
    )


@transaction.atomic
def slot_withdraw(*, by, slot: CounsellingSlot, reason: str) -> CounsellingSlot:
    """Withdraw a slot still to come; it is no longer offered for booking.

    A booking that holds the slot is cancelled with it, recorded as cancelled
    by ``by`` with the same reason, so the staff who booked it and the
    worker's file show why. The slot's row is locked first, the way
    ``booking_create`` locks it, so a booking made at the same moment either
    comes before (and is cancelled here) or sees the slot withdrawn.
    """
    if not _may_withdraw(by, slot):
        raise PermissionDenied(_("Only the slot's counsellor can withdraw it."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for withdrawing the slot.")})
    slot = CounsellingSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.is_withdrawn:
        raise ValidationError(_("This slot has already been withdrawn."))
    now = timezone.now()
    if slot.starts_at <= now:
        raise ValidationError(_("A slot that has already begun cannot be withdrawn."))
    for booking in Booking.objects.select_for_update().filter(
        slot=slot, status=BookingStatus.BOOKED
    ):
        _cancel(booking, by=by, reason=reason, at=now)
    slot.withdrawn_at = now
    slot.withdrawn_by = by
    slot.withdraw_reason = reason
    slot.save(update_fields=["withdrawn_at", "withdrawn_by", "withdraw_reason"])
    return slot


# --- Bookings --------------------------------------------------------------------------


@transaction.atomic
def booking_create(*, slot: CounsellingSlot, person: Person, by, channel: str) -> Booking:
    """Book ``slot`` for ``person``: staff for a worker in their scope, or the worker portal.

    ``by`` is the staff user (channel "staff") or None when the worker books
    for themselves (channel "portal"; the portal has identified the person).
    One active booking per slot is a database constraint; the slot's row is
    locked so that the second of two simultaneous bookings gets the message.
    """
    if channel not in BookingChannel.values:
        raise ValidationError(_("Unknown booking channel."))
    if channel == BookingChannel.STAFF:
        if by is None or not by.has_perm("counselling.add_booking"):
            raise PermissionDenied(_("You may not book counselling."))
        if not Person.objects.for_user(by).filter(pk=person.pk).exists():
            raise PermissionDenied(_("This person is outside your scope."))
        if not selectors.slots_offered_to(by).filter(pk=slot.pk).exists():
            raise PermissionDenied(_("This slot is not offered to your organisation."))
    elif by is not None:
        raise ValidationError(_("A portal booking is made by the worker, not by staff."))
    slot = CounsellingSlot.objects.select_for_update().get(pk=slot.pk)
    if slot.is_withdrawn:
        raise ValidationError(_("The counsellor has withdrawn this slot; choose another one."))
    if slot.starts_at <= timezone.now():
        raise ValidationError(_("This slot has already begun; choose a later one."))
    if Booking.objects.active().filter(slot=slot).exists():
        raise ValidationError(_("This slot is already booked; choose another one."))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                slot=slot, person=person, channel=channel, booked_by=by
            )
    except IntegrityError:
        raise ValidationError(_("This slot is already booked; choose another one.")) from None
    # "Appointment", not what it is for: a phone is often shared.
    with workers_language():
        notify(
            person,
            MessageKind.BOOKING_MADE,
            title=_("Your appointment on %(time)s is booked") % {"time": _local(slot.starts_at)},
            body=_("%(start)s to %(end)s, %(place)s.")
            % {
                "start": _local(slot.starts_at),
                "end": f"{timezone.localtime(slot.ends_at):%H:%M}",
                "place": slot.place or slot.get_mode_display(),
            },
            url=reverse("portal-counselling:booking", args=[booking.pk]),
        )
    return booking


def _booking_for_change(by, booking: Booking) -> Booking:
    """The booking, locked, if ``by`` may change it: its counsellor, or staff in scope."""
    is_counsellor = CounsellingSlot.objects.filter(pk=booking.slot_id, counsellor=by).exists()
    in_scope = by.has_perm("counselling.change_booking") and (
        Booking.objects.for_user(by).filter(pk=booking.pk).exists()
    )
    if not (is_counsellor or in_scope):
        raise PermissionDenied(_("This booking is outside your scope."))
    return Booking.objects.select_for_update().select_related("slot").get(pk=booking.pk)


@transaction.atomic
def booking_cancel(*, by, booking: Booking, reason: str) -> Booking:
    """Cancel a booking still to come, recording who, when and why; the slot is free again."""
    booking = _booking_for_change(by, booking)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if not booking.is_booked:
        raise ValidationError(
            _("A booking that is “%(status)s” cannot be cancelled.")
            % {"status": booking.get_status_display()}
        )
    _cancel(booking, by=by, reason=reason, at=timezone.now())
    return booking


@transaction.atomic
def booking_cancel_by_worker(*, person: Person, booking: Booking, reason: str) -> Booking:
    """The worker cancels their own booking through the portal, before the slot begins.

    ``person`` is the worker the portal identified: a booking of anyone else is
    refused as if it did not exist. Recorded as cancelled by no staff user
    (``cancelled_by`` empty), with the worker's reason; the slot is free again.
    """
    booking = (
        Booking.objects.select_for_update()
        .select_related("slot")
        .filter(pk=booking.pk, person=person)
        .first()
    )
    if booking is None:
        raise PermissionDenied(_("This booking is not yours."))
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for cancelling.")})
    if not booking.is_booked:
        raise ValidationError(
            _("A booking that is “%(status)s” cannot be cancelled.")
            % {"status": booking.get_status_display()}
        )
    if booking.slot.starts_at <= timezone.now():
        raise ValidationError(
            _("This appointment has already begun; it can no longer be cancelled.")
        )
    _cancel(booking, by=None, reason=reason, at=timezone.now(), by_worker=True)
    return booking


def _cancel(booking: Booking, *, by, reason: str, at, by_worker: bool = False) -> None:
    booking.status = BookingStatus.CANCELLED
    booking.cancelled_by = by
    booking.cancelled_at = at
    booking.cancel_reason = reason
    booking.save(update_fields=["status", "cancelled_by", "cancelled_at", "cancel_reason"])
    with workers_language():
        notify(
            booking.person,
            MessageKind.BOOKING_CANCELLED,
            title=_("Your appointment on %(time)s is cancelled")
            % {"time": _local(booking.slot.starts_at)},
            body=_("You cancelled it yourself. You may book another time.")
            if by_worker
            else _("You may book another time, or ask your union why."),
            url=reverse("portal-counselling:booking", args=[booking.pk]),
        )


def outcome_open(slot: CounsellingSlot, *, now: datetime | None = None) -> bool:
    """Whether the outcome of a booking of ``slot`` may be recorded: once the slot has begun.

    The booking pages show the outcome buttons by this same rule.
    """
    return slot.starts_at <= (now or timezone.now())


@transaction.atomic
def booking_record_outcome(*, by, booking: Booking, attended: bool) -> Booking:
    """Record after the slot began whether the worker came (attended) or not (no-show)."""
    booking = _booking_for_change(by, booking)
    if not booking.is_booked:
        raise ValidationError(
            _("The outcome of a booking that is “%(status)s” cannot be recorded.")
            % {"status": booking.get_status_display()}
        )
    if not outcome_open(booking.slot):
        raise ValidationError(_("The outcome can be recorded once the slot has begun."))
    booking.status = BookingStatus.ATTENDED if attended else BookingStatus.NO_SHOW
    booking.outcome_recorded_by = by
    booking.outcome_recorded_at = timezone.now()
    booking.save(update_fields=["status", "outcome_recorded_by", "outcome_recorded_at"])
    return booking


# --- Session notes ---------------------------------------------------------------------


@transaction.atomic
def session_note_write(*, by, booking: Booking, text: str) -> SessionNote:
    """Write (or rewrite) the note of a session; only the slot's counsellor may."""
    booking = (
        Booking.objects.select_for_update()
        .filter(pk=booking.pk, slot__counsellor=by)
        .select_related("slot")
        .first()
    )
    if booking is None or by is None:
        raise PermissionDenied(_("Only the counsellor of this session can write its note."))
    if booking.status == BookingStatus.CANCELLED:
        raise ValidationError(_("A cancelled booking has no session to note."))
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("The note is empty.")})
    note, _created = SessionNote.objects.update_or_create(
        booking=booking,
        defaults={"counsellor": by, "text_encrypted": encrypt(text, context=NOTE_CONTEXT)},
    )
    return note
