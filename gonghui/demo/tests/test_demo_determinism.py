import pytest

from gonghui.demo.tests.helpers import build, snapshot


@pytest.mark.django_db
def test_the_same_seed_builds_the_same_county():
    build(7)
    first = snapshot()
    build(7, "--force")
    assert snapshot() == first
    assert first["organisations"] and first["employers"] and first["users"]


@pytest.mark.django_db
def test_another_seed_builds_another_county():
    build(7)
    first = snapshot()
    build(8, "--force")
    second = snapshot()

    def names(rows):
        return {row[1] for row in rows}

    def credit_codes(rows, column):
        return {row[column] for row in rows}

    assert names(first["organisations"]) != names(second["organisations"])
    assert not names(first["employers"]) & names(second["employers"]) - {None}
    assert not credit_codes(first["employers"], 0) & credit_codes(second["employers"], 0)
    # The codes of the tree follow one scheme whatever the seed.
    assert {row[0] for row in first["organisations"]} >= {"C", "T01", "T15", "I01", "J01"}
