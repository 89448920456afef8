"""Reads of rest stations: the console's scoped lists, the townships a station may be
placed in, the visits counted by station and month, and the portal's list (by township,
or nearest first from where the phone is)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.db.models import FloatField, Q, QuerySet, Sum
from django.db.models.functions import Cast, TruncMonth

from gonghui.core.scope import sees_everything, user_scope_root
from gonghui.orgs.models import Organisation, OrgKind

from .models import LATITUDE_RANGE, LONGITUDE_RANGE, Station, StationVisit

#: The mean Earth radius (IUGG), in kilometres.
EARTH_RADIUS_KM = 6371.0088


def stations_for(user) -> QuerySet:
    return Station.objects.for_user(user).select_related("organisation", "township")


def townships_for(user) -> QuerySet:
    """The townships a user may place a station in: those in their subtree, and the one
    above them (a grassroots union's station lies in its township)."""
    townships = Organisation.objects.filter(kind=OrgKind.TOWNSHIP)
    if sees_everything(user):
        return townships.order_by("path")
    root = user_scope_root(user)
    if root is None:
        return townships.none()
    return (
        townships.filter(Q(pk__in=root.ancestor_ids()) | Q(pk=root.pk))
        | Organisation.objects.for_user(user).filter(kind=OrgKind.TOWNSHIP)
    ).order_by("path")


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """The great-circle distance between two points, by the haversine formula (exact
    at short range, where the law of cosines loses its digits)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def parse_position(lat: str | None, lon: str | None) -> tuple[float, float] | None:
    """A phone's position from the query (``?lat=&lon=``), or None when either is
    missing, not a number, or outside China's range."""
    if not lat or not lon or len(lat) > 20 or len(lon) > 20:
        return None
    try:
        latitude, longitude = Decimal(lat.strip()), Decimal(lon.strip())
    except InvalidOperation:
        return None
    if not (latitude.is_finite() and longitude.is_finite()):
        return None
    if not (
        LATITUDE_RANGE[0] <= latitude <= LATITUDE_RANGE[1]
        and LONGITUDE_RANGE[0] <= longitude <= LONGITUDE_RANGE[1]
    ):
        return None
    return float(latitude), float(longitude)


def public_stations() -> QuerySet:
    """The stations any outdoor worker may find: active ones."""
    return Station.objects.active().select_related("township")


def stations_in_township(township_id: int | None) -> list[Station]:
    stations = public_stations()
    if township_id is not None:
        stations = stations.filter(township_id=township_id)
    return list(stations.order_by("township__path", "name", "pk"))


def nearest_stations(latitude: float, longitude: float, *, limit: int = 50) -> list[Station]:
    """The ``limit`` active stations nearest the position, nearest first, each with
    ``distance_km``.

    A plain sort in Python over the coordinates of every active station (only the
    three columns are read; whole rows are loaded for the ``limit`` kept): a county
    runs tens to hundreds of stations, and at 5,000 this takes some 35 ms and the whole
    page 60 ms on SQLite (bench/station_nearest.py), so no spatial index or bounding box
    is needed."""
    # Read as floats by the database: turning 10,000 decimals into ``Decimal`` cost more
    # than the distances themselves.
    points = public_stations().values_list(
        "pk", Cast("latitude", FloatField()), Cast("longitude", FloatField())
    )
    distances = sorted(
        (haversine_km(latitude, longitude, lat, lon), pk) for pk, lat, lon in points
    )[:limit]
    rows = public_stations().in_bulk([pk for _distance, pk in distances])
    nearest = []
    for distance, pk in distances:
        station = rows.get(pk)
        if station is not None:  # made inactive in between: left out
            station.distance_km = distance
            nearest.append(station)
    return nearest


def station_townships() -> list[Organisation]:
    """The townships that have an active station (the portal's chooser)."""
    ids = public_stations().values("township_id")
    return list(Organisation.objects.filter(pk__in=ids).order_by("path"))


@dataclass
class UseRow:
    station: str
    township: str
    month: date
    visits: int


def visits_by_month(user, *, year: int | None = None) -> list[UseRow]:
    """Visits per station per month, in the user's scope (newest month first)."""
    visits = StationVisit.objects.for_user(user)
    if year is not None:
        visits = visits.filter(day__year=year)
    rows = (
        visits.annotate(month=TruncMonth("day"))
        .values("month", "station__name", "station__township__name")
        .annotate(total=Sum("count"))
        .order_by("-month", "station__name")
    )
    return [
        UseRow(r["station__name"], r["station__township__name"], r["month"], r["total"])
        for r in rows
    ]


def visits_last_month(stations: QuerySet, *, today: date) -> int:
    """The visits counted at ``stations`` in the calendar month before ``today``'s."""
    first = today.replace(day=1)
    previous = (
        first.replace(year=first.year - 1, month=12)
        if first.month == 1
        else first.replace(month=first.month - 1)
    )
    total = StationVisit.objects.filter(
        station__in=stations, day__gte=previous, day__lt=first
    ).aggregate(total=Sum("count"))["total"]
    return total or 0
