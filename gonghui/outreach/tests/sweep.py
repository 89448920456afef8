"""Outreach records for the access sweep (``core/tests/test_access_sweep.py``): a
delivery, a visit and a wish of the subtree's union, and a fulfilled wish with
its photo."""

from datetime import date
from decimal import Decimal

from gonghui.outreach import services
from gonghui.outreach.tests.conftest import png

WISH_PAGES = ("detail", "update", "claim", "fulfil", "withdraw")

ROUTES = {
    "outreach:delivery-update": {"pk": "delivery"},
    "outreach:visit-update": {"pk": "visit"},
    **{f"outreach:wish-{page}": {"pk": "wish"} for page in WISH_PAGES},
    "outreach:wish-photo": {"pk": "wish_with_photo"},
    # The portal: the subtree's worker's own wish (``own_wish``), asked by worker1/worker2.
    "portal-wishes:detail": {"pk": "own_wish"},
}


def build(subtree):
    by, union = subtree.admin, subtree.union
    person = subtree.person("慰问辛")
    delivery = services.delivery_create(
        by=by,
        organisation=union,
        campaign_name="夏送清凉",
        campaign_year=2025,
        delivered_on=date(2025, 7, 15),
        workers_reached=40,
        employer=subtree.employer,
        lines=[{"item": "绿豆", "quantity": Decimal("10"), "unit": "kg", "unit_value": "5.50"}],
    )
    visit = services.visit_create(
        by=by,
        organisation=union,
        visited_on=date(2025, 1, 20),
        occasion="spring_festival",
        person=person,
        visitor_names="工会主席",
        cash="500.00",
    )
    wish = services.wish_post(
        by=by, organisation=union, person=person, text="一台电风扇", estimated_value="150.00"
    )
    fulfilled = services.wish_post(
        by=by, organisation=union, person=person, text="一副老花镜", estimated_value="60.00"
    )
    services.wish_claim(by=by, wish=fulfilled, donor_name="热心职工")
    services.wish_fulfil(
        by=by, wish=fulfilled, fulfilled_on=date(2025, 3, 1), delivered="老花镜一副", photo=png()
    )
    # The wish of the worker the portal's personas are bound to (``records["person"]``).
    own_wish = services.wish_post(
        by=by,
        organisation=union,
        # (A world built without the people app's records, as the hostile-input tests
        # build one, has only this builder's worker.)
        person=subtree.records.get("person", person),
        text="一个保温饭盒",
        estimated_value="80.00",
    )
    return {
        "delivery": delivery,
        "visit": visit,
        "wish": wish,
        "wish_with_photo": fulfilled,
        "own_wish": own_wish,
    }


POST_DATA = {
    "outreach:wish-claim": {"donor_name": "热心职工"},
    "outreach:wish-withdraw": {"reason": "已由家人解决"},
    "portal-wishes:detail": {"reason": "已由家人解决"},
}

#: Cells of the former matrix that the sweep's generic rules do not decide.
ANSWERS = {
    **{
        ("outreach:wish-photo", "wish_with_photo", persona): 200
        for persona in ("admin", "leader", "t1staff", "chair1")
    },
    # A wish without a photo has nothing to serve.
    **{
        ("outreach:wish-photo", "wish", persona): 404
        for persona in ("superuser", "admin", "leader", "t1staff", "chair1")
    },
    # The worker's own micro-wishes in the portal; the console's staff are visitors there.
    ("portal-wishes:mine", None, "worker1"): 200,
    ("portal-wishes:mine", None, "worker2"): 200,
    ("portal-wishes:mine", None, "chair1"): "login",
    ("portal-wishes:detail", "own_wish", "worker1"): 200,
    ("portal-wishes:detail", "own_wish", "worker2"): 200,
    ("portal-wishes:detail", "own_wish", "chair1"): "login",
    # Both workers have a wish open already: the page says so and offers no form.
    ("portal-wishes:new", None, "worker1"): 200,
    ("portal-wishes:new", None, "worker2", "post"): 200,
}
