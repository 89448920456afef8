"""Every change to rest stations: opening and editing one, its photo, and the day's
count of visits.

A day's count recorded again replaces the one before (the form says so): staff
correct a tally rather than add to it, and a form sent twice (a double tap, a reload)
cannot count the same visitors twice. The database keeps one count per station and
day (``visit_one_per_day``) and refuses a negative one (``visit_count_not_negative``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope
from gonghui.core.storage import save_with_file, store_upload
from gonghui.orgs.models import OrgKind

from .models import LATITUDE_RANGE, LONGITUDE_RANGE, OFFERS, OUT_OF_RANGE, Station, StationVisit

ADD = "stations.add_station"
CHANGE = "stations.change_station"
#: The largest photo kept (after it is made smaller).
PHOTO_MAX_BYTES = 3 * 1024 * 1024
#: How far back a day's visits may be recorded: a tally brought in late, not history.
VISITS_DAYS_BACK = 366

FIELDS = (
    "organisation",
    "name",
    "address",
    "township",
    "latitude",
    "longitude",
    "opening_hours",
    "open_all_day",
    *(field for field, _label in OFFERS),
    "active",
)


def may_manage(user, station: Station) -> bool:
    """Whether ``user`` may change ``station``: the right, and the station in scope."""
    return user.has_perm(CHANGE) and Station.objects.for_user(user).filter(pk=station.pk).exists()


def _guard_manage(user, station: Station) -> None:
    if not may_manage(user, station):
        raise PermissionDenied(_("You do not have the right to do this."))


def _decimal(value) -> Decimal | None:
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def in_china(latitude: Decimal | None, longitude: Decimal | None) -> bool:
    return (
        latitude is not None
        and longitude is not None
        and LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
    )


def _clean(by, values: dict) -> dict:
    values = {field: values.get(field) for field in FIELDS}
    errors = {}
    if not is_in_scope(by, values["organisation"]):
        errors["organisation"] = _("Choose an organisation in your scope.")
    township = values["township"]
    if township is None or township.kind != OrgKind.TOWNSHIP:
        errors["township"] = _("Choose a township.")
    values["latitude"] = _decimal(values["latitude"])
    values["longitude"] = _decimal(values["longitude"])
    if not in_china(values["latitude"], values["longitude"]):
        errors["latitude"] = str(OUT_OF_RANGE)
    for text in ("name", "address", "opening_hours"):
        values[text] = (values[text] or "").strip()
    if not values["name"]:
        errors["name"] = _("Give the station a name.")
    if not values["opening_hours"] and not values["open_all_day"]:
        errors["opening_hours"] = _("Say when the station is open, or tick open 24 hours.")
    if errors:
        raise ValidationError(errors)
    for flag in ("open_all_day", "active", *(field for field, _label in OFFERS)):
        values[flag] = bool(values[flag])
    return values


@transaction.atomic
def station_create(*, by, **values) -> Station:
    """A new station, run by an organisation in the user's scope."""
    if not by.has_perm(ADD):
        raise PermissionDenied(_("You do not have the right to do this."))
    values = _clean(by, values)
    station = Station(created_by=by, **values)
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def station_update(*, by, station: Station, **values) -> Station:
    _guard_manage(by, station)
    station = Station.objects.select_for_update().get(pk=station.pk)
    for field, value in _clean(by, values).items():
        setattr(station, field, value)
    station.full_clean()
    station.save()
    return station


@transaction.atomic
def station_photo_set(*, by, station: Station, photo) -> Station:
    """The station's photo, kept upright, small and without its metadata (the GPS tags
    of the phone that took it among them); the photo before it is removed."""
    _guard_manage(by, station)
    kept = photo_for_keeping(photo, max_bytes=PHOTO_MAX_BYTES)
    station = Station.objects.select_for_update().get(pk=station.pk)
    old = station.photo.name if station.photo else ""
    store_upload(station.photo, kept.name, kept, field="photo")
    save_with_file(station, station.photo)
    if old:
        transaction.on_commit(lambda: station.photo.storage.delete(old))
    return station


@transaction.atomic
def visits_record(*, by, station: Station, day: date, count: int) -> StationVisit:
    """The count of visits of ``day``: recorded, or replacing the one recorded before."""
    _guard_manage(by, station)
    today = timezone.localdate()
    errors = {}
    if day > today:
        errors["day"] = _("Visits are recorded for today or a day before.")
    elif (today - day).days > VISITS_DAYS_BACK:
        errors["day"] = _("Visits are recorded for the past year only.")
    if count is None or count < 0:
        errors["count"] = _("A count of visits cannot be negative.")
    if errors:
        raise ValidationError(errors)
    visit, _created = StationVisit.objects.update_or_create(
        station=station, day=day, defaults={"count": count, "recorded_by": by}
    )
    return visit
