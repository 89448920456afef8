"""Messages to workers: every status change of a worker's application, booking or
transfer, written by ``services.notify`` and read in the portal (``/m/messages/``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class MessageKind(models.TextChoices):
    """One kind per status change a worker is told about; a worker turns text
    messages off by kind (``SmsPreference``)."""

    JOIN_APPROVED = "join_approved", _("Membership application approved")
    JOIN_REJECTED = "join_rejected", _("Membership application rejected")
    TRANSFER = "transfer", _("Membership transferred")
    MEMBERSHIP_REQUEST = "membership_request", _("Transfer or leaving request")
    AID_STEP = "aid_step", _("Aid application approved at a level")
    AID_RETURNED = "aid_returned", _("Aid application returned for more information")
    AID_APPROVED = "aid_approved", _("Aid application approved")
    AID_REJECTED = "aid_rejected", _("Aid application rejected")
    AID_CANCELLED = "aid_cancelled", _("Aid application cancelled")
    AID_PAID = "aid_paid", _("Aid paid")
    BOOKING_MADE = "booking_made", _("Appointment booked")
    BOOKING_CANCELLED = "booking_cancelled", _("Appointment cancelled")
    BOOKING_TOMORROW = "booking_tomorrow", _("Appointment tomorrow")
    BINDING = "binding", _("Account linked to your file")
    RIGHTS_CASE = "rights_case", _("Rights case")
    GENERAL = "general", _("Message from your union")


class Message(models.Model):
    """A message to a worker (the person file): what changed and where to see it.

    Written in the transaction of the change it tells about, so a change rolled
    back leaves no message. The text is the worker's own business but it is still
    kept free of ID numbers, income and health: a phone is often shared.
    """

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="messages",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"), blank=True)
    # A portal page about the change ("" while the page does not exist).
    url = models.CharField(_("link"), max_length=200, blank=True)
    # Set by a sender that must tell a thing once (the reminder of a booking): the
    # unique constraint below makes a second run of the sender a no-op.
    key = models.CharField(_("key"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's list, newest first, and the unread count of the home page.
            models.Index(fields=["person", "-created_at"], name="inbox_message_person_new"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="inbox_message_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["person", "key"],
                condition=~Q(key=""),
                name="inbox_message_once_per_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inbox:detail", args=[self.pk])

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class SmsPreference(models.Model):
    """A worker's choice to get (or not) a text message for one kind of message.

    No row means yes: the important kinds (``services.SMS_KINDS``) go by text
    message until the worker turns them off.
    """

    person = models.ForeignKey(
        "people.Person",
        on_delete=models.CASCADE,
        related_name="sms_preferences",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=MessageKind.choices)
    send = models.BooleanField(_("send a text message"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("text message preference")
        verbose_name_plural = _("text message preferences")
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="inbox_sms_preference_once"),
            models.CheckConstraint(
                condition=Q(kind__in=MessageKind.values), name="inbox_sms_preference_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {'on' if self.send else 'off'}"
