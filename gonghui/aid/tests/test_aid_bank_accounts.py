"""Bank accounts are stored encrypted and shown masked: the edit page never shows one
in full (left empty it keeps the stored one, a paid application's cannot change),
and the bank's payment file, which needs them in full, logs each as a reveal."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from openpyxl import load_workbook

from gonghui.accounts.models import Role
from gonghui.aid import services
from gonghui.aid.models import AidApplication, bank_account_hash, mask_bank_account
from gonghui.conftest import make_user
from gonghui.people.models import RevealLog

from .conftest import approve_all_levels, relief_application
from .pages import duplicate_ids

ACCOUNT = "6222020200001111"
MASKED = "6222********1111"
OTHER = "6228480000005678"


def edit_data(application, **changes) -> dict:
    data = {
        "amount_requested": str(application.amount_requested),
        "reason": application.reason,
        "bank_name": application.bank_name,
        "bank_account": "",
    }
    return {**data, **changes}


def raw_row(application) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM aid_aidapplication WHERE id = %s", [application.pk])
        return cursor.fetchone()


def test_an_account_is_masked_by_its_first_and_last_four_digits():
    assert mask_bank_account(ACCOUNT) == MASKED
    assert mask_bank_account("12345678") == "********"
    assert mask_bank_account("") == ""


def test_the_database_holds_no_plain_account(county, aid):
    application = relief_application(county, aid, account=ACCOUNT)
    row = raw_row(application)
    assert not any(ACCOUNT in str(value) for value in row)
    assert application.bank_account_hash == bank_account_hash(ACCOUNT)
    application.refresh_from_db()
    assert application.plain_bank_account() == ACCOUNT
    assert application.masked_bank_account() == MASKED


def test_pages_show_the_account_masked(county, aid, client_for):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    client = client_for(county.admin)
    for url in (f"/aid/{application.pk}/", "/aid/payments/"):
        page = client.get(url).content.decode()
        assert MASKED in page, url
        assert ACCOUNT not in page, url
        assert duplicate_ids(page) == [], url


def test_the_edit_page_shows_the_account_masked_never_in_full(county, aid, client_for):
    application = services.aid_application_update(
        by=county.chair1,
        application=services.aid_application_return(
            by=aid.g1clerk, application=relief_application(county, aid), comment="缺少证明"
        ),
        amount_requested=Decimal("1000.00"),
        reason="家庭困难",
    )
    response = client_for(county.chair1).get(f"/aid/{application.pk}/edit/")
    page = response.content.decode()
    assert response.status_code == 200
    assert ACCOUNT not in page
    assert f'placeholder="{MASKED}"' in page
    assert f"Stored: {MASKED}. Leave empty to keep it" in page
    assert duplicate_ids(page) == []


def test_an_empty_account_on_the_edit_page_keeps_the_stored_one(county, aid, client_for):
    application = services.aid_application_return(
        by=aid.g1clerk, application=relief_application(county, aid), comment="缺少证明"
    )
    before = application.bank_account_encrypted
    response = client_for(county.chair1).post(
        f"/aid/{application.pk}/edit/", edit_data(application, reason="家中失火")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reason == "家中失火"
    assert application.bank_account_encrypted == before
    assert application.plain_bank_account() == ACCOUNT


def test_a_new_account_on_the_edit_page_replaces_the_stored_one(county, aid, client_for):
    application = services.aid_application_return(
        by=aid.g1clerk, application=relief_application(county, aid), comment="账号错误"
    )
    response = client_for(county.chair1).post(
        f"/aid/{application.pk}/edit/", edit_data(application, bank_account="6228 4800 0000 1234")
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.plain_bank_account() == "6228480000001234"
    assert application.bank_account_hash == bank_account_hash("6228480000001234")
    assert "6228480000001234" not in str(raw_row(application))


def test_a_paid_applications_account_cannot_be_changed(county, aid, client_for):
    application = approve_all_levels(county, aid, relief_application(county, aid))
    services.aid_application_pay(by=county.admin, application=application)
    client = client_for(county.chair1)

    page = client.get(f"/aid/{application.pk}/edit/").content.decode()
    assert ACCOUNT not in page
    assert "The bank account of a paid application cannot be changed." in page

    with pytest.raises(ValidationError, match="paid application cannot be changed"):
        services.aid_application_update(
            by=county.chair1,
            application=application,
            amount_requested=Decimal("1000.00"),
            bank_account="6228480000001234",
        )
    client.post(
        f"/aid/{application.pk}/edit/", edit_data(application, bank_account="6228480000001234")
    )
    application.refresh_from_db()
    assert application.plain_bank_account() == ACCOUNT


def test_the_payment_file_carries_accounts_in_full_and_logs_each(county, aid, client_for):
    approve_all_levels(county, aid, relief_application(county, aid))
    g2clerk = make_user("g2clerk", county.g2, Role.GRASSROOTS_CHAIR)
    second = relief_application(county, aid, person=aid.p2, by=county.chair2, account=OTHER)
    for approver in (g2clerk, county.t1staff, county.admin):
        second = services.aid_application_approve(by=approver, application=second)

    response = client_for(county.admin).get("/aid/payments/export/", REMOTE_ADDR="10.0.0.7")

    rows = list(load_workbook(BytesIO(response.content)).active.values)
    assert sorted(row[3] for row in rows[1:]) == sorted([ACCOUNT, OTHER])
    reveals = RevealLog.objects.order_by("person__pk")
    assert [(r.by, r.person, r.field, r.ip_address) for r in reveals] == [
        (county.admin, aid.p1, "bank_account", "10.0.0.7"),
        (county.admin, aid.p2, "bank_account", "10.0.0.7"),
    ]
    log = client_for(county.admin).get("/people/reveals/").content.decode()
    assert "bank account" in log


def test_the_person_page_does_not_reveal_bank_accounts(county, aid, client_for):
    response = client_for(county.admin).post(f"/people/{aid.p1.pk}/reveal/bank_account/")
    assert response.status_code == 404
    assert not RevealLog.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_data_migration_encrypts_plain_accounts_and_back(county, aid):
    application = relief_application(county, aid, account=ACCOUNT)
    executor = MigrationExecutor(connection)
    before = [("aid", "0002_bank_account_encrypted")]
    latest = executor.loader.graph.leaf_nodes("aid")
    try:
        executor.migrate(before)  # backwards: the plain column comes back, filled
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT bank_account FROM aid_aidapplication WHERE id = %s", [application.pk]
            )
            assert cursor.fetchone() == (ACCOUNT,)
            cursor.execute(
                "UPDATE aid_aidapplication SET bank_account_encrypted = '', "
                "bank_account_hash = '' WHERE id = %s",
                [application.pk],
            )
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    stored = AidApplication.objects.get(pk=application.pk)
    assert stored.plain_bank_account() == ACCOUNT
    assert stored.bank_account_hash == bank_account_hash(ACCOUNT)
    assert not any(ACCOUNT in str(value) for value in raw_row(stored))
