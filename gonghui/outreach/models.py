"""Outreach: 夏送清凉 deliveries, 冬送温暖 / festival visits and micro-wishes (微心愿).

Every record belongs to the organisation that did the work, and is seen
through that organisation's place in the tree (``core.scope``). Money and
goods values are decimals in yuan with two places (fen), never floats.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person

from .vocabularies import Occasion, WishAction, WishStatus

MONEY = {"max_digits": 12, "decimal_places": 2}
ZERO = Decimal("0.00")


class OutreachQuerySet(ScopedQuerySet):
    # A record is seen by the organisation that did the work and everything above it.
    scope_fields = ("organisation",)


class Delivery(models.Model):
    """One 夏送清凉 delivery of cooling goods to a work site.

    The site is an employer on the register or a free-text outdoor site
    (a road works, a sanitation depot). ``total_value`` is the sum of the
    lines' values, written by the services together with the lines.
    The campaign is named as plain text so that a delivery needs nothing
    from the aid programmes to be recorded.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    campaign_name = models.CharField(_("campaign"), max_length=100)
    campaign_year = models.PositiveSmallIntegerField(_("campaign year"))
    employer = models.ForeignKey(
        Employer,
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="deliveries",
    )
    site_name = models.CharField(_("outdoor site"), max_length=200, blank=True)
    delivered_on = models.DateField(_("delivered on"))
    workers_reached = models.PositiveIntegerField(_("workers reached"))
    total_value = models.DecimalField(_("total value (yuan)"), default=ZERO, **MONEY)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("cooling delivery")
        verbose_name_plural = _("cooling deliveries")
        ordering = ["-delivered_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(employer__isnull=False) | ~Q(site_name=""),
                name="delivery_has_site",
                violation_error_message=_("Name the employer or the outdoor site."),
            ),
            models.CheckConstraint(
                condition=Q(total_value__gte=0),
                name="delivery_total_not_negative",
                violation_error_message=_("The total value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(campaign_year__gte=2000, campaign_year__lte=2100),
                name="delivery_campaign_year_range",
                violation_error_message=_("The campaign year is not a plausible year."),
            ),
        ]
        indexes = [
            # The summary counts per organisation and year.
            models.Index(fields=["organisation", "campaign_year"], name="delivery_org_year"),
        ]

    def __str__(self) -> str:
        return f"{self.site_label} · {self.delivered_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:delivery-detail", args=[self.pk])

    @property
    def site_label(self) -> str:
        return self.employer.name if self.employer_id else self.site_name


