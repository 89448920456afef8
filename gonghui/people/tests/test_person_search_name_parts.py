"""Search on the person list by a part of a name: the given name finds the worker."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.people import selectors, services
from gonghui.people.models import Person
from gonghui.people.views import PersonList

from .conftest import valid_id

LIST = reverse("people:person-list")


def found(client, term) -> set[str]:
    response = client.get(LIST, {"q": term})
    assert response.status_code == 200
    return {obj.name for obj, _values in response.context["rows"]}


def register(county, names, *, employer, first_seq=400):
    for n, name in enumerate(names):
        services.person_create(
            by=county.superuser, name=name, id_number=valid_id(first_seq + n), employer=employer
        )


def test_a_given_name_finds_the_worker(county, client_for):
    register(county, ["易晓峰", "欧阳晓峰", "晓峰", "易晓"], employer=county.e1)
    # The neighbour's 晓峰 works at E2, which chair1 does not see.
    register(county, ["王晓峰"], employer=county.e2, first_seq=450)

    assert found(client_for(county.chair1), "晓峰") == {"易晓峰", "欧阳晓峰", "晓峰"}
    assert found(client_for(county.admin), "晓峰") == {"易晓峰", "欧阳晓峰", "晓峰", "王晓峰"}


def test_any_two_characters_in_a_row_of_a_short_name_find_it(county, client_for):
    register(county, ["易晓峰", "司马相如"], employer=county.e1)
    client = client_for(county.chair1)

    assert found(client, "易晓") == {"易晓峰"}
    assert found(client, "马相") == {"司马相如"}
    assert found(client, "相如") == {"司马相如"}
    assert found(client, "峰易") == set()


def test_one_character_finds_the_surname_only(county, client_for):
    register(county, ["易晓峰", "峰华"], employer=county.e1)

    assert found(client_for(county.chair1), "峰") == {"峰华"}


def test_the_search_box_says_what_it_finds(county, client_for):
    response = client_for(county.chair1).get(LIST)
    html = response.content.decode()

    assert 'placeholder="Name or part of it, end of an ID or phone number, card number"' in html
    assert "One character finds the names that begin with it (the surname)." in html
    assert "Two or more characters find a name that holds them anywhere" in html
    assert 'aria-describedby="search-help"' in html


def test_a_single_character_search_keeps_the_count_cap(county, client_for):
    register(county, ["易甲", "易乙", "易丙"], employer=county.e1)
    # The list's own capped paginator, with a cap small enough for the test county.
    with mock.patch.object(PersonList, "count_cap", 2):
        response = client_for(county.admin).get(LIST, {"q": "易"})

    assert response.context["paginator"].capped
    assert "More than 2 records" in response.content.decode()


@pytest.mark.django_db
def test_a_search_by_a_part_of_a_name_is_written_as_its_indexes_are():
    # SQLite uses an index on an expression only for that very expression: the
    # start of the substring must be written into the SQL, not passed as a parameter.
    editor = connection.schema_editor(collect_sql=True)  # only to write the statements
    created = {i.name: str(i.create_sql(Person, editor)) for i in Person._meta.indexes}
    sql, params = selectors.person_search(Person.objects.all(), "晓峰").query.sql_with_params()
    written = sql.replace(f"{connection.ops.quote_name(Person._meta.db_table)}.", "")

    for name in ("person_name_from_2", "person_name_from_3"):
        statement = created[name]
        expression = statement[statement.index("((") + 2 : statement.rindex("))")]
        # A partial index serves a query that repeats its condition, literally.
        condition = statement[statement.rindex(" WHERE ") + 7 :]
        assert expression in written, (expression, written)
        assert condition in written, (condition, written)
    assert not {2, 3, 4} & set(params), params


@pytest.mark.django_db
def test_sqlite_finds_a_given_name_through_the_name_part_indexes():
    if connection.vendor != "sqlite":  # the plan is SQLite's; PostgreSQL has its own
        assert connection.vendor == "postgresql"
        return
    queryset = selectors.person_search(Person.objects.all(), "晓峰")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())

    assert "INDEX person_name_from_2" in plan, plan
    assert "INDEX person_name_from_3" in plan, plan
    assert "INDEX person_name (" in plan, plan
    assert "SCAN" not in plan, plan


#: Surnames and given-name characters, with a few ASCII letters to try case and LIKE's wildcards.
CHARACTERS = "易王欧阳晓峰建华张李aA_%"
names = st.text(alphabet=CHARACTERS, min_size=1, max_size=5)


def promised(name: str, term: str) -> bool:
    """What the search promises: ``term`` at one of the starts it names (1-based)."""
    return any(name.startswith(term, start - 1) for start in selectors.name_part_starts(term))


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    people=st.lists(names, min_size=1, max_size=12),
    term=st.text(alphabet=CHARACTERS, min_size=1, max_size=3),
)
def test_the_search_finds_exactly_the_names_holding_the_term_where_it_promises(
    county, people, term
):
    Person.objects.all().delete()
    rows = [
        Person(
            name=name,
            id_number_encrypted="x",
            id_hash=f"hash-{n}",
            id_suffix_hash="",
            birth_date="1990-01-01",
            gender="M",
            region_code="330106",
            file_org=county.t1,
        )
        for n, name in enumerate(people)
    ]
    Person.objects.bulk_create(rows)
    # Card numbers are matched separately: only names are compared here.
    if term.strip() != term or not term.strip() or re.fullmatch(r"[A-Za-z0-9_-]+", term):
        return

    result = sorted(p.name for p in selectors.person_search(Person.objects.all(), term))

    assert result == sorted(name for name in people if promised(name, term))
    if len(term) > 1:
        # Names of up to four characters: any part of them.
        assert {n for n in result if len(n) <= 4} == {
            n for n in people if len(n) <= 4 and term in n
        }


def test_a_search_counts_without_sorting_and_joins_only_the_page(county, client_for):
    # A search over several indexes cannot read its matches in name order: counting
    # them must not sort them, and the employer and union are read for the page alone.
    register(county, [f"易晓{n}" for n in "一二三四五"], employer=county.e1)
    client = client_for(county.admin)  # the whole county: no scope condition to join for

    with CaptureQueriesContext(connection) as queries:
        response = client.get(LIST, {"q": "易晓"})

    assert len(response.context["rows"]) == 5
    searches = [q["sql"] for q in queries.captured_queries if "易晓" in q["sql"]]
    counts = [sql for sql in searches if sql.startswith("SELECT COUNT(*)")]
    pages = [sql for sql in searches if not sql.startswith("SELECT COUNT(*)")]
    assert counts and pages
    assert all("ORDER BY" not in sql for sql in counts), counts
    assert all("JOIN" not in sql.split(" WHERE ")[0] for sql in pages), pages
