"""List pages and the person's page read a fixed number of queries, whatever the rows."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.employment import services

from .conftest import posting_data


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_query_per_row(county, jobs, client_for):
    client = client_for(county.admin)
    urls = [
        reverse("employment:posting-list"),
        reverse("employment:application-list"),
        reverse("employment:summary"),
        jobs.w1.get_absolute_url(),
    ]
    before = [_queries(client, url) for url in urls]

    for n in range(4):
        posting = services.job_posting_create(
            by=county.admin, **posting_data(county.e2, title=f"Job {n}")
        )
        services.job_application_create(by=county.admin, posting=posting, person=jobs.w1)

    assert [_queries(client, url) for url in urls] == before
