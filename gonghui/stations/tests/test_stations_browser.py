"""The portal's "nearest" button in a real Chromium: the phone's position is asked only
when it is tapped, the page reloads with ``?lat=&lon=`` and lists the nearest station
first, and nothing is fetched from another site."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from .test_stations import make_station

pytestmark = pytest.mark.browser

#: Counts the page's requests for the position (the init script runs on every load).
COUNT_ASKS = """
window.__asked = 0;
const ask = navigator.geolocation.getCurrentPosition.bind(navigator.geolocation);
navigator.geolocation.getCurrentPosition = (...args) => {
  window.__asked += 1;
  return ask(...args);
};
"""


def test_nearest_asks_for_the_position_only_when_tapped(live_server, county, browser_page):
    make_station(county, name="远处驿站", lat=30.40, lon=120.40)
    make_station(county, name="近处驿站", lat=30.2101, lon=120.1102)
    page = browser_page
    page.set_viewport_size({"width": 360, "height": 740})
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": 30.21, "longitude": 120.11})
    page.add_init_script(COUNT_ASKS)
    hosts = set()
    page.on("request", lambda request: hosts.add(urlparse(request.url).netloc))

    page.goto("/m/stations/")
    expect(page.locator("#stations")).to_contain_text("远处驿站")
    assert page.evaluate("window.__asked") == 0  # nothing asked on opening the page

    page.locator("[data-nearest]").click()

    expect(page).to_have_url(re.compile(r"/m/stations/\?lat=30\.210000&lon=120\.110000$"))
    first = page.locator("#stations li").first
    expect(first).to_contain_text("近处驿站")
    expect(first.locator(".distance")).to_be_visible()
    expect(first.locator("a[href^='geo:']")).to_have_count(1)
    assert hosts == {urlparse(live_server.url).netloc}
