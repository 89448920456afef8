"""``core.rows.RowReader``: a row read by SQL written once is the same instance the ORM
would give, its related rows included, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import pytest
from django.db import models
from django.test.utils import isolate_apps

from gonghui.accounts.models import User
from gonghui.core.rows import RowInserter, RowReader
from gonghui.people.models import Person
from gonghui.portal.tests.test_card import worker
from gonghui.security.events import EventKind, security_event
from gonghui.security.models import SecurityEvent

ACCOUNT = RowReader(User, related=("organisation",), where="t.id = %s")
HOLDER = RowReader(Person, related=("current_union", "employer"), where="t.id = %s")
EVENT = RowReader(SecurityEvent, where="t.id = %s")


def values(instance) -> dict:
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def test_an_account_read_once_is_the_orms_account_with_its_organisation(
    county, django_assert_num_queries
):
    expected = User.objects.select_related("organisation").get(pk=county.chair1.pk)

    with django_assert_num_queries(1):
        read = ACCOUNT.get(county.chair1.pk)
        organisation = read.organisation  # already there: no second query

    assert values(read) == values(expected)
    assert values(organisation) == values(expected.organisation)
    assert read.is_active is True and read.date_joined.tzinfo is not None
    assert read._state.adding is False and read._state.db == "default"


def test_an_empty_key_reads_as_none_without_a_query(county, django_assert_num_queries):
    person = worker(county, 3)  # not a member: no union

    with django_assert_num_queries(1):
        read = HOLDER.get(person.pk)
        assert read.current_union is None
        assert read.employer == county.e1

    assert values(read) == values(Person.objects.get(pk=person.pk))


def test_values_pass_through_the_orms_converters(county):
    """JSON, times and keys come back as the ORM gives them, not as the database stores them."""
    event = security_event(kind=EventKind.REVEAL, by=county.admin, detail={"card": ["甲", 1]})

    read = EVENT.get(event.pk)

    assert values(read) == values(SecurityEvent.objects.get(pk=event.pk))
    assert read.detail == {"card": ["甲", 1]}


def test_no_row_is_none(db):
    assert ACCOUNT.get(987654) is None


def test_a_saved_row_read_once_saves_as_any_other(county):
    read = ACCOUNT.get(county.leader.pk)
    read.first_name = "改"
    read.save(update_fields=["first_name"])

    assert User.objects.get(pk=county.leader.pk).first_name == "改"


@pytest.mark.parametrize("bad", ["x", None])
def test_an_account_key_that_is_not_a_number_signs_in_no_one(db, bad):
    from gonghui.accounts.backends import AccountBackend

    assert AccountBackend().get_user(bad) is None


def test_a_row_inserted_once_reads_back_as_the_orm_wrote_it(county):
    """The security log's rows go in by ``RowInserter``: the automatic time, the JSON,
    the keys and the chain are what ``create()`` would have written."""
    event = SecurityEvent.append(
        kind=EventKind.REVEAL,
        account=county.admin,
        organisation=county.root,
        username="admin",
        object_type="people.person",
        object_id="7",
        detail={"card_check": "valid"},
    )

    stored = SecurityEvent.objects.get(pk=event.pk)
    assert event.pk is not None and event._state.adding is False
    assert values(stored) == values(event)
    assert stored.at is not None and stored.chain and stored.detail == {"card_check": "valid"}
    assert (stored.account_id, stored.organisation_id) == (county.admin.pk, county.root.pk)
    assert SecurityEvent.append(kind=EventKind.REVEAL).pk == event.pk + 1


@isolate_apps("gonghui.core")
def test_a_model_whose_columns_the_database_fills_is_refused():
    class Filled(models.Model):
        made = models.DateTimeField(db_default=models.functions.Now())

        def __str__(self) -> str:
            return str(self.made)

    with pytest.raises(TypeError, match="columns the database fills"):
        RowInserter(Filled).insert(Filled())
