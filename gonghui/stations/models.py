"""Rest stations (工会驿站/户外劳动者服务站点): places a union runs where couriers, riders
and other outdoor workers may drink water, charge a phone, heat a meal and rest, and the
visits counted there day by day.

A station's coordinates are kept inside China's range (``station_latitude_in_china``,
``station_longitude_in_china``): a pair typed the wrong way round, or a degree-minute
value taken for decimal degrees, is refused by the database whatever the code does.
A station has one visit count per day (``visit_one_per_day``).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from urllib.parse import quote

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from gonghui.core.scope import ScopedQuerySet
from gonghui.orgs.models import Organisation, OrgKind

#: China's extent in decimal degrees (WGS-84): Zengmu Ansha in the south to Mohe in
#: the north, the Pamirs in the west to the Heilongjiang–Wusuli confluence in the east.
LATITUDE_RANGE = (Decimal("3.8"), Decimal("53.6"))
LONGITUDE_RANGE = (Decimal("73.4"), Decimal("135.1"))

OUT_OF_RANGE = _(
    "The coordinates lie outside China: latitude is between 3.8 and 53.6, longitude "
    "between 73.4 and 135.1 (decimal degrees)."
)

#: What a station may offer, in the order shown: (field, label).
OFFERS = (
    ("water", _("drinking water")),
    ("charging", _("phone charging")),
    ("microwave", _("microwave")),
    ("toilet", _("toilet")),
    ("rest_seats", _("rest seats")),
    ("first_aid", _("first aid kit")),
)


class StationQuerySet(ScopedQuerySet):
    """Seen and managed in the running organisation's subtree."""

    scope_fields = ("organisation",)

    def active(self):
        return self.filter(active=True)


def station_photo_path(instance, filename: str) -> str:
    return f"station-photos/{timezone.now():%Y}/{uuid.uuid4().hex}.jpg"


class Station(models.Model):
    """A rest station: who runs it, where it is (address, township, coordinates), when
    it is open and what it offers."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("running organisation"),
        on_delete=models.PROTECT,
        related_name="stations",
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=200)
    township = models.ForeignKey(
        Organisation,
        verbose_name=_("township"),
        on_delete=models.PROTECT,
        related_name="township_stations",
        limit_choices_to={"kind": OrgKind.TOWNSHIP},
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6)
    opening_hours = models.CharField(_("opening hours"), max_length=120, blank=True)
    open_all_day = models.BooleanField(_("open 24 hours"), default=False)
    water = models.BooleanField(_("drinking water"), default=False)
    charging = models.BooleanField(_("phone charging"), default=False)
    microwave = models.BooleanField(_("microwave"), default=False)
    toilet = models.BooleanField(_("toilet"), default=False)
    rest_seats = models.BooleanField(_("rest seats"), default=False)
    first_aid = models.BooleanField(_("first aid kit"), default=False)
    photo = models.ImageField(
        _("photo"), upload_to=station_photo_path, max_length=200, blank=True, editable=False
    )
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StationQuerySet.as_manager()

    class Meta:
        verbose_name = _("rest station")
        verbose_name_plural = _("rest stations")
        ordering = ["township__path", "name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=LATITUDE_RANGE[0], latitude__lte=LATITUDE_RANGE[1]),
                name="station_latitude_in_china",
                violation_error_message=OUT_OF_RANGE,
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=LONGITUDE_RANGE[0], longitude__lte=LONGITUDE_RANGE[1]),
                name="station_longitude_in_china",
                violation_error_message=OUT_OF_RANGE,
            ),
        ]
        indexes = [
            # The portal's chooser: a township's active stations.
            models.Index(fields=["township", "active"], name="station_township_active"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("stations:detail", args=[self.pk])

    @property
    def offers(self) -> list:
        """The labels of what the station offers, in ``OFFERS`` order."""
        return [label for field, label in OFFERS if getattr(self, field)]

    @property
    def offers_text(self) -> str:
        return pgettext("list separator", ", ").join(str(label) for label in self.offers)

    @property
    def active_text(self) -> str:
        return str(_("active")) if self.active else str(_("not active"))

    @property
    def hours(self) -> str:
        return str(_("open 24 hours")) if self.open_all_day else self.opening_hours

    @property
    def geo_uri(self) -> str:
        """The standard ``geo:`` URI (RFC 5870) with the Android ``q=`` label: the phone
        opens its own map app at the station. No web map is embedded, so no third-party
        tiles or scripts reach the worker's phone and nothing of where they are leaves
        it but to the map app they chose."""
        lat, lon = f"{self.latitude:f}", f"{self.longitude:f}"
        # The label is percent-encoded (RFC 5870 §3 allows only URI characters), its
        # own brackets dropped so they cannot end the label early.
        label = quote(self.name.replace("(", " ").replace(")", " ").strip(), safe="")
        return f"geo:{lat},{lon}?q={lat},{lon}({label})"


class StationVisitQuerySet(ScopedQuerySet):
    scope_fields = ("station__organisation",)


class StationVisit(models.Model):
    """The number of visits to a station on one day, as its staff counted them."""

    station = models.ForeignKey(
        Station, verbose_name=_("rest station"), on_delete=models.CASCADE, related_name="visits"
    )
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("visits"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    objects = StationVisitQuerySet.as_manager()

    class Meta:
        verbose_name = _("station visits")
        verbose_name_plural = _("station visits")
        ordering = ["-day", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "day"],
                name="visit_one_per_day",
                violation_error_message=_("This station's visits of that day are recorded."),
            ),
            models.CheckConstraint(
                condition=Q(count__gte=0),
                name="visit_count_not_negative",
                violation_error_message=_("A count of visits cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.station} · {self.day:%Y-%m-%d}"
