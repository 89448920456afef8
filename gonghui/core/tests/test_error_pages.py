"""Error pages are the site's own, in its layout, without a stack trace."""

from __future__ import annotations

import pytest

NOT_FOUND = "This page does not exist, or it is outside your organisation's scope."


@pytest.fixture(autouse=True)
def production(settings):
    settings.DEBUG = False


def assert_styled_404(response) -> None:
    assert response.status_code == 404
    page = response.content.decode()
    assert "404.html" in [t.name for t in response.templates]
    assert NOT_FOUND in page
    assert 'class="topbar"' in page  # the site's layout
    assert "Traceback" not in page
    assert "URLconf" not in page  # Django's technical 404


def test_a_missing_address_gets_the_styled_404_page(county, client_for):
    assert_styled_404(client_for(county.t1staff).get("/no/such/page/"))


def test_a_signed_out_visitor_gets_it_too(client, db):
    assert_styled_404(client.get("/no/such/page/"))


def test_a_record_outside_the_scope_gets_the_same_page(county, client_for):
    assert_styled_404(client_for(county.t2staff).get(county.e1.get_absolute_url()))


def test_a_refused_action_gets_the_styled_403_page(county, client_for):
    response = client_for(county.leader).get(f"/orgs/employers/{county.e1.pk}/edit/")

    assert response.status_code == 403
    assert "Your account does not have the right to do this." in response.content.decode()
    assert "Traceback" not in response.content.decode()
