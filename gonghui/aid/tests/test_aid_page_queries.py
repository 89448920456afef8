"""The aid lists read in a fixed number of queries, however many rows they show."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication
from gonghui.conftest import make_user

from .conftest import register, relief_application


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def applications(county, aid, first, count):
    """Applications of new people at E1 without a union: they sit at T1."""
    for seq in range(first, first + count):
        person = register(county, seq, f"工人{seq}", county.e1)
        relief_application(county, aid, person=person, by=county.t1staff)


def test_the_application_list_does_not_query_per_row(county, aid, client_for):
    client = client_for(county.admin)
    applications(county, aid, 200, 2)
    few = queries_for(client, "/aid/")
    applications(county, aid, 300, 12)
    assert queries_for(client, "/aid/") == few


def test_the_payment_list_does_not_query_per_row(county, aid, client_for):
    clerk = make_user("t1clerk", county.t1, Role.STAFF)
    client = client_for(county.admin)

    def approved(first, count):
        applications(county, aid, first, count)
        for application in AidApplication.objects.filter(current_level=county.t1):
            services.aid_application_approve(by=clerk, application=application)
            services.aid_application_approve(by=county.admin, application=application)

    approved(400, 2)
    few = queries_for(client, "/aid/payments/")
    approved(500, 6)
    assert queries_for(client, "/aid/payments/") == few
