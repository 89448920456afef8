"""Search on the person list: by name, by the end of an ID number or phone, by card number."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.urls import reverse

from gonghui.core.idnumbers import complete_id_number
from gonghui.people import selectors, services
from gonghui.people.models import Person

from .conftest import valid_id

LIST = reverse("people:person-list")


def found(client, term) -> set[str]:
    response = client.get(LIST, {"q": term})
    assert response.status_code == 200
    return {obj.name for obj, _values in response.context["rows"]}


def test_a_name_is_found_from_its_first_characters(people, client_for, county):
    client = client_for(county.admin)

    assert found(client, "张一") == {"张一"}
    assert found(client, "张") == {"张一"}
    assert found(client, "一") == set()


def test_the_last_four_digits_of_an_id_number_find_the_person(people, client_for, county):
    assert found(client_for(county.admin), valid_id(3)[-4:]) == {"王三"}


def test_a_longer_tail_of_an_id_number_finds_the_person(people, client_for, county):
    assert found(client_for(county.admin), valid_id(4)[-9:]) == {"赵四"}


def test_a_tail_sharing_only_the_last_four_digits_is_not_a_match(people, client_for, county):
    tail4 = valid_id(4)[-4:]
    # Another valid number ending in the same 4 characters but not the same 5.
    born = date(1960, 1, 1)
    while True:
        twin = complete_id_number(f"110101{born:%Y%m%d}{tail4[:3]}")
        if twin[-4:] == tail4 and twin[-5] != valid_id(4)[-5]:
            break
        born += timedelta(days=1)
    services.person_create(by=county.admin, name="同尾", id_number=twin)
    client = client_for(county.admin)

    assert found(client, tail4) == {"赵四", "同尾"}
    assert found(client, valid_id(4)[-5:]) == {"赵四"}


def test_the_end_of_a_phone_number_finds_the_person(people, client_for, county):
    client = client_for(county.admin)

    assert found(client, "0002") == {"李二"}
    assert found(client, "00000002") == {"李二"}


def test_a_whole_id_number_or_phone_finds_the_person(people, client_for, county):
    client = client_for(county.admin)

    assert found(client, valid_id(2).lower()) == {"李二"}
    assert found(client, "+86 139 0000 0002") == {"李二"}


def test_a_card_number_finds_the_member(people, client_for, county):
    assert found(client_for(county.admin), people.p2.card_number.lower()) == {"李二"}


def test_search_stays_within_the_users_scope(people, client_for, county):
    client = client_for(county.chair1)

    assert found(client, "李二") == set()
    assert found(client, valid_id(2)[-4:]) == set()
    assert found(client, valid_id(2)[-6:]) == set()
    assert found(client, people.p2.card_number) == set()
    assert found(client, "张一") == {"张一"}


def test_a_long_tail_decrypts_only_the_candidates_of_its_last_four(county):
    for n in range(40):
        services.person_create(by=county.admin, name=f"职工{n}", id_number=valid_id(200 + n))
    tail = valid_id(217)[-6:]
    candidates = Person.objects.filter(id_suffix_hash=selectors.id_suffix_hash(tail)).count()

    with mock.patch.object(selectors, "decrypt", wraps=selectors.decrypt) as spy:
        result = set(selectors.person_search(Person.objects.all(), tail))

    assert {p.name for p in result} == {"职工17"}
    assert spy.call_count <= 2 * candidates
    assert candidates < 40


@pytest.mark.parametrize("term", ["123", "abc", "   "])
def test_short_or_odd_terms_do_not_fail(people, client_for, county, term):
    response = client_for(county.admin).get(LIST, {"q": term})

    assert response.status_code == 200


def test_a_name_prefix_finds_its_names_and_not_those_of_the_next_character(county, client_for):
    # 杏 (U+674F) follows 李 (U+674E): the prefix range of 李 ends where 杏 begins.
    for n, name in enumerate(["李四", "李", "杏花", "林李"]):
        services.person_create(by=county.admin, name=name, id_number=valid_id(300 + n))
    client = client_for(county.admin)

    assert found(client, "李") == {"李四", "李"}
    assert found(client, "杏") == {"杏花"}
    assert found(client, "李四") == {"李四"}


@pytest.mark.parametrize("term", ["\ud7ff", "\U0010ffff", "a\u00ff"])
def test_a_prefix_at_the_edge_of_unicode_does_not_fail(people, client_for, county, term):
    assert found(client_for(county.admin), term) == set()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("term", "indexes"),
    [
        # The last 4 (a longer tail finds its candidates through the same condition).
        ("1234", ("person_id_suffix_key", "person_phone_suffix_key")),
        ("13900001234", ("person_phone_suffix_key",)),  # a whole phone
    ],
)
def test_a_search_by_a_number_is_written_as_its_index_is(term, indexes):
    # A database uses an index on an expression only for that very expression,
    # bounds included: SUBSTR(col, ?, ?) with parameters would not match it.
    editor = connection.schema_editor(collect_sql=True)  # only to write the statements
    created = {i.name: str(i.create_sql(Person, editor)) for i in Person._meta.indexes}
    sql, _params = selectors.person_search(Person.objects.all(), term).query.sql_with_params()
    written = sql.replace(f"{connection.ops.quote_name(Person._meta.db_table)}.", "")

    for name in indexes:
        statement = created[name]
        expression = statement[statement.index("((") + 2 : statement.rindex("))")]
        assert expression in written, (expression, written)
