"""Encrypt the bank accounts kept in plain text into ``bank_account_encrypted`` with
their lookup hash; backwards, decrypt them into the plain column again.

The context and the hash purpose are those of ``aid.models`` (BANK_ACCOUNT_CONTEXT,
BANK_ACCOUNT_HASH), written out here: a migration does not import app code.
"""

from django.db import migrations

from gonghui.core.crypto import decrypt, encrypt, keyed_hash, keyring

CONTEXT = "aid.aidapplication.bank_account"
HASH_PURPOSE = "bank-account"
BATCH = 1000


def _batches(queryset):
    """Rows of ``queryset`` in primary-key batches (keyset pagination)."""
    last = 0
    while True:
        rows = list(queryset.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt_accounts(apps, schema_editor):
    AidApplication = apps.get_model("aid", "AidApplication")
    ring = keyring()
    plain = AidApplication.objects.exclude(bank_account="").only("pk", "bank_account")
    for rows in _batches(plain):
        for row in rows:
            row.bank_account_encrypted = encrypt(row.bank_account, context=CONTEXT, ring=ring)
            row.bank_account_hash = keyed_hash(row.bank_account, purpose=HASH_PURPOSE, ring=ring)
        AidApplication.objects.bulk_update(rows, ["bank_account_encrypted", "bank_account_hash"])


def decrypt_accounts(apps, schema_editor):
    AidApplication = apps.get_model("aid", "AidApplication")
    sealed = AidApplication.objects.exclude(bank_account_encrypted="").only(
        "pk", "bank_account_encrypted"
    )
    for rows in _batches(sealed):
        for row in rows:
            row.bank_account = decrypt(row.bank_account_encrypted, context=CONTEXT)
        AidApplication.objects.bulk_update(rows, ["bank_account"])


class Migration(migrations.Migration):
    dependencies = [
        ("aid", "0002_bank_account_encrypted"),
    ]

    operations = [
        migrations.RunPython(encrypt_accounts, decrypt_accounts, elidable=False),
    ]
