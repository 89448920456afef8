"""The demo county's care data: aid in every state with a consistent ledger,
needy-worker files, outreach, spring jobs and counselling."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest
from django.core.management.base import CommandError
from django.db.models import Count, F
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.aid import duties, selectors, services
from gonghui.aid.ledger import ledger_balances
from gonghui.aid.models import (
    AidApplication,
    AidStep,
    Campaign,
    Consent,
    Fund,
    FundEntry,
    Payment,
)
from gonghui.aid.vocabularies import ACTIVE_STATES, AidStatus, EntryKind, StepAction
from gonghui.core.idnumbers import parse_id_number
from gonghui.counselling.models import Booking, BookingStatus, SessionNote
from gonghui.demo.care import care_wipe
from gonghui.demo.care_aid import MIN_AWAITING_COUNTY
from gonghui.demo.models import DemoCounty
from gonghui.demo.services import demo_county_wipe
from gonghui.demo.tests.helpers import SMALL_SCALE, build, run_demo
from gonghui.employment.models import ApplicationStatus, JobApplication, JobPosting
from gonghui.needy.models import HouseholdMember, NeedyFile
from gonghui.needy.vocabularies import FileStatus
from gonghui.outreach.models import Delivery, Visit, Wish
from gonghui.outreach.vocabularies import WishStatus


@pytest.fixture
def demo(db):
    build(7)
    return DemoCounty.objects.select_related("root").get()


def this_year() -> int:
    return timezone.localdate().year


def test_this_years_applications_stand_in_every_state(demo):
    current = AidApplication.objects.filter(year=this_year())
    statuses = set(current.values_list("status", flat=True))
    assert statuses >= {
        AidStatus.DRAFT,
        AidStatus.SUBMITTED,
        AidStatus.RETURNED,
        AidStatus.APPROVED,
        AidStatus.PAID,
        AidStatus.REJECTED,
    }
    waiting = current.filter(status=AidStatus.SUBMITTED)
    county = waiting.filter(current_level=demo.root).count()
    assert county >= MIN_AWAITING_COUNTY
    assert waiting.filter(current_level__kind="township").exists()
    assert waiting.filter(current_level__kind__in=["grassroots", "joint"]).exists()
    # Past years: about one application for five workers, mostly paid.
    past = AidApplication.objects.filter(year__lt=this_year())
    assert past.count() == SMALL_SCALE // 5
    outcomes = Counter(past.values_list("status", flat=True))
    assert outcomes[AidStatus.PAID] > 0.8 * past.count()
    assert outcomes[AidStatus.REJECTED] > 0
    assert Campaign.objects.filter(year=this_year(), status="open").count() == 6


def test_every_fund_balance_is_the_sum_of_its_ledger_rows(demo):
    funds = list(Fund.objects.all())
    assert len(funds) == Campaign.objects.count() * 16  # the county and its 15 townships
    for fund in funds:
        assert ledger_balances(fund) == (fund.reserved, fund.spent), fund
        assert fund.available >= 0
    assert FundEntry.objects.filter(kind=EntryKind.RELEASE).exists()
    # Each paid application: one payment of its amount, from its fund.
    paid = AidApplication.objects.filter(status=AidStatus.PAID)
    assert Payment.objects.count() == paid.count()
    assert not paid.exclude(payment__amount=F("amount")).exists()
    assert not paid.exclude(payment__fund=F("fund")).exists()


def test_nobody_holds_two_grants_of_a_programme_in_a_year(demo):
    active = (
        AidApplication.objects.filter(status__in=ACTIVE_STATES)
        .values("person", "programme", "year")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not active.exists()
    # The applicant's organisation and fund follow the services' rules.
    for application in AidApplication.objects.exclude(status=AidStatus.DRAFT).select_related(
        "person", "fund", "organisation"
    )[:200]:
        person = application.person
        assert application.organisation_id == (person.current_union_id or person.file_org_id)
        assert application.fund_id == services._fund_for(application).pk
        assert application.amount <= application.amount_requested


def test_health_and_income_facts_follow_a_recorded_consent(demo):
    consents = {
        (person, kind): at
        for person, kind, at in Consent.objects.values_list("person", "kind", "recorded_at")
    }
    with_facts = AidApplication.objects.exclude(diagnosis_category="", per_capita_income=None)
    assert with_facts.exists()
    for application in with_facts:
        kind = "health" if application.diagnosis_category else "income"
        recorded = consents[(application.person_id, kind)]
        assert application.submitted_at is None or recorded < application.submitted_at


def test_the_precision_flags_and_the_reports_find_something(demo):
    admin = User.objects.get(username="admin")
    flags = Counter()
    for application in AidApplication.objects.filter(year=this_year()).select_related(
        "programme", "person"
    ):
        flags.update(flag.code for flag in selectors.precision_flags(application))
    assert set(flags) >= {"shared_account", "household", "needy_exited", "not_needy"}
    assert selectors.missed_report(admin, this_year()).exists()
    rows = selectors.duplicates_report(admin, this_year())
    assert rows and all(row.programmes > 1 for row in rows)


def test_the_demo_staff_can_carry_applications_on(demo):
    admin = User.objects.get(username="admin")
    clerk = User.objects.get(username="aid_clerk")
    waiting = AidApplication.objects.filter(
        status=AidStatus.SUBMITTED, current_level=demo.root, first_county_approver=None
    ).first()
    approved = services.aid_application_approve(by=admin, application=waiting)
    assert approved.status in (AidStatus.APPROVED, AidStatus.SUBMITTED)
    assert ledger_balances(approved.fund) == (
        Fund.objects.get(pk=approved.fund_id).reserved,
        Fund.objects.get(pk=approved.fund_id).spent,
    )
    draft = AidApplication.objects.filter(status=AidStatus.DRAFT).first()
    submitted = services.aid_application_submit(by=clerk, application=draft)
    assert submitted.status == AidStatus.SUBMITTED
    assert submitted.fund is not None


def test_every_waiting_application_waits_where_a_demo_account_may_decide(demo):
    waiting = AidApplication.objects.filter(status=AidStatus.SUBMITTED).select_related(
        "current_level", "person"
    )
    assert waiting.exists()
    for application in waiting:
        assert duties.pass_up_reason(application, application.current_level) is None
    # The levels without an account were passed, with the reason, on the way.
    assert AidStep.objects.filter(action=StepAction.PASS_UP).exclude(comment="").exists()


def decider_at(application) -> User:
    """A demo account that may decide on ``application`` where it waits now."""
    return next(
        user
        for user in User.objects.filter(organisation=application.current_level).order_by("pk")
        if duties.may_decide(duties.decider_for(user), application)
    )


def test_every_chain_of_the_demo_finishes(demo):
    """From a chair's union and from a township, an application goes up to the county,
    through the second county approval above the limit, and is paid by someone other
    than the one who entered it."""
    for kinds in (["grassroots", "joint"], ["township"]):
        application = (
            AidApplication.objects.filter(status=AidStatus.SUBMITTED, current_level__kind__in=kinds)
            .select_related("current_level", "person")
            .first()
        )
        while application.status == AidStatus.SUBMITTED:
            application = services.aid_application_approve(
                by=decider_at(application), application=application
            )
        payer = next(
            user
            for user in User.objects.filter(username__in=["county_staff", "aid_reviewer"])
            if user.pk != application.entered_by_id
        )
        services.aid_application_pay(by=payer, application=application)
    above = AidApplication.objects.filter(
        status=AidStatus.SUBMITTED, first_county_approver__isnull=False
    ).first()
    second = services.aid_application_approve(by=decider_at(above), application=above)
    assert second.status == AidStatus.APPROVED


def test_needy_files_are_established_with_households_and_some_exited(demo):
    files = NeedyFile.objects.all()
    assert files.count() >= SMALL_SCALE // 100
    assert files.filter(status=FileStatus.FILED).exists()
    exited = files.filter(status=FileStatus.EXITED)
    assert exited.exists()
    assert not exited.filter(exited_on=None).exists()
    for file in files.filter(status=FileStatus.FILED):
        assert file.steps.first().action == "create"
        assert file.per_capita_income <= file.threshold or file.level == "accident"
    members = list(HouseholdMember.objects.all())
    assert members
    for member in members:
        parse_id_number(member.plain_id_number(), today=date.today())
    # One open file per person.
    assert (
        not files.exclude(status__in=["exited", "withdrawn"])
        .values("person")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )


def test_outreach_jobs_and_counselling_are_recorded(demo):
    assert Delivery.objects.exists()
    for delivery in Delivery.objects.prefetch_related("lines")[:20]:
        assert delivery.total_value == sum(line.value for line in delivery.lines.all())
    assert Visit.objects.filter(person__isnull=False).exists()
    assert Visit.objects.filter(person__isnull=True).exists()
    assert set(Wish.objects.values_list("status", flat=True)) >= {
        WishStatus.POSTED,
        WishStatus.FULFILLED,
    }
    for posting in JobPosting.objects.all():
        hired = posting.applications.filter(status=ApplicationStatus.HIRED).count()
        assert hired <= posting.headcount
    assert JobApplication.objects.filter(status=ApplicationStatus.HIRED).exists()
    statuses = set(Booking.objects.values_list("status", flat=True))
    assert statuses >= {BookingStatus.BOOKED, BookingStatus.ATTENDED}
    assert SessionNote.objects.exists()


def test_a_wipe_takes_the_care_data_with_it(demo):
    assert demo_county_wipe() == 1
    for model in (AidApplication, Fund, Consent, NeedyFile, Delivery, Visit, Wish, Booking):
        assert not model.objects.exists(), model


def test_care_data_can_be_added_to_a_county_built_without_it(demo):
    before = Counter(AidApplication.objects.values_list("status", flat=True))
    with pytest.raises(CommandError, match="already"):
        run_demo("--care-only")
    care_wipe(demo.root, whole=True)
    assert not AidApplication.objects.exists()

    run_demo("--care-only")

    assert Counter(AidApplication.objects.values_list("status", flat=True)) == before
    assert sum(entry.amount for entry in FundEntry.objects.filter(kind=EntryKind.SPEND)) == sum(
        Payment.objects.values_list("amount", flat=True), Decimal("0.00")
    )
