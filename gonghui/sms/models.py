"""The record of every text message queued for delivery (``services.sms_queue``)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.crypto import CiphertextField, decrypt

#: Associated data of the encrypted phone column (core.crypto): a fixed string, so
#: that a ciphertext copied from another column does not decrypt here.
PHONE_CONTEXT = "sms.outgoingsms.phone"


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutgoingSms(models.Model):
    """A text message waiting for delivery, delivered, or given up after its retries.

    The row is written in the transaction of the change the message tells about,
    so a message exists exactly when that change was committed. ``next_attempt_at``
    is when the next delivery may start; while one runs it holds the run's lease
    (``services.sms_deliver``).
    """

    phone_encrypted = CiphertextField(_("mobile phone (encrypted)"), context=PHONE_CONTEXT)
    # An application's status, a booking's time: never an ID number or a code to keep.
    text = models.TextField(_("text"))
    kind = models.CharField(_("kind"), max_length=50, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The backend's SmsError message: the kind of failure, never the phone or the text.
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)

    class Meta:
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SmsStatus.values), name="sms_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status=SmsStatus.SENT) | Q(sent_at__isnull=False),
                name="sms_sent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind or 'sms'} #{self.pk} ({self.status})"

    def plain_phone(self) -> str:
        return decrypt(self.phone_encrypted, context=PHONE_CONTEXT)
