"""Every id on an aid page names one element (labels, scripts and browser tests
find elements by id): the application page in each state it offers forms in."""

from decimal import Decimal

import pytest

from gonghui.aid import services

from .conftest import approve_all_levels, relief_application
from .pages import duplicate_ids


def test_duplicate_ids_are_found():
    assert duplicate_ids('<p id="a"></p><input id="a"><i id="b"></i>') == ["a"]


def draft(county, aid):
    application = services.aid_application_create(
        by=county.chair1,
        campaign=aid.relief_campaign,
        person=aid.p1,
        amount_requested=Decimal("500.00"),
        reason="家庭困难",
    )
    return application, county.chair1


def at_g1(county, aid):
    # The G1 clerk may decide and cancel: both forms have a comment.
    return relief_application(county, aid), aid.g1clerk


def at_t1(county, aid):
    application = services.aid_application_approve(
        by=aid.g1clerk, application=relief_application(county, aid)
    )
    return application, county.t1staff


def approved(county, aid):
    # The county may pay and cancel.
    return approve_all_levels(county, aid, relief_application(county, aid)), county.admin


@pytest.mark.parametrize("state", [draft, at_g1, at_t1, approved], ids=lambda f: f.__name__)
def test_the_application_page_gives_each_id_to_one_element(county, aid, client_for, state):
    application, viewer = state(county, aid)

    html = client_for(viewer).get(f"/aid/{application.pk}/").content.decode()

    assert 'id="cancel-form"' in html
    assert duplicate_ids(html) == []
