"""Every roster page × every persona (the people app's matrix covers its own namespace)."""

from __future__ import annotations

import pytest
from django.urls import get_resolver, reverse

from gonghui.jobs.models import Job, JobStatus

LOGIN = "login"
PERSONAS = ("admin", "leader", "t1staff", "chair1", "chair2", "outsider")

# fmt: off
#                                   admin leader t1staff chair1 chair2 outsider
MATRIX = {
    ("import", "get"):               (200,  403,   200,    200,   200,   403),
    ("export", "get"):               (200,  200,   200,    200,   200,   403),
    ("template", "get"):             (200,  403,   200,    200,   200,   403),
    # chair1's dry run: found by its owner only (302 back to the job with a message).
    ("import-run", "post"):          (404,  403,   404,    302,   404,   403),
}
# fmt: on


def test_the_matrix_covers_every_roster_page():
    people = get_resolver().namespace_dict["people"][1]
    roster = people.namespace_dict["roster"][1]
    names = {name for name in roster.reverse_dict if isinstance(name, str)}

    assert names == {name for name, _method in MATRIX}


@pytest.mark.parametrize(
    ("url_name", "method", "persona", "expected"),
    [
        (url_name, method, persona, expected)
        for (url_name, method), row in MATRIX.items()
        for persona, expected in [*zip(PERSONAS, row, strict=True), ("anonymous", LOGIN)]
    ],
)
def test_access(county, client, client_for, url_name, method, persona, expected):
    if url_name == "import-run":
        # A dry run whose file is gone: its owner is refused with a message, no job starts.
        checked = Job.objects.create(
            kind="roster_import",
            title="x",
            started_by=county.chair1,
            status=JobStatus.DONE,
            params={"dry_run": True, "union": county.g1.pk, "file": "x.xlsx"},
        )
        url = reverse("people:roster:import-run", args=[checked.pk])
    else:
        url = reverse(f"people:roster:{url_name}")
    if persona != "anonymous":
        client = client_for(getattr(county, persona))

    response = getattr(client, method)(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login") + "?next=")
    else:
        assert response.status_code == expected
    assert Job.objects.count() == (1 if url_name == "import-run" else 0)
