"""Collective contracts: the term and date rules, filing and coming into force, the
bureau's objection, the reminders, the coverage figures, and the scope."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.conftest import signed_in
from gonghui.contracts import selectors, services
from gonghui.contracts.models import CollectiveContract, ContractEmployer, ContractStatus
from gonghui.core.todo import todo_for
from gonghui.inbox.models import Message
from gonghui.orgs.models import Employer
from gonghui.portal.tests.test_card import worker

TODAY = date(2026, 3, 2)


def pdf(name="合同.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj\n", content_type="application/pdf")


def make(county, *, by=None, employer=None, today=TODAY, **overrides) -> CollectiveContract:
    fields = dict(
        title="集体合同",
        kind="comprehensive",
        reach="employer",
        employer=employer or county.e1,
        signed_on=date(2025, 12, 20),
        starts_on=date(2026, 1, 1),
        ends_on=date(2027, 12, 31),
        wage_increase=Decimal("5.50"),
        minimum_wage=Decimal("2490"),
        today=today,
    )
    fields.update(overrides)
    return services.contract_create(by=by or county.admin, **fields)


# --- term and dates -------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (date(2026, 1, 1), date(2025, 12, 31), "The term must end after it starts."),
        (date(2026, 1, 1), date(2029, 1, 1), "at most three years"),
        (date(2026, 1, 1), date(2026, 6, 30), "at least one year"),
    ],
)
def test_a_term_out_of_one_to_three_years_is_refused_and_nothing_is_written(
    county, starts, ends, message
):
    with pytest.raises(ValidationError) as refused:
        make(county, starts_on=starts, ends_on=ends, text=pdf())
    assert message in str(refused.value)
    assert not CollectiveContract.objects.exists()
    assert not ContractEmployer.objects.exists()


@pytest.mark.django_db
def test_a_three_year_term_is_accepted(county):
    contract = make(county, starts_on=date(2026, 1, 1), ends_on=date(2028, 12, 31))
    assert contract.ends_on == date(2028, 12, 31)
    assert list(contract.employers.all()) == [county.e1]
    assert contract.owner == county.g1  # the employer's union signs


@pytest.mark.django_db
def test_the_database_refuses_an_end_before_the_start(county):
    from django.db import IntegrityError, transaction

    contract = make(county)
    with pytest.raises(IntegrityError), transaction.atomic():
        CollectiveContract.objects.filter(pk=contract.pk).update(ends_on=date(2025, 1, 1))


@pytest.mark.django_db
def test_the_form_refuses_a_bad_term_with_a_message_and_writes_nothing(client, county):
    signed_in(client, county.admin)
    response = client.post(
        reverse("contracts:create"),
        {
            "title": "合同",
            "kind": "wage",
            "reach": "employer",
            "employer": county.e1.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2030-01-01",
        },
    )
    assert response.status_code == 200
    assert "at most three years" in response.content.decode()
    assert not CollectiveContract.objects.exists()


@pytest.mark.django_db
def test_a_text_that_is_not_a_document_is_refused(county):
    with pytest.raises(ValidationError) as refused:
        make(county, text=SimpleUploadedFile("x.pdf", b"<html>", content_type="application/pdf"))
    assert "Only PDF, Word" in str(refused.value)
    assert not CollectiveContract.objects.exists()


# --- filing, coming into force, objection ---------------------------------------------


@pytest.mark.django_db
def test_filing_puts_the_contract_in_force_fifteen_days_later(county):
    contract = make(county)
    assert contract.status_on(TODAY) == ContractStatus.SIGNED
    services.contract_record_filing(
        by=county.chair1, contract=contract, filed_on=date(2025, 12, 28), today=TODAY
    )
    contract.refresh_from_db()
    assert contract.in_force_on == date(2026, 1, 12)
    assert contract.status_on(date(2026, 1, 11)) == ContractStatus.FILED
    assert contract.status_on(date(2026, 1, 12)) == ContractStatus.IN_FORCE
    assert contract.status_on(date(2028, 1, 1)) == ContractStatus.EXPIRED
    assert CollectiveContract.objects.valid(date(2026, 1, 12)).get() == contract
    assert not CollectiveContract.objects.valid(date(2026, 1, 11)).exists()


@pytest.mark.django_db
def test_filing_before_signing_or_twice_is_refused(county):
    contract = make(county)
    with pytest.raises(ValidationError, match="on or after the day it is signed"):
        services.contract_record_filing(
            by=county.admin, contract=contract, filed_on=date(2025, 12, 1), today=TODAY
        )
    services.contract_record_filing(
        by=county.admin, contract=contract, filed_on=date(2025, 12, 22), today=TODAY
    )
    with pytest.raises(ValidationError, match="already recorded"):
        services.contract_record_filing(
            by=county.admin, contract=contract, filed_on=date(2025, 12, 23), today=TODAY
        )
    draft = make(county, signed_on=None)
    with pytest.raises(ValidationError, match="signing date before the filing"):
        services.contract_record_filing(
            by=county.admin, contract=draft, filed_on=date(2025, 12, 22), today=TODAY
        )
    assert draft.status_on(TODAY) == ContractStatus.DRAFT


@pytest.mark.django_db
def test_filing_is_overdue_ten_days_after_signing(county):
    contract = make(county, signed_on=date(2026, 2, 20))
    assert not contract.filing_overdue(date(2026, 3, 2))
    assert contract.filing_overdue(date(2026, 3, 3))
    assert not CollectiveContract.objects.filing_overdue(date(2026, 3, 2)).exists()
    assert CollectiveContract.objects.filing_overdue(date(2026, 3, 3)).get() == contract


@pytest.mark.django_db
def test_an_objection_keeps_the_contract_out_of_force(county):
    contract = make(county)
    services.contract_record_filing(
        by=county.admin, contract=contract, filed_on=date(2025, 12, 28), today=TODAY
    )
    with pytest.raises(ValidationError, match="within 15 days"):
        services.contract_record_objection(
            by=county.admin,
            contract=contract,
            objected_on=date(2026, 1, 13),
            objection="工资条款低于最低工资",
            today=TODAY,
        )
    with pytest.raises(ValidationError, match="what the bureau objected to"):
        services.contract_record_objection(
            by=county.admin, contract=contract, objected_on=date(2026, 1, 5), objection=" "
        )
    services.contract_record_objection(
        by=county.admin,
        contract=contract,
        objected_on=date(2026, 1, 5),
        objection="工资条款低于最低工资",
        today=TODAY,
    )
    contract.refresh_from_db()
    assert contract.in_force_on is None
    assert contract.status_on(TODAY) == ContractStatus.OBJECTED
    assert not CollectiveContract.objects.valid(TODAY).exists()
    assert CollectiveContract.objects.with_status("objected", TODAY).get() == contract


@pytest.mark.django_db
def test_filing_and_objection_through_the_pages(client, county):
    contract = make(county)
    signed_in(client, county.chair1)
    response = client.post(
        reverse("contracts:filing", args=[contract.pk]), {"filed_on": "2025-12-28"}
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.filed_on == date(2025, 12, 28)
    page = client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()
    assert 'id="filed-on">2025' in page
    assert 'id="in-force-on">2026' in page


# --- reminders and the early warning's functions --------------------------------------


def _in_force(county, *, employer, ends_on, filed_on=date(2024, 1, 10)):
    contract = make(
        county,
        employer=employer,
        signed_on=date(2024, 1, 5),
        starts_on=date(2024, 1, 1),
        ends_on=ends_on,
        today=TODAY,
    )
    services.contract_record_filing(
        by=county.admin, contract=contract, filed_on=filed_on, today=TODAY
    )
    return contract


@pytest.mark.django_db
def test_contracts_ending_within_90_days_are_a_reminder_for_the_union(county, time_machine):
    time_machine.move_to(datetime.datetime(2026, 3, 2, 9, 0))
    _in_force(county, employer=county.e1, ends_on=date(2026, 5, 30))  # 89 days
    _in_force(county, employer=county.e2, ends_on=date(2026, 12, 31))
    assert CollectiveContract.objects.expiring(TODAY).count() == 1
    items = {str(item.label): item for item in todo_for(county.chair1)}
    item = items["Collective contracts ending within 90 days"]
    assert item.count == 1
    assert item.url == reverse("contracts:list") + "?expiring=on"
    # The neighbour's union has nothing ending.
    items = {str(item.label): item for item in todo_for(county.chair2)}
    assert items["Collective contracts ending within 90 days"].count == 0


@pytest.mark.django_db
def test_employers_without_a_valid_or_with_an_expired_contract(county):
    _in_force(county, employer=county.e1, ends_on=date(2026, 12, 31))
    _in_force(county, employer=county.e2, ends_on=date(2025, 12, 31))
    employers = Employer.objects.filter(pk__in=[county.e1.pk, county.e2.pk, county.e3.pk])
    assert set(selectors.employers_with_valid_contract(employers, TODAY)) == {county.e1}
    assert set(selectors.employers_without_valid_contract(employers, TODAY)) == {
        county.e2,
        county.e3,
    }
    assert set(selectors.employers_with_expired_contract(employers, TODAY)) == {county.e2}


# --- coverage ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_coverage_counts_employers_and_workers_under_a_valid_contract(client, county):
    # E1 (60 employees, T1) has its own valid contract; a regional contract of T2 covers
    # E3 (60, T2) but is objected; E2 (60, T1) has none. Hand count: 1 of 3 employers,
    # 60 of 180 workers; T1 1 of 2, T2 0 of 1.
    _in_force(county, employer=county.e1, ends_on=date(2026, 12, 31))
    regional = make(
        county,
        reach="regional",
        employer=None,
        owner=county.t2,
        employers=[county.e3],
        signed_on=date(2025, 12, 20),
    )
    services.contract_record_filing(
        by=county.admin, contract=regional, filed_on=date(2025, 12, 21), today=TODAY
    )
    services.contract_record_objection(
        by=county.admin,
        contract=regional,
        objected_on=date(2025, 12, 30),
        objection="缺少工资调整机制",
        today=TODAY,
    )
    report = selectors.coverage_report(county.admin, today=TODAY)
    assert (report.total.employers, report.total.employers_covered) == (3, 1)
    assert (report.total.workers, report.total.workers_covered) == (180, 60)
    by_township = {row.label: row for row in report.townships}
    assert by_township[county.t1.name].employers_covered == 1
    assert by_township[county.t1.name].employers == 2
    assert by_township[county.t2.name].employers_covered == 0
    # A valid regional contract counts for its employers.
    other = make(
        county,
        reach="regional",
        employer=None,
        owner=county.t2,
        employers=[county.e3],
        signed_on=date(2025, 12, 20),
    )
    services.contract_record_filing(
        by=county.admin, contract=other, filed_on=date(2025, 12, 21), today=TODAY
    )
    report = selectors.coverage_report(county.admin, today=TODAY)
    assert report.total.employers_covered == 2
    signed_in(client, county.t1staff)
    page = client.get(reverse("contracts:coverage"))
    assert page.status_code == 200
    assert county.t2.name not in page.content.decode()


# --- scope --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_another_subtrees_contract_is_not_found(client, county):
    contract = make(county, employer=county.e1)
    for name in ("detail", "update", "text"):
        signed_in(client, county.chair2)
        assert client.get(reverse(f"contracts:{name}", args=[contract.pk])).status_code == 404
    response = client.post(
        reverse("contracts:filing", args=[contract.pk]), {"filed_on": "2025-12-28"}
    )
    assert response.status_code == 404
    contract.refresh_from_db()
    assert contract.filed_on is None


@pytest.mark.django_db
def test_an_employer_outside_scope_is_refused_without_being_named(client, county):
    signed_in(client, county.chair1)
    response = client.post(
        reverse("contracts:create"),
        {
            "title": "合同",
            "kind": "wage",
            "reach": "employer",
            "employer": county.e2.pk,
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Choose an employer in your scope." in page
    assert county.e2.name not in page
    assert not CollectiveContract.objects.exists()


@pytest.mark.django_db
def test_a_chair_sees_the_regional_contract_covering_their_employer_but_cannot_change_it(
    client, county
):
    regional = make(county, reach="regional", employer=None, owner=county.t1, employers=[county.e1])
    signed_in(client, county.chair1)
    assert client.get(reverse("contracts:detail", args=[regional.pk])).status_code == 200
    assert client.get(reverse("contracts:update", args=[regional.pk])).status_code == 404
    signed_in(client, county.chair2)
    assert client.get(reverse("contracts:detail", args=[regional.pk])).status_code == 404


@pytest.mark.django_db
def test_the_leader_reads_and_cannot_edit(client, county):
    contract = make(county)
    signed_in(client, county.leader)
    assert client.get(reverse("contracts:detail", args=[contract.pk])).status_code == 200
    assert client.get(reverse("contracts:update", args=[contract.pk])).status_code == 403
    assert client.get(reverse("contracts:create")).status_code == 403


# --- pages ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_create_through_the_page_with_the_text_then_download_it(client, county):
    signed_in(client, county.chair1)
    response = client.post(
        reverse("contracts:create"),
        {
            "title": "2026年工资专项集体合同",
            "kind": "wage",
            "reach": "employer",
            "employer": county.e1.pk,
            "signed_on": "2026-01-05",
            "starts_on": "2026-01-01",
            "ends_on": "2026-12-31",
            "wage_increase": "6",
            "text": pdf(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    contract = CollectiveContract.objects.get()
    assert contract.text_type == "application/pdf"
    download = client.get(reverse("contracts:text", args=[contract.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_the_edit_page_shows_the_record_and_saving_one_field_keeps_the_others(client, county):
    contract = make(county)
    signed_in(client, county.admin)
    page = client.get(reverse("contracts:update", args=[contract.pk])).content.decode()
    assert 'value="2027-12-31"' in page
    assert 'value="集体合同"' in page
    response = client.post(
        reverse("contracts:update", args=[contract.pk]),
        {
            "title": "新标题",
            "kind": "comprehensive",
            "employer": county.e1.pk,
            "signed_on": "2025-12-20",
            "starts_on": "2026-01-01",
            "ends_on": "2027-12-31",
            "wage_increase": "5.50",
            "minimum_wage": "2490",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert contract.title == "新标题"
    assert contract.minimum_wage == Decimal("2490")


@pytest.mark.django_db
def test_the_list_filters_and_exports(client, county):
    make(county, title="甲合同")
    make(county, title="乙合同", employer=county.e2, signed_on=None)
    signed_in(client, county.admin)
    page = client.get(reverse("contracts:list"), {"status": "draft"}).content.decode()
    assert "乙合同" in page and "甲合同" not in page
    export = client.get(reverse("contracts:list"), {"export": "xlsx"})
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxml")


@pytest.mark.django_db
def test_the_employer_page_shows_its_contracts(client, county):
    make(county, title="机械厂集体合同")
    signed_in(client, county.chair1)
    page = client.get(reverse("orgs:employer-detail", args=[county.e1.pk])).content.decode()
    assert "机械厂集体合同" in page


@pytest.mark.django_db
def test_the_members_covered_are_told_of_the_filing_and_of_an_objection(county):
    member = worker(county, 61, union=county.g1, employer=county.e1, name="合同甲")
    outsider = worker(county, 62, employer=county.e1, name="合同乙")  # not a member
    elsewhere = worker(county, 63, union=county.g2, employer=county.e2, name="合同丙")
    contract = make(county)

    services.contract_record_filing(
        by=county.admin, contract=contract, filed_on=date(2025, 12, 28), today=TODAY
    )
    told = Message.objects.get()
    assert told.person == member and contract.title in told.title
    assert "2026-01-12" in told.body  # binds from, unless the bureau objects

    services.contract_record_objection(
        by=county.admin,
        contract=contract,
        objected_on=date(2026, 1, 5),
        objection="工资条款低于最低工资",
        today=TODAY,
    )
    assert Message.objects.filter(person=member).count() == 2
    assert not Message.objects.filter(person__in=[outsider, elsewhere]).exists()
