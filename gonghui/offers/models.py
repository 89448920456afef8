"""Member offers (普惠): what a county or township union arranges with a merchant for
the members under it, claimed by members in the portal and redeemed at the merchant's
counter with a code.

The claims taken are a counter on the offer (``claimed_count``), raised only by a
conditional UPDATE in the claim's transaction; the database refuses a counter above
the quantity (``offer_within_quantity``), so no path can give out more than there
are. A member's claims of one offer are numbered (``seq``) and the number is unique
per member and offer, so two claims at once of one member cannot both be the first.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

#: No look-alikes (0/O, 1/I/L): a code read off a phone is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
#: 31**10 ≈ 8·10^14 codes: with lookups limited per address, guessing one is hopeless.
CODE_LENGTH = 10


def new_claim_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class OfferStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OfferQuerySet(ScopedQuerySet):
    """Seen and managed in the publishing union's subtree (the member's side is
    ``selectors.offers_for_worker``)."""

    scope_fields = ("union",)


class Offer(models.Model):
    """An offer a union publishes for the members under it: the merchant, what is
    offered and at what price, when, how many, how many per member, and the PIN the
    merchant types to redeem a code (kept hashed, shown once when set)."""

    union = models.ForeignKey(
        Organisation,
        verbose_name=_("publishing union"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    merchant_name = models.CharField(_("merchant"), max_length=200)
    merchant_address = models.CharField(_("merchant's address"), max_length=300)
    merchant_phone = models.CharField(_("merchant's phone"), max_length=30, blank=True)
    title = models.CharField(_("what is offered"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    price = models.CharField(_("discount or price"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    quantity = models.PositiveIntegerField(_("quantity"))
    per_member_limit = models.PositiveIntegerField(_("claims per member"), default=1)
    # Raised only by the claim's conditional UPDATE; the check constraint is the
    # database's own guard.
    claimed_count = models.PositiveIntegerField(_("claimed"), default=0, editable=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=OfferStatus.choices,
        default=OfferStatus.DRAFT,
        editable=False,
    )
    # Django's password hasher: the PIN itself is never stored.
    pin_hash = models.CharField(max_length=200, blank=True, editable=False)
    # When the PIN was last set: the history shows this, never the hash.
    pin_set_at = models.DateTimeField(_("PIN set at"), null=True, blank=True, editable=False)
    pin_failures = models.PositiveIntegerField(default=0, editable=False)
    pin_locked_until = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["-valid_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claimed_count__lte=F("quantity")),
                name="offer_within_quantity",
                violation_error_message=_("The claims cannot exceed the quantity."),
            ),
            models.CheckConstraint(
                condition=Q(quantity__gte=1),
                name="offer_quantity_positive",
                violation_error_message=_("An offer has a quantity of at least one."),
            ),
            models.CheckConstraint(
                condition=Q(per_member_limit__gte=1),
                name="offer_limit_positive",
                violation_error_message=_("A member may claim an offer at least once."),
            ),
            models.CheckConstraint(
                condition=Q(valid_until__gte=F("valid_from")),
                name="offer_valid_window",
                violation_error_message=_("An offer ends no earlier than it starts."),
            ),
        ]
        indexes = [
            # The portal's list: the published offers of a few unions (the member's
            # and those above it) valid today.
            models.Index(
                fields=["union", "status", "valid_until", "valid_from"], name="offer_portal_list"
            ),
        ]

    def __str__(self):
        return f"{self.merchant_name} · {self.title}"

    def get_absolute_url(self):
        return reverse("offers:detail", args=[self.pk])

    @property
    def left(self) -> int:
        return max(self.quantity - self.claimed_count, 0)

    @property
    def has_pin(self) -> bool:
        return bool(self.pin_hash)

    def is_valid_on(self, day=None) -> bool:
        day = day or timezone.localdate()
        return self.valid_from <= day <= self.valid_until


class ClaimQuerySet(ScopedQuerySet):
    scope_fields = ("offer__union",)


class Claim(models.Model):
    """A member's claim of an offer: its code (shown as text and QR in the portal),
    and when the merchant redeemed it. ``seq`` numbers a member's claims of the offer
    (1 to the per-member limit)."""

    offer = models.ForeignKey(
        Offer, verbose_name=_("offer"), on_delete=models.PROTECT, related_name="claims"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("member"), on_delete=models.PROTECT, related_name="offer_claims"
    )
    seq = models.PositiveIntegerField(_("claim number"), editable=False)
    code = models.CharField(
        _("code"), max_length=CODE_LENGTH, unique=True, default=new_claim_code, editable=False
    )
    claimed_at = models.DateTimeField(_("claimed at"), default=timezone.now)
    redeemed_at = models.DateTimeField(_("redeemed at"), null=True, blank=True)

    objects = ClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        ordering = ["-claimed_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer", "person", "seq"],
                name="claim_one_per_number",
                violation_error_message=_("You have already claimed this offer."),
            ),
            models.CheckConstraint(condition=Q(seq__gte=1), name="claim_seq_positive"),
        ]
        indexes = [
            # "My claims": a member's claims, newest first.
            models.Index(fields=["person", "-claimed_at"], name="claim_person_recent"),
        ]

    def __str__(self):
        return f"{self.offer} · {self.code}"


class RedeemAttempt(models.Model):
    """A failed redemption (an unknown code or a wrong PIN) from an address, counted
    for the limits (``services.limits``, as ``rights.TrackingLookup`` counts lookups)
    and forgotten after a day. Neither the code nor the PIN typed is kept."""

    address = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        default_permissions = ()
        indexes = [
            # The limits count an address's failures in the last minutes and day.
            models.Index(fields=["address", "at"], name="offers_attempt_address"),
            # Failures older than a day are deleted.
            models.Index(fields=["at"], name="offers_attempt_at"),
        ]

    def __str__(self) -> str:
        return f"{self.address} · {self.at:%Y-%m-%d %H:%M}"
