"""``/track/``: a case followed by its tracking code without signing in (issue 15, item
2 and "Bad input"): the right code shows what the worker may see, any wrong code the
one answer, a code typed with spaces, dashes, lower case or full-width characters is
found, lookups are limited per address, and a named case's worker is never named."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.rights import services, tracking
from gonghui.rights.models import TrackingLookup

TRACK = reverse("track:lookup")


@pytest.fixture
def named_case(county, worker):
    case = services.case_lodge(
        by=county.admin,
        kind="mediation",
        channel="hotline",
        category="wages",
        summary="拖欠工资三个月",
        workers=[worker],
        employer=county.e1,
    )
    services.case_decline(by=county.admin, case=case, reason="已由仲裁受理")
    case.refresh_from_db()
    return case


def look_up(code: str, client=None, address="10.0.0.1"):
    return (client or Client()).post(TRACK, {"code": code}, REMOTE_ADDR=address)


def test_the_right_code_shows_the_case_without_the_workers_name(named_case, worker):
    response = look_up(named_case.tracking_code)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Declined" in page and "已由仲裁受理" in page
    assert "".join(tracking.grouped(named_case.tracking_code).split()) == named_case.tracking_code
    assert tracking.grouped(named_case.tracking_code) in page
    assert worker.name not in page and worker.plain_id_number() not in page
    assert worker.plain_phone() not in page
    assert "拖欠工资三个月" not in page  # what the case is about may name people


def test_a_wrong_code_and_a_malformed_one_get_the_same_answer(named_case):
    wrong = look_up("23456789ABCDEFGH", address="10.0.0.2")
    malformed = look_up("!!", address="10.0.0.3")

    assert wrong.status_code == malformed.status_code == 200
    assert "No case has this code." in wrong.content.decode()
    assert "No case has this code." in malformed.content.decode()
    assert "Declined" not in wrong.content.decode()
    assert TrackingLookup.objects.count() == 2  # both counted


def test_a_code_typed_loosely_is_found(named_case):
    code = named_case.tracking_code
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:12]}·{code[12:]} "
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in code)

    assert tracking.normalise(typed) == code
    assert "已由仲裁受理" in look_up(typed).content.decode()
    assert "已由仲裁受理" in look_up(fullwidth, address="10.0.0.9").content.decode()


def test_lookups_are_limited_per_address_with_the_clock_controlled(named_case):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        for _n in range(10):
            assert look_up("WRONGWRONGWRONG2").status_code == 200
        refused = look_up(named_case.tracking_code)
        assert refused.status_code == 429
        assert "Too many codes were looked up in a minute" in refused.content.decode()
        assert "已由仲裁受理" not in refused.content.decode()
        # Another address is not held back.
        assert look_up(named_case.tracking_code, address="10.0.0.7").status_code == 200
        clock.shift(timedelta(minutes=1, seconds=1))
        assert look_up(named_case.tracking_code).status_code == 200
        for _n in range(4):
            for _m in range(9):
                look_up("WRONGWRONGWRONG2")
            clock.shift(timedelta(minutes=1, seconds=1))
        # 50 a day: 11 + 36 + 3 more.
        for _n in range(3):
            assert look_up("WRONGWRONGWRONG2").status_code == 200
        refused = look_up(named_case.tracking_code)
        assert refused.status_code == 429
        assert "Try again later" in refused.content.decode()
        clock.shift(timedelta(days=1))
        assert look_up(named_case.tracking_code).status_code == 200
        # Lookups older than a day are forgotten.
        assert TrackingLookup.objects.filter(at__lt=timezone.now() - timedelta(days=1)).count() == 0


def test_an_anonymous_case_shows_its_terms_and_a_named_one_does_not(county, neighbours, worker):
    handler = neighbours.mediator
    cases = []
    for anonymous in (True, False):
        case = services.case_lodge(
            by=county.admin,
            kind="mediation",
            channel="hotline",
            category="wages",
            summary="工资",
            workers=[] if anonymous else [worker],
            anonymous=anonymous,
            employer=county.e1,
            organisation=county.g1,
        )
        services.case_accept(by=county.admin, case=case)
        services.case_assign(by=county.admin, case=case, handler=handler)
        services.case_start_mediation(by=handler, case=case)
        services.case_resolve(
            by=handler,
            case=case,
            resolution="agreement",
            terms=f"{worker.name}获补发工资",
            recovered_amount=Decimal("5000"),
        )
        cases.append(case)
    anonymous_page = look_up(cases[0].tracking_code).content.decode()
    named_page = look_up(cases[1].tracking_code, address="10.0.0.5").content.decode()

    assert "Mediated agreement" in anonymous_page and "获补发工资" in anonymous_page
    assert "Mediated agreement" in named_page and "¥5000" in named_page
    assert worker.name not in named_page
    assert handler.display_name not in named_page


def test_the_page_asks_no_sign_in(db):
    response = Client().get(TRACK)

    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
