"""The demo county's rest stations (工会驿站): a few stations in every township, run by
the township or by one of the demo chairs' unions, placed inside a small invented box of
coordinates (each township its own cell of it), with counted visits over the last two
months. Written in bulk, as the services would have recorded them: coordinates within
China's range, one count per station and day, no negative count.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from gonghui.stations.models import Station, StationVisit

from .care import BATCH_SIZE

#: The invented box's south-west corner and the size of a township's cell, in degrees
#: (a cell is some 5 km across).
BOX_SOUTH, BOX_WEST = Decimal("29.800000"), Decimal("121.300000")
CELL = Decimal("0.050000")
CELLS_PER_ROW = 6
#: (name, address, opening hours or "" for open 24 hours, offers) of the demo's
#: stations (the demo is a Chinese county).
PLANS = (
    ("快递小哥爱心驿站", "商贸路18号", "", ("water", "charging", "microwave", "rest_seats")),
    ("环卫工人休息点", "中心大街66号", "每天 6:00–20:00", ("water", "toilet", "rest_seats")),
    ("新业态劳动者港湾", "创业园2号楼1层", "每天 8:00–22:00", ("water", "charging", "first_aid")),
    ("户外劳动者服务站", "人民路120号", "", ("water", "charging", "microwave", "toilet")),
)
#: Stations per township, and the days back that visits are counted for.
PER_TOWNSHIP = 3
VISIT_DAYS = 60


def _offset(rng) -> Decimal:
    return (CELL * Decimal(rng.randint(0, 1000)) / Decimal(1000)).quantize(Decimal("0.000001"))


def build_stations(world, summary) -> None:
    rng = world.rng
    places = world.places
    chairs = {places["chair1"].pk, places["chair2"].pk}
    stations = []
    for n, township in enumerate(world.townships):
        south = BOX_SOUTH + CELL * (n // CELLS_PER_ROW)
        west = BOX_WEST + CELL * (n % CELLS_PER_ROW)
        name = world.organisation_name(township).removesuffix("总工会")
        runners = [township] + [c for c in chairs if township in world.chain(c)]
        for k in range(PER_TOWNSHIP):
            title, address, hours, offers = PLANS[(n + k) % len(PLANS)]
            runner = runners[k % len(runners)]
            stations.append(
                Station(
                    organisation_id=runner,
                    name=f"{name}{title}",
                    address=f"{name}{address}",
                    township_id=township,
                    latitude=south + _offset(rng),
                    longitude=west + _offset(rng),
                    opening_hours=hours,
                    open_all_day=not hours,
                    active=bool(k < PER_TOWNSHIP - 1 or n % 5),  # a few closed
                    created_by=world.level_user(runner),
                    **{offer: True for offer in offers},
                )
            )
    Station.objects.bulk_create(stations, batch_size=BATCH_SIZE)
    visits = []
    for station in stations:
        if not station.active:
            continue
        busy = rng.randint(5, 60)
        by = world.level_user(station.organisation_id)
        for back in range(1, VISIT_DAYS + 1):
            if rng.random() < 0.2:  # a day nobody counted
                continue
            visits.append(
                StationVisit(
                    station=station,
                    day=world.today - datetime.timedelta(days=back),
                    count=max(0, busy + rng.randint(-busy // 2, busy // 2)),
                    recorded_by=by,
                )
            )
    StationVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)
    summary.rest_stations = len(stations)
    summary.station_visits = sum(v.count for v in visits)
