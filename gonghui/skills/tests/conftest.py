"""The people of the shared test county (people/tests/conftest.py) for the skill tests."""

from gonghui.people.tests.conftest import people, uncovered_t1_employer  # noqa: F401
