"""Simultaneous hiring on PostgreSQL: threads on separate connections, released
together by a barrier, must never hire more workers than the posting's positions.

SQLite serialises every writer and ignores ``select_for_update``, so these run
in the PostgreSQL pass only (``make test-pg``).
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from gonghui.core.tests.concurrency import run_together
from gonghui.employment import services
from gonghui.people.services import person_create

from .conftest import valid_id

pytestmark = pytest.mark.postgres


def test_ten_simultaneous_hires_for_two_positions_hire_exactly_two(on_postgres, county, jobs):
    su = county.superuser
    applications = [jobs.a1]
    for seq in range(100, 109):
        person = person_create(
            by=su, name=f"工人{seq}", id_number=valid_id(seq), employer=county.e1
        )
        applications.append(services.job_application_create(by=su, posting=jobs.p1, person=person))
    for application in applications:
        services.job_application_advance(by=su, application=application, to_status="interviewed")

    results = run_together(
        [
            lambda a=application: services.job_application_advance(
                by=su, application=a, to_status="hired"
            )
            for application in applications
        ]
    )

    refused = [r for r in results if isinstance(r, ValidationError)]
    assert len(refused) == 8, results
    assert jobs.p1.applications.filter(status="hired").count() == jobs.p1.headcount == 2
    assert jobs.p1.applications.filter(status="interviewed").count() == 8
