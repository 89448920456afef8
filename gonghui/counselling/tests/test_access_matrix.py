"""Every counselling page × every persona → the expected answer.

Staff pages follow the roles and the scope rule (403 without the permission,
404 outside the subtree). The counsellor's own pages answer only to the
counsellor of the slot: anyone else gets 404 there, a superuser included.
Cancel and outcome serve both staff and the counsellor, so the record is
looked up first: a user who cannot see it at all gets 404, one who sees it
without the right to change it gets 403. The record: booking B1 of worker w1
(E1, township T1) on the county counsellor's slot. Withdrawing a slot (the
free slot S3) answers to its counsellor and to administrators in scope, and
is a 404 for everyone else.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

PERSONAS = (
    "superuser",
    "admin",
    "leader",
    "t1staff",
    "t2staff",
    "chair1",
    "outsider",
    "counsellor",
)

# fmt: off
#                                       super admin leader t1st t2st chair1 outsider counsellor
MATRIX = {
    ("booking-list", False, "get"):     (200,  200,  403,   200, 200, 200,   403,     403),
    ("booking-create", False, "get"):   (200,  200,  403,   200, 200, 200,   403,     403),
    ("worker-suggestions", False, "get"): (200, 200, 403,  200, 200, 200,   403,     403),
    ("slot-list", False, "get"):        (200,  200,  403,   200, 200, 200,   403,     403),
    ("booking-detail", True, "get"):    (200,  200,  403,   200, 404, 200,   403,     403),
    ("booking-cancel", True, "post"):   (302,  302,  403,   302, 404, 302,   404,     302),
    ("booking-outcome", True, "post"):  (302,  302,  403,   302, 404, 302,   404,     302),
    ("my-calendar", False, "get"):      (200,  403,  403,   403, 403, 403,   403,     200),
    ("slot-create", False, "get"):      (200,  403,  403,   403, 403, 403,   403,     200),
    ("my-booking", True, "get"):        (404,  404,  404,   404, 404, 404,   404,     200),
    ("slot-withdraw", False, "post"):   (302,  302,  404,   404, 404, 404,   404,     302),
}
# fmt: on

POST_DATA = {
    "booking-cancel": {"reason": "Ill"},
    "booking-outcome": {"attended": "1"},
    "slot-withdraw": {"reason": "Ill"},
}
GET_DATA = {"worker-suggestions": {"worker": "张"}}
#: Pages about a slot rather than a booking: the free slot S3 of the county counsellor.
SLOT_PAGES = {"slot-withdraw"}

CASES = [
    pytest.param(name, on_booking, method, persona, expected, id=f"{name}-{persona}")
    for (name, on_booking, method), answers in MATRIX.items()
    for persona, expected in zip(PERSONAS, answers, strict=True)
]


def test_the_matrix_covers_every_page_of_the_app():
    from gonghui.counselling.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _b, _m in MATRIX}


@pytest.mark.parametrize(("name", "on_booking", "method", "persona", "expected"), CASES)
def test_access(county, care, client_for, name, on_booking, method, persona, expected):
    user = care.counsellor if persona == "counsellor" else getattr(county, persona)
    args = [care.b1.pk] if on_booking else []
    if name in SLOT_PAGES:
        args = [care.s3.pk]

    response = getattr(client_for(user), method)(
        reverse(f"counselling:{name}", args=args), POST_DATA.get(name) or GET_DATA.get(name)
    )

    assert response.status_code == expected
