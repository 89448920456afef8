"""The demo county's rest stations: stations in every township, inside China's range,
visits counted, the portal's nearest-first list answering from inside the box, and the
wipe taking them away."""

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.accounts.models import User
from gonghui.demo.models import DemoCounty
from gonghui.demo.tests.helpers import build
from gonghui.orgs.models import Organisation, OrgKind
from gonghui.stations import selectors
from gonghui.stations.models import Station, StationVisit


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def test_the_demo_has_stations_in_every_township_with_visits(demo):
    townships = Organisation.objects.filter(parent=demo.root, kind=OrgKind.TOWNSHIP)
    assert townships.exists()
    for township in townships:
        assert Station.objects.filter(township=township, active=True).exists()
    for station in Station.objects.all():
        assert selectors.parse_position(str(station.latitude), str(station.longitude))
        assert station.opening_hours or station.open_all_day
    assert StationVisit.objects.filter(count__gt=0).exists()
    everyone = User(is_superuser=True, is_active=True)
    assert sum(row.visits for row in selectors.visits_by_month(everyone)) > 0

    first = Station.objects.filter(active=True).first()
    page = Client().get(
        reverse("portal-stations:list"), {"lat": first.latitude, "lon": first.longitude}
    )
    assert page.context["nearest"] is True
    assert page.context["stations"][0].distance_km == pytest.approx(0, abs=0.001)
