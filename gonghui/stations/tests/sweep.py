"""Rest stations for the access sweep (``core/tests/test_access_sweep.py``).

In every subtree: a station run by the subtree's union in its township, with a day's
visits counted and a photo."""

from datetime import timedelta
from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from gonghui.stations import services

ROUTES = {
    "stations:update": {"pk": "station"},
    "stations:visit-record": {"pk": "station"},
    "stations:photo-set": {"pk": "station"},
    "stations:photo": {"pk": "station"},
}

PUBLIC = {
    "portal-stations:*": (
        "rest stations are for every outdoor worker passing by, member or not, so their "
        "list, page and photo open without signing in; they show only what the sign at "
        "the door says (name, address, township, hours, what is offered) of active "
        "stations, never who runs them in detail or their visits"
    ),
}


def _jpeg() -> SimpleUploadedFile:
    out = BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(out, format="JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def build(subtree):
    station = services.station_create(
        by=subtree.admin,
        organisation=subtree.union,
        name=f"{subtree.union.name}户外劳动者驿站",
        address="工业路8号",
        township=subtree.township,
        latitude="30.250000",
        longitude="120.160000",
        opening_hours="每天 7:00–21:00",
        open_all_day=False,
        water=True,
        charging=True,
        active=True,
    )
    services.visits_record(
        by=subtree.admin,
        station=station,
        day=timezone.localdate() - timedelta(days=1),
        count=12,
    )
    station = services.station_photo_set(by=subtree.admin, station=station, photo=_jpeg())
    return {"station": station}


POST_DATA = {
    "stations:visit-record": {"day": f"{timezone.localdate():%Y-%m-%d}", "count": "5"},
}
