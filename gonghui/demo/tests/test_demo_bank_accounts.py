"""The demo county's bank accounts are stored as aid.services stores them: encrypted,
with the lookup hash that finds an account given by several beneficiaries."""

import re

import pytest
from django.db import connection

from gonghui.aid.models import AidApplication, bank_account_hash
from gonghui.demo.tests.helpers import build


@pytest.fixture
def demo(db):
    build(7)


def test_demo_accounts_are_encrypted_with_their_hash(demo):
    applications = list(AidApplication.objects.all())
    assert applications
    for application in applications:
        account = application.plain_bank_account()
        assert re.fullmatch(r"\d{16,19}", account)
        assert application.bank_account_hash == bank_account_hash(account)
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM aid_aidapplication")
        stored = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert not any(a.plain_bank_account() in stored for a in applications[:200])
