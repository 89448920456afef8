"""Recording 夏送清凉 deliveries: the page, the goods lines, the total, and what is refused."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.outreach import services
from gonghui.outreach.models import Delivery, DeliveryLine

from .conftest import SUMMER, line


def form_data(county, *, lines, **changes) -> dict:
    data = {
        "organisation": county.g1.pk,
        "campaign_name": "夏送清凉",
        "campaign_year": 2025,
        "delivered_on": SUMMER.isoformat(),
        "employer": county.e1.pk,
        "site_name": "",
        "workers_reached": 35,
        "note": "",
        "lines-TOTAL_FORMS": len(lines),
        "lines-INITIAL_FORMS": 0,
        "lines-MIN_NUM_FORMS": 0,
        "lines-MAX_NUM_FORMS": 1000,
    }
    for n, (item, quantity, unit, unit_value) in enumerate(lines):
        data.update(
            {
                f"lines-{n}-item": item,
                f"lines-{n}-quantity": quantity,
                f"lines-{n}-unit": unit,
                f"lines-{n}-unit_value": unit_value,
            }
        )
    return {**data, **changes}


def state():
    return (
        list(Delivery.objects.order_by("pk").values()),
        list(DeliveryLine.objects.order_by("pk").values()),
    )


def test_a_chair_records_a_delivery_with_its_goods_and_the_total_is_their_sum(county, client_for):
    client = client_for(county.chair1)
    lines = [("绿豆", "12", "kg", "6.40"), ("矿泉水", "3", "箱", "25.00"), ("", "", "", "")]

    response = client.post(reverse("outreach:delivery-create"), form_data(county, lines=lines))

    delivery = Delivery.objects.get()
    assert response.status_code == 302
    assert response["Location"] == delivery.get_absolute_url()
    assert delivery.total_value == Decimal("12") * Decimal("6.40") + Decimal("3") * Decimal("25")
    assert [(li.item, li.quantity) for li in delivery.lines.all()] == [
        ("绿豆", Decimal("12")),
        ("矿泉水", Decimal("3")),
    ]
    assert delivery.created_by == county.chair1
    assert LogEntry.objects.get_for_object(delivery).filter(action=LogEntry.Action.CREATE).exists()
    page = client.get(delivery.get_absolute_url()).content.decode()
    assert "东镇机械有限公司" in page
    assert str(delivery.total_value) in page


def test_an_edit_replaces_the_lines_and_recomputes_the_total(county, client_for, outreach):
    client = client_for(county.chair1)
    d1 = outreach.d1
    lines = [("冰袋", "4", "个", "2.50")]

    response = client.post(
        reverse("outreach:delivery-update", args=[d1.pk]), form_data(county, lines=lines)
    )

    assert response.status_code == 302
    d1.refresh_from_db()
    assert d1.total_value == Decimal("10.00")
    assert list(d1.lines.values_list("item", flat=True)) == ["冰袋"]


def test_an_outdoor_site_needs_no_employer(county):
    delivery = services.delivery_create(
        by=county.t2staff,
        organisation=county.t2,
        campaign_name="夏送清凉",
        campaign_year=2025,
        delivered_on=SUMMER,
        workers_reached=8,
        site_name="国道养护工地",
        lines=[line()],
    )

    assert delivery.site_label == "国道养护工地"
    assert delivery.employer is None


@pytest.mark.parametrize(
    ("lines", "changes", "message"),
    [
        ([("绿豆", "-2", "kg", "6.00")], {}, "Line 1: the quantity must be more than zero."),
        ([("绿豆", "0", "kg", "6.00")], {}, "Line 1: the quantity must be more than zero."),
        (
            [("绿豆", "2", "kg", "6.00"), ("水", "1", "箱", "-1.00")],
            {},
            "Line 2: the unit value must be zero or more, to the fen.",
        ),
        ([("", "", "", "")], {}, "List at least one line of goods."),
        (
            [("绿豆", "2", "kg", "6.00")],
            {"employer": "", "site_name": ""},
            "Choose the employer or name the outdoor site.",
        ),
        (
            [("绿豆", "2", "kg", "6.00")],
            {"workers_reached": -5},
            "The number of workers cannot be negative.",
        ),
        (
            [("绿豆", "2", "kg", "6.00")],
            {"delivered_on": (timezone.localdate() + timedelta(days=1)).isoformat()},
            "The delivery date cannot be in the future.",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    county, client_for, lines, changes, message
):
    client = client_for(county.chair1)
    before = state()

    response = client.post(
        reverse("outreach:delivery-create"), form_data(county, lines=lines, **changes)
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert state() == before


def test_a_failed_edit_keeps_the_old_lines(county, client_for, outreach):
    client = client_for(county.chair1)
    before = state()

    response = client.post(
        reverse("outreach:delivery-update", args=[outreach.d1.pk]),
        form_data(county, lines=[("绿豆", "1", "kg", "1.00"), ("水", "-1", "箱", "1.00")]),
    )

    assert response.status_code == 200
    assert "Line 2: the quantity must be more than zero." in response.content.decode()
    assert state() == before


def test_a_delivery_for_an_organisation_outside_the_scope_is_refused(county):
    with pytest.raises(PermissionDenied):
        services.delivery_create(
            by=county.chair1,
            organisation=county.t2,
            campaign_name="夏送清凉",
            campaign_year=2025,
            delivered_on=SUMMER,
            workers_reached=1,
            site_name="某工地",
            lines=[line()],
        )
    assert not Delivery.objects.exists()


def test_a_delivery_to_an_employer_outside_the_scope_is_refused(county):
    with pytest.raises(PermissionDenied):
        services.delivery_create(
            by=county.chair1,
            organisation=county.g1,
            campaign_name="夏送清凉",
            campaign_year=2025,
            delivered_on=SUMMER,
            workers_reached=1,
            employer=county.e3,
            lines=[line()],
        )
    assert not Delivery.objects.exists()


def test_the_form_offers_only_organisations_and_employers_in_scope(county, client_for):
    page = client_for(county.chair1).get(reverse("outreach:delivery-create")).content.decode()

    assert "东镇机械厂工会" in page
    assert "东镇机械有限公司" in page
    assert "西镇总工会" not in page
    assert "西镇物流有限公司" not in page


def test_the_database_refuses_a_negative_quantity_written_past_the_service(outreach):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DeliveryLine.objects.create(
            delivery=outreach.d1, item="x", quantity=Decimal("-1"), unit_value=Decimal("1")
        )


def test_a_service_refusal_names_the_field(county):
    with pytest.raises(ValidationError) as caught:
        services.delivery_create(
            by=county.chair1,
            organisation=county.g1,
            campaign_name=" ",
            campaign_year=2025,
            delivered_on=SUMMER,
            workers_reached=1,
            employer=county.e1,
            lines=[line()],
        )
    assert caught.value.message_dict == {"campaign_name": ["Name the campaign."]}


def test_the_list_searches_filters_and_exports_only_records_in_scope(county, client_for, outreach):
    client = client_for(county.t1staff)

    listed = client.get(reverse("outreach:delivery-list")).content.decode()
    searched = client.get(reverse("outreach:delivery-list"), {"q": "环卫"}).content.decode()
    filtered = client.get(reverse("outreach:delivery-list"), {"year": 2024}).content.decode()
    export = client.get(reverse("outreach:delivery-list"), {"export": "xlsx"})

    assert "东镇机械有限公司" in listed and "西镇环卫站" not in listed
    assert "西镇环卫站" not in searched
    assert "东镇机械有限公司" not in filtered
    assert export.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(export.content)).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))  # below the title row
    assert len(rows) == 2
    assert "东镇机械有限公司" in rows[1]
