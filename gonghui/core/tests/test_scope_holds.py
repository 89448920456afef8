"""``ScopedQuerySet.holds``: whether a row just read is in a user's scope, by the one
scope rule; a reader of the whole tree is answered without a query."""

from __future__ import annotations

from gonghui.core.scope import sees_whole_tree
from gonghui.people.models import Person
from gonghui.portal.tests.test_card import worker


def test_the_county_reads_the_whole_tree_without_asking(county, django_assert_num_queries):
    person = worker(county, 5, union=county.g1)
    admin = type(county.admin).objects.select_related("organisation").get(pk=county.admin.pk)

    with django_assert_num_queries(1):  # is the county the only top-level organisation?
        assert Person.objects.holds(admin, person.pk)
    with django_assert_num_queries(0):  # remembered on the account's organisation
        assert Person.objects.holds(admin, person.pk)


def test_holds_answers_as_for_user_does_for_every_persona(county, neighbours):
    mine = worker(county, 6, union=county.g1)
    theirs = worker(county, 7, union=neighbours.xg, employer=neighbours.xe)
    personas = [
        county.superuser, county.admin, county.t1staff, county.chair1, county.chair2,
        neighbours.chair3, neighbours.xadmin, neighbours.xchair, neighbours.unplaced,
    ]  # fmt: skip

    for user in personas:
        for person in (mine, theirs):
            expected = Person.objects.for_user(user).filter(pk=person.pk).exists()
            assert Person.objects.holds(user, person.pk) is expected, (user, person)


def test_a_second_top_level_organisation_ends_the_whole_tree(county, neighbours):
    """The neighbouring county X is a second top: the county's admin no longer reads all."""
    assert sees_whole_tree(county.superuser)
    admin = type(county.admin).objects.select_related("organisation").get(pk=county.admin.pk)
    assert not sees_whole_tree(admin)
    assert not sees_whole_tree(county.chair1)
