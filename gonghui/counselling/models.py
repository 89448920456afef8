"""Counselling (心理疏导): counsellors' time slots, workers' bookings, and session notes.

A slot belongs to the organisation of the counsellor who published it; a
booking is seen where the worker's file is seen and where the slot's
organisation is seen. Session notes are health information (PIPL 第二十八条,
sensitive personal information): they are stored encrypted and are read only
by the counsellor who wrote them, never through a scoped queryset.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import CiphertextField
from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, about_person

#: Associated data of the encrypted note column (core.crypto): a fixed string,
#: so that renaming the field does not make the notes unreadable.
NOTE_CONTEXT = "counselling.sessionnote.text"


class SlotMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")


class BookingChannel(models.TextChoices):
    STAFF = "staff", _("Entered by staff")
    PORTAL = "portal", _("Worker portal")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")


#: A booking in any of these statuses holds its slot.
ACTIVE_STATUSES = (BookingStatus.BOOKED, BookingStatus.ATTENDED, BookingStatus.NO_SHOW)


class CounsellingSlotQuerySet(ScopedQuerySet):
    scope_fields = ("organisation",)

    def offered(self):
        """Slots not withdrawn by their counsellor."""
        return self.filter(withdrawn_at__isnull=True)

    def free(self):
        """Slots in the future, not withdrawn, that no active booking holds."""
        return (
            self.offered()
            .filter(starts_at__gt=timezone.now())
            .exclude(bookings__status__in=ACTIVE_STATUSES)
        )


class CounsellingSlot(models.Model):
    """A time a counsellor offers, in a place or online; one counsellor's slots never overlap."""

    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="counselling_slots",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="counselling_slots",
        help_text=_("The counsellor's organisation when the slot was published."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    mode = models.CharField(_("mode"), max_length=10, choices=SlotMode.choices)
    place = models.CharField(_("place or meeting link"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdraw_reason = models.TextField(_("reason for withdrawing"), blank=True)

    objects = CounsellingSlotQuerySet.as_manager()

    class Meta:
        verbose_name = _("counselling slot")
        verbose_name_plural = _("counselling slots")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")),
                name="counselling_slot_ends_after_start",
                violation_error_message=_("A slot must end after it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(mode=SlotMode.IN_PERSON) | ~Q(place=""),
                name="counselling_slot_in_person_has_place",
                violation_error_message=_("A slot in person needs a place."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | ~Q(withdraw_reason=""),
                name="counselling_slot_withdrawal_has_reason",
                violation_error_message=_("A withdrawn slot records why."),
            ),
        ]
        indexes = [
            # The overlap check and the counsellor's calendar read one counsellor's slots by time.
            models.Index(fields=["counsellor", "starts_at"], name="counselling_slot_calendar"),
        ]

    def __str__(self) -> str:
        local = timezone.localtime(self.starts_at)
        return f"{local:%Y-%m-%d %H:%M} · {self.counsellor.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("counselling:slot-list")

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class BookingQuerySet(ScopedQuerySet):
    # Seen where the worker's file is seen, and by the organisation of the slot.
    scope_fields = (*about_person(), "slot__organisation")

    def active(self):
        return self.filter(status__in=ACTIVE_STATUSES)


class Booking(models.Model):
    """A worker's booking of a slot, with its cancellation or outcome (came / did not come)."""

    slot = models.ForeignKey(
        CounsellingSlot, verbose_name=_("slot"), on_delete=models.PROTECT, related_name="bookings"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="counselling"
    )
    channel = models.CharField(_("channel"), max_length=10, choices=BookingChannel.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=BookingStatus.choices, default=BookingStatus.BOOKED
    )
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("booked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    booked_at = models.DateTimeField(_("booked at"), default=timezone.now)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cancelled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    outcome_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("outcome recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    outcome_recorded_at = models.DateTimeField(_("outcome recorded at"), null=True, blank=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("counselling booking")
        verbose_name_plural = _("counselling bookings")
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="counselling_booking_one_active_per_slot",
                violation_error_message=_("This slot is already booked."),
            ),
            models.CheckConstraint(
                condition=~Q(status=BookingStatus.CANCELLED)
                | (Q(cancelled_at__isnull=False) & ~Q(cancel_reason="")),
                name="counselling_booking_cancellation_recorded",
                violation_error_message=_("A cancellation records when and why."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[BookingStatus.ATTENDED, BookingStatus.NO_SHOW])
                | Q(outcome_recorded_at__isnull=False),
                name="counselling_booking_outcome_recorded",
                violation_error_message=_("An outcome records when it was entered."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.slot}"

    def get_absolute_url(self) -> str:
        return reverse("counselling:booking-detail", args=[self.pk])

    @property
    def is_booked(self) -> bool:
        return self.status == BookingStatus.BOOKED


class SessionNote(models.Model):
    """The counsellor's note of a session, encrypted; only its author ever reads it.

    No manager method, list page, export or audit entry exposes the text:
    ``selectors.session_note_text`` is the one reader and checks the author.
    """

    booking = models.OneToOneField(
        Booking, verbose_name=_("booking"), on_delete=models.PROTECT, related_name="note"
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    text_encrypted = CiphertextField(_("note (encrypted)"), context=NOTE_CONTEXT)
    written_at = models.DateTimeField(_("written at"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("session note")
        verbose_name_plural = _("session notes")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.booking_id} · {self.written_at:%Y-%m-%d}"
