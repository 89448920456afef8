"""The portal's rest stations nearest first: every active station read and sorted by
great-circle distance in Python (``stations.selectors.nearest_stations``), timed at
``STATIONS`` stations, with the whole page (``/m/stations/?lat=&lon=``) beside it.

The stations are written inside a transaction that is rolled back, so any migrated
database will do (a county has tens to hundreds of stations; 5,000 is a province's
worth):

    GONGHUI_VAR_DIR=/tmp/stations-bench gonghui migrate
    GONGHUI_VAR_DIR=/tmp/stations-bench python bench/station_nearest.py [--json]

Target (median): the page at 5,000 stations within 100 ms.
"""

from __future__ import annotations

import json
import random
import sys
from decimal import Decimal

from common import median_ms
from django.db import transaction
from django.test import Client
from django.urls import reverse

from gonghui.accounts.models import User
from gonghui.orgs.models import OrgKind
from gonghui.orgs.services import organisation_create
from gonghui.stations.models import Station
from gonghui.stations.selectors import nearest_stations

STATIONS = 5000
PAGE_MS = 100


class RolledBack(Exception):
    pass


def main() -> None:
    figures = {}
    try:
        with transaction.atomic():
            user = User.objects.create_superuser("bench-stations", "bench@example.org", None)
            county = organisation_create(
                by=user, code="BS", name="基准县", kind=OrgKind.COUNTY, parent=None
            )
            township = organisation_create(
                by=user, code="BS1", name="基准镇", kind=OrgKind.TOWNSHIP, parent=county
            )
            rng = random.Random(1)
            Station.objects.bulk_create(
                Station(
                    organisation=township,
                    township=township,
                    name=f"驿站{n}",
                    address="某路1号",
                    latitude=Decimal(f"{rng.uniform(29.0, 31.0):.6f}"),
                    longitude=Decimal(f"{rng.uniform(120.0, 122.0):.6f}"),
                    open_all_day=True,
                    water=True,
                    created_by=user,
                )
                for n in range(STATIONS)
            )
            figures["nearest_stations"] = median_ms(lambda: nearest_stations(30.0, 121.0))
            client = Client()
            url = reverse("portal-stations:list")
            figures["page"] = median_ms(lambda: client.get(url, {"lat": "30.0", "lon": "121.0"}))
            raise RolledBack
    except RolledBack:
        pass
    figures["stations"] = STATIONS
    figures["page_target_ms"] = PAGE_MS
    if "--json" in sys.argv:
        print(json.dumps(figures))
    else:
        for name, value in figures.items():
            print(f"{name}: {value}")


if __name__ == "__main__":
    main()