class DeliveryLine(models.Model):
    """One line of goods in a delivery: what, how much, at what unit value."""

    delivery = models.ForeignKey(
        Delivery, verbose_name=_("delivery"), on_delete=models.CASCADE, related_name="lines"
    )
    item = models.CharField(_("item"), max_length=100)
    quantity = models.DecimalField(_("quantity"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    unit_value = models.DecimalField(_("unit value (yuan)"), **MONEY)

    class Meta:
        verbose_name = _("goods line")
        verbose_name_plural = _("goods lines")
        ordering = ["pk"]
        default_permissions = ()
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__gt=0),
                name="delivery_line_quantity_positive",
                violation_error_message=_("The quantity must be more than zero."),
            ),
            models.CheckConstraint(
                condition=Q(unit_value__gte=0),
                name="delivery_line_value_not_negative",
                violation_error_message=_("The unit value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item} × {self.quantity}"

    @property
    def value(self) -> Decimal:
        return (self.quantity * self.unit_value).quantize(Decimal("0.01"))


class Visit(models.Model):
    """A 冬送温暖 or festival visit (节日慰问): who visited whom and what was given.

    The person visited is linked to their file when they have one (the visit
    then shows on their page, 一人一档); a household or a name is written
    out otherwise.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_on = models.DateField(_("visited on"))
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    visitors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("staff visitors"), blank=True, related_name="+"
    )
    visitor_names = models.CharField(
        _("other visitors"),
        max_length=200,
        blank=True,
        help_text=_("Leaders or guests who are not staff users, separated by commas."),
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("person visited"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits",
    )
    visited_name = models.CharField(_("household or name visited"), max_length=100, blank=True)
    goods = models.CharField(_("goods given"), max_length=200, blank=True)
    goods_value = models.DecimalField(_("value of goods (yuan)"), default=ZERO, **MONEY)
    cash = models.DecimalField(_("cash given (yuan)"), default=ZERO, **MONEY)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(visited_name=""),
                name="visit_has_someone_visited",
                violation_error_message=_("Choose the person visited or write the name."),
            ),
            models.CheckConstraint(
                condition=Q(goods_value__gte=0) & Q(cash__gte=0),
                name="visit_values_not_negative",
                violation_error_message=_("Values given cannot be negative."),
            ),
        ]
        indexes = [
            # The ledger counts visits per organisation and date range.
            models.Index(fields=["organisation", "visited_on"], name="visit_org_date"),
        ]

    def __str__(self) -> str:
        return f"{self.visited_label} · {self.visited_on:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("outreach:visit-detail", args=[self.pk])

    @property
    def visited_label(self) -> str:
        return self.person.name if self.person_id else self.visited_name

    @property
    def total_value(self) -> Decimal:
        return self.goods_value + self.cash


class Wish(models.Model):
    """A worker's micro-wish (微心愿), posted by a union, claimed by a donor, fulfilled.

    The status changes only through the services in ``services``, each
    transition a row of ``WishStep``. The database refuses a second claim
    of one wish (``wish_step_one_claim``) and a claimed or fulfilled wish
    without a donor.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="wishes"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("worker"), on_delete=models.PROTECT, related_name="wishes"
    )
    text = models.CharField(_("wish"), max_length=300)
    estimated_value = models.DecimalField(_("estimated value (yuan)"), **MONEY)
    status = models.CharField(
        _("status"), max_length=10, choices=WishStatus.choices, default=WishStatus.POSTED
    )
    donor_name = models.CharField(_("donor"), max_length=100, blank=True)
    donor_employer = models.ForeignKey(
        Employer,
        verbose_name=_("donor unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="wishes_claimed",
    )
    fulfilled_on = models.DateField(_("fulfilled on"), null=True, blank=True)
    delivered = models.CharField(_("what was delivered"), max_length=300, blank=True)
    # A path under MEDIA_ROOT (random name, never the uploader's), served by a scoped view.
    photo = models.CharField(_("photo"), max_length=200, blank=True, editable=False)
    photo_type = models.CharField(max_length=20, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OutreachQuerySet.as_manager()

    class Meta:
        verbose_name = _("micro-wish")
        verbose_name_plural = _("micro-wishes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_value__gte=0),
                name="wish_value_not_negative",
                violation_error_message=_("The estimated value cannot be negative."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[WishStatus.CLAIMED, WishStatus.FULFILLED])
                | Q(donor_employer__isnull=False)
                | ~Q(donor_name=""),
                name="wish_claimed_has_donor",
                violation_error_message=_("A claimed wish names its donor."),
            ),
            models.CheckConstraint(
                condition=(Q(status=WishStatus.FULFILLED) & Q(fulfilled_on__isnull=False))
                | (~Q(status=WishStatus.FULFILLED) & Q(fulfilled_on__isnull=True)),
                name="wish_fulfilled_iff_date",
                violation_error_message=_("A fulfilled wish has a fulfilment date."),
            ),
        ]
        indexes = [
            # The ledger counts fulfilled wishes per organisation.
            models.Index(fields=["organisation", "status", "fulfilled_on"], name="wish_ledger"),
        ]
        permissions = [
            ("handle_wish", _("Can record claims, fulfilments and withdrawals of micro-wishes")),
        ]

    def __str__(self) -> str:
        return self.text

    def get_absolute_url(self) -> str:
        return reverse("outreach:wish-detail", args=[self.pk])

    @property
    def donor_label(self) -> str:
        return self.donor_employer.name if self.donor_employer_id else self.donor_name


class WishStep(models.Model):
    """One step of a wish (posted, claimed, fulfilled, withdrawn): who, when, and a comment."""

    wish = models.ForeignKey(
        Wish, verbose_name=_("micro-wish"), on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField(_("action"), max_length=10, choices=WishAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("micro-wish step")
        verbose_name_plural = _("micro-wish steps")
        ordering = ["at", "pk"]
        default_permissions = ()
        constraints = [
            # Two staff claiming one wish at the same moment: one of them writes this row.
            models.UniqueConstraint(
                fields=["wish"],
                condition=Q(action=WishAction.CLAIM),
                name="wish_step_one_claim",
                violation_error_message=_("This wish has already been claimed."),
            ),
            models.UniqueConstraint(
                fields=["wish"],
                condition=Q(action=WishAction.FULFIL),
                name="wish_step_one_fulfilment",
                violation_error_message=_("This wish has already been fulfilled."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.wish} · {self.get_action_display()}"
