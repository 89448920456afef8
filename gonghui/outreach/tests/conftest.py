"""Outreach records of the shared test county (gonghui/conftest.py, people/tests/conftest.py):

d1  a delivery by G1 (chair1's union, under T1) to employer E1
d3  a delivery by T2 to an outdoor site
v1  a visit by G1 to p1 (works at E1, member of G1)
v3  a visit by T2 to p3 (works at E3 in T2)
w1  a wish of p1 posted by G1, waiting for a donor
w3  a wish of p3 posted by T2, waiting for a donor
wf  a wish of p1 posted by G1, claimed and fulfilled with a photo
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.outreach import services
from gonghui.outreach.models import Delivery, Visit, Wish
from gonghui.people.tests.conftest import People, people, valid_id  # noqa: F401

#: The smallest valid PNG: the signature, an IHDR chunk for 1×1 pixel, IDAT and IEND.
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
SUMMER = date(2025, 7, 15)


def png(name: str = "photo.png", content: bytes = PNG_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/png")


def line(item: str = "绿豆", quantity: str = "10", unit_value: str = "5.50", unit: str = "kg"):
    return {"item": item, "quantity": Decimal(quantity), "unit": unit, "unit_value": unit_value}


@dataclass
class Outreach:
    people: People
    d1: Delivery
    d3: Delivery
    v1: Visit
    v3: Visit
    w1: Wish
    w3: Wish
    wf: Wish


@pytest.fixture
def outreach(county, people) -> Outreach:  # noqa: F811
    d1 = services.delivery_create(
        by=county.chair1,
        organisation=county.g1,
        campaign_name="夏送清凉",
        campaign_year=2025,
        delivered_on=SUMMER,
        workers_reached=40,
        employer=county.e1,
        lines=[line(), line("矿泉水", "20", "12.00", "箱")],
    )
    d3 = services.delivery_create(
        by=county.t2staff,
        organisation=county.t2,
        campaign_name="夏送清凉",
        campaign_year=2025,
        delivered_on=SUMMER,
        workers_reached=15,
        site_name="西镇环卫站",
        lines=[line("藿香正气水", "30", "3.00", "盒")],
    )
    v1 = services.visit_create(
        by=county.chair1,
        organisation=county.g1,
        visited_on=date(2025, 1, 20),
        occasion="spring_festival",
        person=people.p1,
        visitors=[county.chair1],
        goods="米、油",
        goods_value="200.00",
        cash="500.00",
    )
    v3 = services.visit_create(
        by=county.t2staff,
        organisation=county.t2,
        visited_on=date(2025, 1, 21),
        occasion="winter_warmth",
        person=people.p3,
        visitor_names="镇工会主席",
        cash="800.00",
    )
    w1 = services.wish_post(
        by=county.chair1,
        organisation=county.g1,
        person=people.p1,
        text="一台电风扇",
        estimated_value="150.00",
    )
    w3 = services.wish_post(
        by=county.t2staff,
        organisation=county.t2,
        person=people.p3,
        text="孩子的新书包",
        estimated_value="80.00",
    )
    wf = services.wish_post(
        by=county.chair1,
        organisation=county.g1,
        person=people.p1,
        text="一副老花镜",
        estimated_value="60.00",
    )
    services.wish_claim(by=county.chair1, wish=wf, donor_name="热心职工")
    services.wish_fulfil(
        by=county.chair1,
        wish=wf,
        fulfilled_on=date(2025, 3, 1),
        delivered="老花镜一副",
        photo=png(),
    )
    for record in (d1, d3, v1, v3, w1, w3, wf):
        record.refresh_from_db()
    return Outreach(people=people, d1=d1, d3=d3, v1=v1, v3=v3, w1=w1, w3=w3, wf=wf)
