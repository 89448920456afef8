"""The people pages read in a fixed number of queries, however many rows they show."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.people import services
from gonghui.people.models import Person
from gonghui.people.vocabularies import JoinChannel

from .conftest import valid_id


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_members(county, first: int, count: int) -> None:
    for n in range(first, first + count):
        person = services.person_create(
            by=county.admin, name=f"职工{n}", id_number=valid_id(n), employer=county.e1
        )
        services.membership_start(
            by=county.admin, person=person, union=county.g1, joined_on=date(2022, 1, 1)
        )


def test_the_person_list_does_not_query_per_row(county, client_for):
    client = client_for(county.t1staff)
    add_members(county, 600, 2)
    few = queries_for(client, reverse("people:person-list"))

    add_members(county, 700, 15)

    assert queries_for(client, reverse("people:person-list")) == few


def test_the_application_queue_does_not_query_per_row(county, client_for):
    client = client_for(county.chair1)

    def apply(n):
        services.join_application_submit(
            channel=JoinChannel.PORTAL,
            employer=county.e1,
            person_data={"name": f"申请{n}", "id_number": valid_id(n)},
        )

    apply(800)
    few = queries_for(client, reverse("people:application-list"))
    for n in range(801, 812):
        apply(n)

    assert queries_for(client, reverse("people:application-list")) == few


def test_the_file_does_not_query_per_membership(county, client_for):
    add_members(county, 900, 1)
    person = Person.objects.get(name="职工900")
    # The leader reads files without the audit trail, whose cost is core.audit's own.
    client = client_for(county.leader)
    one = queries_for(client, person.get_absolute_url())
    for to_union, day in ((county.g2, 2), (county.j1, 3), (county.g1, 4)):
        services.membership_transfer(
            by=county.admin, person=person, to_union=to_union, on=date(2023, 1, day)
        )

    assert queries_for(client, person.get_absolute_url()) == one
