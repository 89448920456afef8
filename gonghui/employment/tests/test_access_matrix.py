"""Every spring-jobs page × every persona → the expected answer.

Written out by hand from the roles (``employment.apps``) and the scope rule:
a user without the permission gets 403 whatever the record, a record outside
the user's subtree is 404. The records: posting P1 and application A1 at E1
(township T1, covered by G1), and a job fair held by T1.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from gonghui.employment import services

PERSONAS = ("superuser", "admin", "leader", "t1staff", "t2staff", "chair1", "chair2", "outsider")

# fmt: off
#                                           super admin leader t1st t2st chair1 chair2 outsider
MATRIX = {
    ("posting-list", None, "get"):          (200,  200,  200,   200, 200, 200,   200,   403),
    ("posting-create", None, "get"):        (200,  200,  403,   200, 200, 200,   200,   403),
    ("posting-detail", "p1", "get"):        (200,  200,  200,   200, 404, 200,   404,   403),
    ("posting-update", "p1", "get"):        (200,  200,  403,   200, 404, 200,   404,   403),
    ("posting-status", "p1", "post"):       (302,  302,  403,   302, 404, 302,   404,   403),
    ("application-create", "p1", "get"):    (200,  200,  403,   200, 404, 200,   404,   403),
    ("application-list", None, "get"):      (200,  200,  200,   200, 200, 200,   200,   403),
    ("application-detail", "a1", "get"):    (200,  200,  200,   200, 404, 200,   404,   403),
    ("application-advance", "a1", "post"):  (302,  302,  403,   302, 404, 403,   403,   403),
    ("fair-list", None, "get"):             (200,  200,  200,   200, 200, 200,   200,   403),
    ("fair-create", None, "get"):           (200,  200,  403,   200, 200, 403,   403,   403),
    ("fair-detail", "fair", "get"):         (200,  200,  200,   200, 404, 404,   404,   403),
    ("fair-attendance", "fair", "post"):    (302,  302,  403,   302, 404, 403,   403,   403),
    ("summary", None, "get"):               (200,  200,  200,   200, 200, 200,   200,   403),
}
# fmt: on

POST_DATA = {
    "posting-status": {"status": "closed"},
    "application-advance": {"to_status": "interviewed"},
    "fair-attendance": {"attendance": "10"},
}

CASES = [
    pytest.param(name, record, method, persona, expected, id=f"{name}-{persona}")
    for (name, record, method), answers in MATRIX.items()
    for persona, expected in zip(PERSONAS, answers, strict=True)
]


def test_the_matrix_covers_every_page_of_the_app():
    from gonghui.employment.urls import urlpatterns

    assert {p.name for p in urlpatterns} == {name for name, _record, _method in MATRIX}


@pytest.mark.parametrize(("name", "record", "method", "persona", "expected"), CASES)
def test_access(county, jobs, client_for, name, record, method, persona, expected):
    records = {
        "p1": jobs.p1,
        "a1": jobs.a1,
        "fair": services.job_fair_create(
            by=county.t1staff,
            organiser=county.t1,
            name="Fair",
            held_on=date(2026, 3, 1),
            place="Square",
            campaign_year=2026,
        ),
    }
    args = [records[record].pk] if record else []
    client = client_for(getattr(county, persona))

    response = getattr(client, method)(
        reverse(f"employment:{name}", args=args), POST_DATA.get(name)
    )

    assert response.status_code == expected
