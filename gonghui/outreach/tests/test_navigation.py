"""The outreach pages are reachable from the console's navigation for those who may open them."""

from __future__ import annotations

from django.urls import reverse


def test_staff_and_leaders_find_the_outreach_pages_in_the_navigation(county, client_for):
    for user in (county.chair1, county.leader):
        html = client_for(user).get(reverse("core:home")).content.decode()

        for url_name in ("delivery-list", "delivery-summary", "visit-list", "wish-list", "ledger"):
            assert reverse(f"outreach:{url_name}") in html


def test_an_account_without_a_role_is_not_shown_them(county, client_for):
    html = client_for(county.outsider).get(reverse("core:home")).content.decode()

    assert reverse("outreach:ledger") not in html
