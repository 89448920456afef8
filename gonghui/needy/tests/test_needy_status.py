"""``needy_status`` and ``registered_needy_people``: what the aid app builds on."""

from __future__ import annotations

import datetime as dt

from gonghui.needy import services
from gonghui.needy.selectors import NeedyState, needy_status, registered_needy_people
from gonghui.needy.vocabularies import ExitReason, Level

from .conftest import TZ, establish, open_file


def test_a_person_never_filed_has_status_none(workers):
    status = needy_status(workers.w1)
    assert status.status == NeedyState.NONE
    assert not status.is_filed
    assert not status.establishing


def test_a_file_being_established_is_not_yet_filed(county, workers):
    open_file(county.t1staff, workers.w1)
    status = needy_status(workers.w1.pk)
    assert status.status == NeedyState.NONE
    assert status.establishing


def test_a_filed_file_gives_its_level_and_date(county, workers, clock):
    file = establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)
    status = needy_status(workers.w1)
    assert status.is_filed
    assert (status.level, status.filed_on, status.file_id) == (
        Level.RELATIVE,
        file.filed_on,
        file.pk,
    )
    assert status.exited_on is None


def test_an_exited_file_gives_the_exit_date(county, workers, clock):
    file = establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)
    services.needy_file_exit(
        by=county.t1staff, file=file, exited_on=file.filed_on, reason=ExitReason.RECOVERY
    )
    status = needy_status(workers.w1)
    assert status.has_exited
    assert status.exited_on == file.filed_on


def test_a_new_filing_after_an_exit_counts_as_filed(county, workers, clock):
    first = establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)
    services.needy_file_exit(
        by=county.t1staff, file=first, exited_on=first.filed_on, reason=ExitReason.RECOVERY
    )
    clock.move_to(dt.datetime(2026, 6, 1, 10, 0, tzinfo=TZ))
    second = establish(
        open_file(county.t1staff, workers.w1, level=Level.DEEP), county.t1staff, clock
    )
    status = needy_status(workers.w1)
    assert status.is_filed
    assert (status.file_id, status.level) == (second.pk, Level.DEEP)


def test_registered_needy_people_are_those_with_a_file_active_in_the_year(county, workers, clock):
    w1_file = establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)
    establish(open_file(county.t2staff, workers.w3), county.t2staff, clock)
    open_file(county.t1staff, workers.w2)  # still being established
    services.needy_file_exit(
        by=county.t1staff, file=w1_file, exited_on=w1_file.filed_on, reason=ExitReason.RECOVERY
    )

    assert set(registered_needy_people(2026, county.admin)) == {workers.w1, workers.w3}
    assert set(registered_needy_people(2025, county.admin)) == set()
    # Exited in 2026: not registered in 2027.
    assert set(registered_needy_people(2027, county.admin)) == {workers.w3}


def test_registered_needy_people_respect_the_scope(county, workers, clock):
    establish(open_file(county.t1staff, workers.w1), county.t1staff, clock)
    establish(open_file(county.t2staff, workers.w3), county.t2staff, clock)
    assert list(registered_needy_people(2026, county.t1staff)) == [workers.w1]
    assert list(registered_needy_people(2026, county.chair1)) == [workers.w1]
    assert list(registered_needy_people(2026, county.chair2)) == []
    assert list(registered_needy_people(2026, county.t2staff)) == [workers.w3]
