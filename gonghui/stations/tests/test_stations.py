"""Rest stations: nearest first by great-circle distance (checked against the spherical
law of cosines), coordinates outside China refused by the form and the database, a
malformed position ignored, the phone's map link, visits recorded and counted by month,
the photo kept without metadata, the scope of the console pages and the public portal."""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from urllib.parse import quote, unquote

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from PIL import Image

from gonghui.conftest import signed_in
from gonghui.stations import services
from gonghui.stations.models import Station, StationVisit

#: A small invented box of coordinates, as the demo uses.
BASE_LAT, BASE_LON = 30.20, 120.10


def make_station(
    county, *, name="东镇快递驿站", organisation=None, township=None, lat, lon, **extra
):
    values = {
        "organisation": organisation or county.g1,
        "name": name,
        "address": "工业路8号",
        "township": township or county.t1,
        "latitude": Decimal(f"{lat:.6f}"),
        "longitude": Decimal(f"{lon:.6f}"),
        "opening_hours": "每天 7:00–21:00",
        "open_all_day": False,
        "water": True,
        "charging": True,
        "microwave": False,
        "toilet": False,
        "rest_seats": True,
        "first_aid": False,
        "active": True,
    }
    values.update(extra)
    return services.station_create(by=county.superuser, **values)


def staff(user) -> Client:
    return signed_in(Client(), user)


