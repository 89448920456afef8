"""The employee count from which coverage is counted: 25 by default, a setting, a parameter."""

from __future__ import annotations

import pytest
from django.urls import reverse

OVERVIEW = reverse("coverage:overview")


def large(client, **params):
    response = client.get(OVERVIEW, params)
    assert response.status_code == 200
    report = response.context["report"]
    return report.threshold, report.total.large, report.total.large_covered


def test_the_default_is_twenty_five_employees(extra, county, client_for):
    # 25+: E1, E2, E3 (60), E5 (30), E7 (40), E8 (70); with a union: E1, E2, E7, E8.
    assert large(client_for(county.admin)) == (25, 6, 4)


def test_the_setting_changes_the_default(extra, county, client_for, settings):
    settings.COVERAGE_MIN_EMPLOYEES = 50
    # 50+: E1, E2, E3, E8.
    assert large(client_for(county.admin)) == (50, 4, 3)


def test_the_page_parameter_overrides_it(extra, county, client_for):
    # 10+ adds E4 (10, J1) and E9 (12, J1).
    assert large(client_for(county.admin), min_employees="10") == (10, 8, 6)


@pytest.mark.parametrize("value", ["0", "-5", "abc", "100001"])
def test_a_bad_threshold_is_shown_and_the_default_used(extra, county, client_for, value):
    response = client_for(county.admin).get(OVERVIEW, {"min_employees": value})

    assert response.status_code == 200
    assert response.context["report"].threshold == 25
    assert response.context["form"].errors["min_employees"]
    assert 'class="errorlist"' in response.content.decode()
