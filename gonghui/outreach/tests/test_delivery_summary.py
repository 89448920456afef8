"""The delivery summary: per organisation and year, equal to a direct recount of the rows."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.outreach import services
from gonghui.outreach.models import Delivery

from .conftest import line


def deliver(county, organisation, by, *, year, workers, lines):
    return services.delivery_create(
        by=by,
        organisation=organisation,
        campaign_name="夏送清凉",
        campaign_year=year,
        delivered_on=date(year, 7, 1),
        workers_reached=workers,
        site_name="工地",
        lines=lines,
    )


@pytest.fixture
def many_deliveries(county):
    """Deliveries of random size by five organisations over two years."""
    rng = random.Random(20250701)
    makers = [
        (county.g1, county.chair1),
        (county.g2, county.chair2),
        (county.t1, county.t1staff),
        (county.t2, county.t2staff),
        (county.root, county.admin),
    ]
    for _n in range(30):
        organisation, by = rng.choice(makers)
        deliver(
            county,
            organisation,
            by,
            year=rng.choice([2024, 2025]),
            workers=rng.randint(0, 90),
            lines=[
                line(f"物品{k}", str(rng.randint(1, 50)), f"{rng.randint(0, 9999) / 100:.2f}")
                for k in range(rng.randint(1, 4))
            ],
        )


def recount(organisations, year):
    """The expected numbers, recounted from every line of every delivery."""
    expected = {}
    for delivery in Delivery.objects.filter(campaign_year=year, organisation__in=organisations):
        value = sum(
            (li.quantity * li.unit_value for li in delivery.lines.all()), Decimal("0")
        ).quantize(Decimal("0.01"))
        row = expected.setdefault(delivery.organisation_id, [0, Decimal("0.00"), 0])
        row[0] += 1
        row[1] += value
        row[2] += delivery.workers_reached
    return expected


def summary_rows(client, year):
    response = client.get(reverse("outreach:delivery-summary"), {"year": year})
    assert response.status_code == 200
    summary = response.context["summary"]
    return {
        row.organisation.pk: [row.deliveries, row.value, row.workers] for row in summary.rows
    }, summary


@pytest.mark.parametrize("year", [2024, 2025])
def test_the_county_summary_equals_a_direct_recount(county, client_for, many_deliveries, year):
    rows, summary = summary_rows(client_for(county.admin), year)

    everything = [county.root, county.t1, county.t2, county.g1, county.g2]
    assert rows == recount(everything, year)
    assert summary.deliveries == Delivery.objects.filter(campaign_year=year).count()
    assert summary.value == sum(r[1] for r in recount(everything, year).values())


def test_a_township_sees_only_its_own_subtree(county, client_for, many_deliveries):
    rows, summary = summary_rows(client_for(county.t1staff), 2025)

    assert rows == recount([county.t1, county.g1, county.g2], 2025)
    assert county.t2.pk not in rows and county.root.pk not in rows
    assert summary.workers == sum(r[2] for r in rows.values())


def test_the_page_shows_the_totals(county, client_for, many_deliveries):
    response = client_for(county.t2staff).get(reverse("outreach:delivery-summary"), {"year": 2025})
    html = response.content.decode()
    expected = recount([county.t2], 2025).get(county.t2.pk, [0, Decimal("0.00"), 0])

    assert (
        f'<tr data-org="total"><th>Total</th><th>{expected[0]}</th><th>{expected[1]}</th>' in html
    )


def test_the_summary_reads_in_a_fixed_number_of_queries(county, client_for):
    client = client_for(county.admin)
    deliver(county, county.g1, county.chair1, year=2025, workers=3, lines=[line()])

    with CaptureQueriesContext(connection) as few:
        client.get(reverse("outreach:delivery-summary"), {"year": 2025})
    for organisation, by in [(county.g2, county.chair2), (county.t2, county.t2staff)] * 4:
        deliver(county, organisation, by, year=2025, workers=3, lines=[line()])
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("outreach:delivery-summary"), {"year": 2025})

    assert len(more) == len(few)