def cosine_law_km(lat1, lon1, lat2, lon2) -> float:
    """The great-circle distance by the spherical law of cosines (independent of the
    haversine the code uses)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    cos_angle = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dl)
    return 6371.0088 * math.acos(max(-1.0, min(1.0, cos_angle)))


def station_form(county, **overrides):
    data = {
        "organisation": county.g1.pk,
        "name": "东镇环卫驿站",
        "address": "东大街1号",
        "township": county.t1.pk,
        "latitude": "30.210000",
        "longitude": "120.110000",
        "opening_hours": "",
        "open_all_day": "on",
        "water": "on",
        "active": "on",
    }
    data.update(overrides)
    return data


# --- Nearest first --------------------------------------------------------------------


def test_the_portal_lists_stations_nearest_first_as_the_great_circle_says(county, client):
    offsets = [(0.08, -0.05), (0.01, 0.02), (-0.04, 0.09), (0.0, -0.011), (0.15, 0.15)]
    for n, (dlat, dlon) in enumerate(offsets):
        make_station(county, name=f"驿站{n}", lat=BASE_LAT + dlat, lon=BASE_LON + dlon)
    here = (30.2051, 120.1033)

    response = client.get(reverse("portal-stations:list"), {"lat": here[0], "lon": here[1]})

    assert response.status_code == 200
    shown = response.context["stations"]
    expected = sorted(
        Station.objects.all(),
        key=lambda s: cosine_law_km(*here, float(s.latitude), float(s.longitude)),
    )
    assert [s.name for s in shown] == [s.name for s in expected]
    for station in shown:
        direct = cosine_law_km(*here, float(station.latitude), float(station.longitude))
        assert station.distance_km == pytest.approx(direct, abs=0.001)
    page = response.content.decode()
    nearest = shown[0]
    assert f"{nearest.distance_km:.1f}" in page
    assert page.index("驿站1") < page.index("驿站4")  # the nearest stands first on the page


def test_nearest_leaves_out_inactive_stations(county, client):
    make_station(county, name="开着的驿站", lat=BASE_LAT + 0.05, lon=BASE_LON)
    make_station(county, name="停用的驿站", lat=BASE_LAT, lon=BASE_LON, active=False)

    response = client.get(reverse("portal-stations:list"), {"lat": BASE_LAT, "lon": BASE_LON})

    assert [s.name for s in response.context["stations"]] == ["开着的驿站"]
    assert "停用的驿站" not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "abc", "lon": "120.1"},
        {"lat": "30.2"},
        {"lat": "95", "lon": "120.1"},  # beyond the pole
        {"lat": "30.2", "lon": "-120.1"},  # outside China
        {"lat": "NaN", "lon": "Infinity"},
        {"lat": "1e999999", "lon": "120.1"},
        {"lat": "30.2" * 40, "lon": "120.1"},
        {"lat": "", "lon": ""},
    ],
)
def test_a_malformed_or_foreign_position_is_ignored_with_a_message(county, client, query):
    make_station(county, name="东镇驿站", lat=BASE_LAT, lon=BASE_LON)

    response = client.get(reverse("portal-stations:list"), query)

    assert response.status_code == 200
    assert response.context["nearest"] is False
    assert [s.name for s in response.context["stations"]] == ["东镇驿站"]
    notes = [str(m) for m in response.context["messages"]]
    assert len(notes) == 1 and notes[0] in response.content.decode()


def test_the_township_chooser_lists_one_townships_stations(county, client):
    make_station(county, name="东镇驿站", lat=BASE_LAT, lon=BASE_LON)
    make_station(county, name="西镇驿站", township=county.t2, lat=BASE_LAT, lon=BASE_LON + 0.2)

    everything = client.get(reverse("portal-stations:list"))
    west = client.get(reverse("portal-stations:list"), {"township": county.t2.pk})
    nonsense = client.get(reverse("portal-stations:list"), {"township": "x"})

    assert {s.name for s in everything.context["stations"]} == {"东镇驿站", "西镇驿站"}
    assert [s.name for s in west.context["stations"]] == ["西镇驿站"]
    assert nonsense.status_code == 200


def test_the_nearest_button_asks_for_the_position_only_through_the_apps_own_script(county, client):
    make_station(county, lat=BASE_LAT, lon=BASE_LON)

    page = client.get(reverse("portal-stations:list")).content.decode()

    assert "data-nearest" in page
    assert "stations/nearest.js" in page
    # No third-party script, map tile or font: every src and href stays on this site.
    for marker in ("http://", "https://", "//"):
        assert f'src="{marker}' not in page
    assert "<script>" not in page  # no inline script (the page policy forbids it)


# --- The map link ---------------------------------------------------------------------


def test_each_station_opens_the_phones_own_map_app_by_a_geo_link(county, client):
    station = make_station(county, name="东镇(北)驿站", lat=30.2741, lon=120.1551)

    label = quote("东镇 北 驿站", safe="")
    assert station.geo_uri == f"geo:30.274100,120.155100?q=30.274100,120.155100({label})"
    assert unquote(label) == "东镇 北 驿站"
    listing = client.get(reverse("portal-stations:list")).content.decode()
    detail = client.get(reverse("portal-stations:detail", args=[station.pk])).content.decode()
    for page in (listing, detail):
        assert f'href="geo:30.274100,120.155100?q=30.274100,120.155100({label})"' in page


# --- Coordinates outside China --------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon"), [("60.0", "120.1"), ("30.2", "140.0"), ("2.0", "100.0"), ("30.2", "70.0")]
)
def test_the_form_refuses_coordinates_outside_china_and_saves_nothing(county, lat, lon):
    response = staff(county.t1staff).post(
        reverse("stations:create"), station_form(county, latitude=lat, longitude=lon)
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "latitude" in errors or "longitude" in errors
    assert "3.8" in response.content.decode()  # the range is said
    assert not Station.objects.exists()


def test_the_service_refuses_swapped_coordinates(county):
    with pytest.raises(ValidationError) as refused:
        make_station(county, lat=120.1, lon=30.2)
    assert "latitude" in refused.value.message_dict
    assert not Station.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("latitude", "53.700000"),
        ("latitude", "3.700000"),
        ("longitude", "135.200000"),
        ("longitude", "73.300000"),
    ],
)
def test_the_database_refuses_coordinates_outside_china(county, field, value):
    station = make_station(county, lat=BASE_LAT, lon=BASE_LON)

    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(**{field: Decimal(value)})

    station.refresh_from_db()
    assert station.latitude == Decimal("30.200000")


def test_a_station_is_created_and_edited_through_the_console(county):
    client = staff(county.t1staff)

    response = client.post(reverse("stations:create"), station_form(county))

    station = Station.objects.get()
    assert response.status_code == 302 and response["Location"] == station.get_absolute_url()
    assert station.open_all_day and station.water and not station.charging
    edit = client.get(reverse("stations:update", args=[station.pk])).content.decode()
    assert 'value="30.210000"' in edit and "东镇环卫驿站" in edit
    client.post(
        reverse("stations:update", args=[station.pk]),
        station_form(county, name="东镇环卫驿站（新）", charging="on"),
    )
    station.refresh_from_db()
    assert station.name == "东镇环卫驿站（新）" and station.charging and station.water


def test_hours_are_required_unless_open_all_day(county):
    response = staff(county.t1staff).post(
        reverse("stations:create"), station_form(county, open_all_day="")
    )
    assert "opening_hours" in response.context["form"].errors
    assert not Station.objects.exists()


# --- Visits ---------------------------------------------------------------------------


def test_visits_are_recorded_a_day_again_replaces_and_counted_by_month(county):
    station = make_station(county, lat=BASE_LAT, lon=BASE_LON)
    other = make_station(county, name="东镇二号驿站", lat=BASE_LAT, lon=BASE_LON + 0.01)
    client = staff(county.chair1)
    today = timezone.localdate()
    first_of_month = today.replace(day=1)
    last_month_day = first_of_month - timedelta(days=3)

    url = reverse("stations:visit-record", args=[station.pk])
    client.post(url, {"day": f"{today:%Y-%m-%d}", "count": "10"})
    client.post(url, {"day": f"{today:%Y-%m-%d}", "count": "14"})  # corrected, not added
    client.post(url, {"day": f"{last_month_day:%Y-%m-%d}", "count": "7"})
    client.post(
        reverse("stations:visit-record", args=[other.pk]),
        {"day": f"{last_month_day:%Y-%m-%d}", "count": "5"},
    )

    assert StationVisit.objects.get(station=station, day=today).count == 14
    assert StationVisit.objects.count() == 3
    response = staff(county.leader).get(reverse("stations:use"))
    rows = {(r.station, r.month): r.visits for r in response.context["rows"]}
    assert rows[("东镇快递驿站", first_of_month)] == 14
    assert rows[("东镇快递驿站", last_month_day.replace(day=1))] == 7
    export = staff(county.leader).get(reverse("stations:use"), {"export": "xlsx"})
    sheet = load_workbook(BytesIO(export.content)).active
    cells = [[c.value for c in row] for row in sheet.iter_rows()]
    assert [f"{first_of_month:%Y-%m}", "东镇总工会", "东镇快递驿站", 14] in cells
    org_page = staff(county.t1staff).get(reverse("orgs:organisation-detail", args=[county.g1.pk]))
    section = org_page.content.decode()
    assert 'id="organisation-stations"' in section
    assert "12" in section.split('id="organisation-stations"')[1].split("</div>")[0]


@pytest.mark.parametrize(
    ("day", "count"),
    [(1, "3"), (0, "-1"), (400, "3")],  # tomorrow, a negative count, past the year
)
def test_a_bad_visit_count_is_refused_and_nothing_written(county, day, count):
    station = make_station(county, lat=BASE_LAT, lon=BASE_LON)
    when = (
        timezone.localdate() + timedelta(days=day)
        if day == 1
        else (timezone.localdate() - timedelta(days=day))
    )

    response = staff(county.chair1).post(
        reverse("stations:visit-record", args=[station.pk]),
        {"day": f"{when:%Y-%m-%d}", "count": count},
    )

    assert response.status_code == 200 and response.context["form"].errors
    assert not StationVisit.objects.exists()


def test_the_database_refuses_a_second_count_of_a_day(county):
    station = make_station(county, lat=BASE_LAT, lon=BASE_LON)
    services.visits_record(by=county.superuser, station=station, day=date(2026, 1, 5), count=3)

    with pytest.raises(IntegrityError), transaction.atomic():
        StationVisit.objects.create(
            station=station, day=date(2026, 1, 5), count=4, recorded_by=county.superuser
        )


# --- The photo ------------------------------------------------------------------------


def test_the_photo_is_kept_small_and_without_metadata(county, client):
    station = make_station(county, lat=BASE_LAT, lon=BASE_LON)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    out = BytesIO()
    Image.new("RGB", (3000, 1000), (200, 30, 30)).save(out, format="JPEG", exif=exif)
    upload = SimpleUploadedFile("station.jpg", out.getvalue(), content_type="image/jpeg")

    staff(county.chair1).post(reverse("stations:photo-set", args=[station.pk]), {"photo": upload})

    station.refresh_from_db()
    with station.photo.open("rb") as handle, Image.open(handle) as kept:
        assert max(kept.size) == 2000
        assert not kept.getexif()
    public = client.get(reverse("portal-stations:photo", args=[station.pk]))
    assert public.status_code == 200 and public["Content-Type"] == "image/jpeg"


# --- Scope and the public portal -----------------------------------------------------


def test_the_console_pages_follow_the_scope_rule(county):
    ours = make_station(county, name="机械厂驿站", lat=BASE_LAT, lon=BASE_LON)
    theirs = make_station(
        county, name="纺织厂驿站", organisation=county.g2, lat=BASE_LAT, lon=BASE_LON + 0.01
    )
    west = make_station(
        county,
        name="西镇驿站",
        organisation=county.t2,
        township=county.t2,
        lat=BASE_LAT,
        lon=BASE_LON + 0.2,
    )

    listed = staff(county.chair1).get(reverse("stations:list"))
    assert [s.name for s in listed.context["object_list"]] == ["机械厂驿站"]
    township = staff(county.t1staff).get(reverse("stations:list"))
    assert {s.name for s in township.context["object_list"]} == {"机械厂驿站", "纺织厂驿站"}
    for page in ("stations:detail", "stations:update", "stations:visit-record"):
        assert staff(county.chair2).get(reverse(page, args=[ours.pk])).status_code == 404
        assert staff(county.t2staff).get(reverse(page, args=[theirs.pk])).status_code == 404
    assert staff(county.t1staff).get(reverse("stations:detail", args=[west.pk])).status_code == 404
    # The leader reads every station but changes none.
    assert staff(county.leader).get(reverse("stations:detail", args=[west.pk])).status_code == 200
    assert staff(county.leader).get(reverse("stations:update", args=[ours.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        services.visits_record(by=county.chair2, station=ours, day=date(2026, 1, 5), count=1)
    # A chair cannot place a station under another union.
    response = staff(county.chair1).post(
        reverse("stations:create"), station_form(county, organisation=county.g2.pk)
    )
    assert "organisation" in response.context["form"].errors
    assert Station.objects.count() == 3


def test_the_portal_is_open_without_signing_in_and_shows_active_stations_only(county, client):
    shown = make_station(county, name="开着的驿站", lat=BASE_LAT, lon=BASE_LON)
    hidden = make_station(county, name="停用的驿站", lat=BASE_LAT, lon=BASE_LON, active=False)

    listing = client.get(reverse("portal-stations:list"))
    assert listing.status_code == 200
    assert "开着的驿站" in listing.content.decode()
    assert "停用的驿站" not in listing.content.decode()
    assert client.get(reverse("portal-stations:detail", args=[shown.pk])).status_code == 200
    assert client.get(reverse("portal-stations:detail", args=[hidden.pk])).status_code == 404
    assert client.get(reverse("portal-stations:photo", args=[hidden.pk])).status_code == 404
