"""Needy-worker files for aid tests, written straight to the needy tables: the way
a file is established is the needy app's concern and tested there."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from gonghui.needy.models import HouseholdMember, NeedyFile
from gonghui.people.models import Person


def needy_file(
    person: Person,
    organisation,
    *,
    filed_on: date = date(2025, 3, 1),
    exited_on: date | None = None,
    household: tuple[Person, ...] = (),
) -> NeedyFile:
    file = NeedyFile.objects.create(
        person=person,
        organisation=organisation,
        origin="referral",
        status="exited" if exited_on else "filed",
        level="relative",
        standard="county",
        household_income=Decimal("12000.00"),
        filed_on=filed_on,
        exited_on=exited_on,
        exit_reason="income" if exited_on else "",
    )
    for member in household:
        HouseholdMember.objects.create(
            file=file, name=member.name, relation="spouse", id_hash=member.id_hash
        )
    return file
