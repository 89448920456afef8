"""The coverage page's cost does not grow with the data: the same few grouped queries."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.conftest import credit_code
from gonghui.core.idnumbers import complete_id_number
from gonghui.orgs.services import employer_create, organisation_create
from gonghui.people import services

OVERVIEW = reverse("coverage:overview")


def test_the_page_asks_the_database_the_same_questions_however_much_data(extra, county, client_for):
    client = client_for(county.admin)
    client.get(OVERVIEW)  # the session and permissions settle first

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(OVERVIEW).status_code == 200
        return len(captured)

    before = queries()
    su = county.superuser
    township = organisation_create(
        by=su, code="T9", name="北镇总工会", kind="township", parent=county.root
    )
    union = organisation_create(
        by=su, code="G9", name="北镇工会", kind="grassroots", parent=township
    )
    for n in range(20, 26):
        employer = employer_create(
            by=su,
            credit_code=credit_code(n),
            name=f"北镇企业{n}",
            industry="ABCDEF"[n % 6],
            ownership="non_public",
            employee_count=n,
            township=township,
            union=union if n % 2 else None,
        )
        person = services.person_create(
            by=su,
            name=f"北{n}",
            id_number=complete_id_number(f"33010619850101{n:03d}"),
            employer=employer,
            new_form_group="courier",
        )
        if n % 2:
            services.membership_start(by=su, person=person, union=union)

    assert queries() == before
