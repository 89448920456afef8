"""Collective contracts for the access sweep (``core/tests/test_access_sweep.py``): the
subtree employer's own contract, signed and not filed yet, with its text; in a
township's own subtree also a regional contract of the township covering its employer."""

from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.contracts import services

ROUTES = {
    "contracts:update": {"pk": "contract"},
    "contracts:text": {"pk": "contract"},
    "contracts:filing": {"pk": "contract"},
    "contracts:objection": {"pk": "contract"},
}


def _pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("合同.pdf", b"%PDF-1.4\n% sweep\n", content_type="application/pdf")


def build(subtree):
    today = timezone.localdate()
    starts = date(today.year, 1, 1)
    records = {
        "contract": services.contract_create(
            by=subtree.admin,
            title=f"{subtree.employer.name}集体合同",
            kind="comprehensive",
            reach="employer",
            employer=subtree.employer,
            signed_on=today - timedelta(days=3),
            starts_on=starts,
            ends_on=date(today.year + 2, 12, 31),
            text=_pdf(),
        )
    }
    if subtree.member_union is None:
        # The township's own: a regional contract for the employers of its area.
        records["regional_contract"] = services.contract_create(
            by=subtree.admin,
            title=f"{subtree.township.name}区域性工资专项集体合同",
            kind="wage",
            reach="regional",
            owner=subtree.township,
            employers=[subtree.employer],
            signed_on=today - timedelta(days=3),
            starts_on=starts,
            ends_on=date(today.year, 12, 31) + timedelta(days=365),
        )
    return records


def _today() -> str:
    return timezone.localdate().isoformat()


POST_DATA = {
    "contracts:filing": {"filed_on": _today()},
    "contracts:objection": {"objected_on": _today(), "objection": "条款不全"},
}
