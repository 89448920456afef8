"""Precision (精准): one grant per person, programme and year across organisations,
held by the database; flags for households, shared accounts and exited needy files;
the missed, duplicates and public notice reports."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from gonghui.accounts.models import Role
from gonghui.aid import selectors, services
from gonghui.aid.models import AidApplication
from gonghui.aid.vocabularies import AidStatus
from gonghui.conftest import make_user

from .conftest import YEAR, approve_all_levels, register, relief_application
from .needy_files import needy_file


def test_a_second_grant_of_the_programme_in_the_year_is_refused_even_from_another_organisation(
    county, aid
):
    relief_application(county, aid)
    second = services.aid_application_create(
        by=county.admin,
        campaign=aid.relief_campaign,
        person=aid.p1,
        amount_requested=Decimal("100.00"),
        bank_account="6222020200009999",
    )
    with pytest.raises(ValidationError, match="as often as the programme allows"):
        services.aid_application_submit(by=county.admin, application=second)
    second.refresh_from_db()
    assert second.status == AidStatus.DRAFT


def test_the_database_itself_refuses_a_second_active_grant(county, aid):
    first = relief_application(county, aid)
    duplicate = AidApplication.objects.get(pk=first.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_programme_allowing_two_grants_a_year_takes_two_and_refuses_the_third(county, aid):
    aid.relief.grants_per_year = 2
    aid.relief.save()
    first = relief_application(county, aid, amount="100.00")
    second = relief_application(county, aid, amount="100.00")
    assert (first.slot, second.slot) == (1, 2)
    with pytest.raises(ValidationError, match="as often as the programme allows"):
        relief_application(county, aid, amount="100.00")


def test_a_shared_bank_account_is_flagged(county, aid):
    relief_application(county, aid, account="6222000011112222")
    other = relief_application(
        county, aid, person=aid.p2, by=county.chair2, account="6222000011112222"
    )
    codes = [flag.code for flag in selectors.precision_flags(other)]
    assert codes == ["shared_account"]


def test_a_household_already_helped_is_flagged(county, aid):
    needy_file(aid.p2, county.g2, household=(aid.p1,))
    relief_application(county, aid)
    other = relief_application(county, aid, person=aid.p2, by=county.chair2, account="1")
    assert "household" in [flag.code for flag in selectors.precision_flags(other)]


def test_nobody_approves_aid_for_their_household(county, aid):
    from django.core.exceptions import PermissionDenied

    clerk_person = register(county, 21, "钱五", county.e1)
    services.staff_person_link(by=county.admin, user=aid.g1clerk, person=clerk_person)
    needy_file(aid.p1, county.g1, household=(clerk_person,))
    make_user("g1third", county.g1, Role.GRASSROOTS_CHAIR)  # so G1 keeps a decider
    application = relief_application(county, aid)
    with pytest.raises(PermissionDenied, match="their own household"):
        services.aid_application_approve(by=aid.g1clerk, application=application)


def test_a_person_whose_needy_file_has_exited_is_flagged_for_needy_only_programmes(county, aid):
    aid.relief.needy_only = True
    aid.relief.save()
    needy_file(aid.p1, county.g1, exited_on=date(YEAR, 2, 1))
    application = relief_application(county, aid)
    assert [flag.code for flag in selectors.precision_flags(application)] == ["needy_exited"]


def test_the_missed_report_lists_needy_workers_with_nothing_this_year(county, aid):
    needy_file(aid.p1, county.g1)
    needy_file(aid.p2, county.g2)
    approve_all_levels(county, aid, relief_application(county, aid))
    missed = list(selectors.missed_report(county.admin, YEAR))
    assert missed == [aid.p2]
    assert list(selectors.missed_report(county.chair1, YEAR)) == []


def test_the_duplicates_report_lists_people_helped_by_several_programmes_with_totals(county, aid):
    from .conftest import illness_consent

    approve_all_levels(county, aid, relief_application(county, aid, amount="1000.00"))
    illness_consent(county, aid.p1)
    illness = services.aid_application_create(
        by=county.chair1,
        campaign=aid.illness_campaign,
        person=aid.p1,
        amount_requested=Decimal("3000.00"),
        diagnosis_category="cancer",
        total_cost=Decimal("10000.00"),
        insurance_reimbursement=Decimal("2000.00"),
        bank_account="6222020200001111",
    )
    illness = services.aid_application_submit(by=county.chair1, application=illness)
    approve_all_levels(county, aid, illness)
    rows = selectors.duplicates_report(county.admin, YEAR)
    assert [(r.person, r.programmes, r.grants, r.total) for r in rows] == [
        (aid.p1, 2, 2, Decimal("4000.00"))
    ]
    assert selectors.duplicates_report(county.chair2, YEAR) == []
