"""Every change to a collective contract: create, edit, record the filing and the
bureau's objection. Each runs in one transaction, checks the acting user's scope,
and leaves nothing half-written (the uploaded text included)."""

from __future__ import annotations

import datetime
import zipfile
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.scope import is_in_scope
from gonghui.core.storage import store_upload
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import Notice, notify_many, workers_language
from gonghui.orgs.models import Employer, Organisation, OrgKind
from gonghui.people.models import Person

from .models import (
    MAX_TERM_YEARS,
    MIN_TERM_YEARS,
    OBJECTION_DAYS,
    CollectiveContract,
    ContractEmployer,
    ContractReach,
)

#: The largest contract text accepted (settings.CONTRACT_TEXT_MAX_BYTES).
MAX_TEXT_BYTES = 20 * 1024 * 1024
#: The kinds of file a contract text may be, told by their first bytes; the name and
#: the browser's declared type are not trusted.
SIGNATURES = (
    (b"%PDF-", "application/pdf", "pdf"),
    (b"\xff\xd8\xff", "image/jpeg", "jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
    # Word 97-2003 (.doc): an OLE2 compound file.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "application/msword", "doc"),
)
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#: Kinds of organisation that sign a regional or industry contract for many employers.
COVERING_KINDS = (OrgKind.COUNTY, OrgKind.TOWNSHIP, OrgKind.INDUSTRY, OrgKind.JOINT)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """``day`` moved by whole years; 29 February becomes 28 February."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def check_term(starts_on: datetime.date, ends_on: datetime.date) -> None:
    """A term of one to three years (集体合同规定 第三十八条): from 1 January 2025 the
    term ends on 31 December 2025 at the earliest and 31 December 2027 at the latest."""
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The term must end after it starts.")})
    if ends_on > add_years(starts_on, MAX_TERM_YEARS) - datetime.timedelta(days=1):
        raise ValidationError({"ends_on": _("A collective contract runs for at most three years.")})
    if ends_on < add_years(starts_on, MIN_TERM_YEARS) - datetime.timedelta(days=1):
        raise ValidationError({"ends_on": _("A collective contract runs for at least one year.")})


def sniff_text_type(upload) -> tuple[str, str] | None:
    """(content type, extension) of an accepted contract text, from its bytes; None otherwise."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for magic, content_type, extension in SIGNATURES:
        if head.startswith(magic):
            return content_type, extension
    if head.startswith(b"PK\x03\x04"):
        # A .docx is a ZIP holding word/document.xml; any other ZIP is refused.
        try:
            with zipfile.ZipFile(upload) as archive:
                is_word = "word/document.xml" in archive.namelist()
        except zipfile.BadZipFile:
            is_word = False
        upload.seek(0)
        if is_word:
            return DOCX_TYPE, "docx"
    return None


def max_text_bytes() -> int:
    from django.conf import settings

    return int(getattr(settings, "CONTRACT_TEXT_MAX_BYTES", MAX_TEXT_BYTES))


def _checked_text(upload) -> tuple[str, str]:
    limit = max_text_bytes()
    if upload.size > limit:
        raise ValidationError(
            {"text": _("The file is too large: at most %(mb)s MB.") % {"mb": limit // 1048576}}
        )
    kind = sniff_text_type(upload)
    if kind is None:
        raise ValidationError(
            {"text": _("Only PDF, Word (.doc, .docx), JPEG or PNG files are accepted.")}
        )
    return kind


def _check_may_edit(by) -> None:
    if not by.has_perm("contracts.change_collectivecontract"):
        raise PermissionDenied(_("You do not have the right to do this."))


def may_edit(user, contract: CollectiveContract) -> bool:
    """Whether ``user`` may change ``contract``: its union side lies in their subtree
    (a chair sees the township's regional contract covering their employer, but it
    is the township's to change)."""
    return user.has_perm("contracts.change_collectivecontract") and is_in_scope(
        user, contract.owner
    )


def _parties(
    *, by, reach: str, employer: Employer | None, owner: Organisation | None, employers
) -> tuple[Organisation, Employer | None, list[Employer]]:
    """The union side and the covered employers, each checked against the user's scope."""
    if reach == ContractReach.EMPLOYER:
        if employer is None:
            raise ValidationError({"employer": _("Choose the employer.")})
        if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
            raise ValidationError({"employer": _("Choose an employer in your scope.")})
        # The employer's union signs; an employer without one is guided by its township.
        owner = employer.union or employer.township
        return owner, employer, [employer]
    if owner is None:
        raise ValidationError({"owner": _("Choose the union that signs for the employers.")})
    if owner.kind not in COVERING_KINDS or not is_in_scope(by, owner):
        raise ValidationError(
            {"owner": _("Choose a township, industry or joint union in your scope.")}
        )
    employers = list(employers or [])
    if not employers:
        raise ValidationError({"employers": _("Choose the employers the contract covers.")})
    in_scope = set(
        Employer.objects.for_user(by)
        .filter(pk__in=[e.pk for e in employers])
        .values_list("pk", flat=True)
    )
    if len(in_scope) != len({e.pk for e in employers}):
        raise ValidationError({"employers": _("Choose only employers in your scope.")})
    return owner, None, employers


def _store_text(contract: CollectiveContract, upload, kind: tuple[str, str]) -> None:
    content_type, extension = kind
    contract.text_name = upload.name[:200]
    contract.text_type = content_type
    store_upload(contract.text, f"contract.{extension}", upload, field="text")


def _check_dates(*, signed_on, starts_on, ends_on, today) -> None:
    check_term(starts_on, ends_on)
    if signed_on is not None and signed_on > today:
        raise ValidationError({"signed_on": _("The signing date cannot be in the future.")})


def _save_with_text(contract: CollectiveContract, upload, kind, old_name: str = "") -> None:
    """Save ``contract`` with its new text (if any); a failed save leaves no file behind,
    and a replaced text is deleted once the new one is committed."""
    if upload is not None:
        _store_text(contract, upload, kind)
    try:
        with transaction.atomic():
            contract.full_clean(exclude=["text", "created_by"])
            contract.save()
    except Exception:
        if upload is not None:
            contract.text.delete(save=False)
        raise
    if upload is not None and old_name:
        storage = contract.text.storage
        transaction.on_commit(lambda: storage.delete(old_name))


def contract_create(
    *,
    by,
    title: str,
    kind: str,
    reach: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    employer: Employer | None = None,
    owner: Organisation | None = None,
    employers=None,
    signed_on: datetime.date | None = None,
    wage_increase: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    text=None,
    today: datetime.date | None = None,
) -> CollectiveContract:
    """Record a contract (a draft until its signing date is given)."""
    if not by.has_perm("contracts.add_collectivecontract"):
        raise PermissionDenied(_("You do not have the right to do this."))
    today = today or timezone.localdate()
    _check_dates(signed_on=signed_on, starts_on=starts_on, ends_on=ends_on, today=today)
    owner, employer, covered = _parties(
        by=by, reach=reach, employer=employer, owner=owner, employers=employers
    )
    kind_of_text = _checked_text(text) if text is not None else None
    contract = CollectiveContract(
        title=title,
        kind=kind,
        reach=reach,
        owner=owner,
        employer=employer,
        signed_on=signed_on,
        starts_on=starts_on,
        ends_on=ends_on,
        wage_increase=wage_increase,
        minimum_wage=minimum_wage,
        created_by=by,
    )
    with transaction.atomic():
        _save_with_text(contract, text, kind_of_text)
        ContractEmployer.objects.bulk_create(
            ContractEmployer(contract=contract, employer=e) for e in covered
        )
    return contract


def contract_update(
    *,
    by,
    contract: CollectiveContract,
    title: str,
    kind: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    employer: Employer | None = None,
    owner: Organisation | None = None,
    employers=None,
    signed_on: datetime.date | None = None,
    wage_increase: Decimal | None = None,
    minimum_wage: Decimal | None = None,
    text=None,
    today: datetime.date | None = None,
) -> CollectiveContract:
    """Change a contract's terms; its reach stays what it was. A filed contract keeps
    its signing date (the filing was of that text)."""
    _check_may_edit(by)
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = (
            CollectiveContract.objects.for_user(by).select_for_update().filter(pk=contract.pk)
        ).first()
        if contract is None or not may_edit(by, contract):
            raise PermissionDenied(_("This contract is not yours to change."))
        if contract.filed_on is not None and signed_on != contract.signed_on:
            raise ValidationError(
                {"signed_on": _("The contract is filed: its signing date cannot change.")}
            )
        if contract.filed_on is not None and signed_on is None:
            raise ValidationError({"signed_on": _("A filed contract has a signing date.")})
        _check_dates(signed_on=signed_on, starts_on=starts_on, ends_on=ends_on, today=today)
        new_owner, new_employer, covered = _parties(
            by=by, reach=contract.reach, employer=employer, owner=owner, employers=employers
        )
        kind_of_text = _checked_text(text) if text is not None else None
        old_name = contract.text.name if contract.text else ""
        contract.title = title
        contract.kind = kind
        contract.owner = new_owner
        contract.employer = new_employer
        contract.signed_on = signed_on
        contract.starts_on = starts_on
        contract.ends_on = ends_on
        contract.wage_increase = wage_increase
        contract.minimum_wage = minimum_wage
        _save_with_text(contract, text, kind_of_text, old_name)
        wanted = {e.pk for e in covered}
        contract.coverage_rows.exclude(employer_id__in=wanted).delete()
        kept = set(contract.coverage_rows.values_list("employer_id", flat=True))
        ContractEmployer.objects.bulk_create(
            ContractEmployer(contract=contract, employer_id=pk) for pk in wanted - kept
        )
    return contract


def _locked_editable(by, contract: CollectiveContract) -> CollectiveContract:
    _check_may_edit(by)
    locked = (
        CollectiveContract.objects.for_user(by).select_for_update().filter(pk=contract.pk)
    ).first()
    if locked is None or not may_edit(by, locked):
        raise PermissionDenied(_("This contract is not yours to change."))
    return locked


def contract_record_filing(
    *, by, contract: CollectiveContract, filed_on: datetime.date, today: datetime.date | None = None
) -> CollectiveContract:
    """The day the text reached the human-resources bureau: the contract is in force 15
    days later unless the bureau objects (集体合同规定 第四十七条)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        contract = _locked_editable(by, contract)
        if contract.signed_on is None:
            raise ValidationError({"filed_on": _("Record the signing date before the filing.")})
        if contract.filed_on is not None:
            raise ValidationError({"filed_on": _("The filing is already recorded.")})
        if filed_on < contract.signed_on:
            raise ValidationError(
                {"filed_on": _("A contract is filed on or after the day it is signed.")}
            )
        if filed_on > today:
            raise ValidationError({"filed_on": _("The filing date cannot be in the future.")})
        contract.filed_on = filed_on
        contract.in_force_on = filed_on + datetime.timedelta(days=OBJECTION_DAYS)
        contract.save(update_fields=["filed_on", "in_force_on", "updated_at"])
        _tell_filed(contract)
    return contract


def _tell_members(contract: CollectiveContract, *, event: str, title: str, body: str) -> None:
    """The members working at the employers the contract covers are told of its filing
    or of the bureau's objection (in the same transaction; once per contract and event)."""
    members = Person.objects.filter(
        employer_id__in=contract.employers.values("pk"), current_union__isnull=False
    )
    notify_many(
        Notice(
            person=Person(pk=person_id),
            kind=MessageKind.GENERAL,
            title=title,
            body=body,
            key=f"contract-{contract.pk}-{event}",
        )
        for person_id in members.values_list("pk", flat=True).iterator()
    )


def _tell_filed(contract: CollectiveContract) -> None:
    with workers_language():
        _tell_members(
            contract,
            event="filed",
            title=_("A collective contract covers you: %(title)s") % {"title": contract.title},
            body=_(
                "%(union)s signed it on %(signed)s for %(start)s to %(end)s. It binds from "
                "%(in_force)s unless the human-resources bureau objects before then."
            )
            % {
                "union": contract.owner.name,
                "signed": contract.signed_on.isoformat(),
                "start": contract.starts_on.isoformat(),
                "end": contract.ends_on.isoformat(),
                "in_force": contract.in_force_on.isoformat(),
            },
        )


def contract_record_objection(
    *,
    by,
    contract: CollectiveContract,
    objected_on: datetime.date,
    objection: str,
    today: datetime.date | None = None,
) -> CollectiveContract:
    """The bureau's objection (审查意见), raised within 15 days of the filing: the
    contract does not come into force; the parties negotiate again."""
    today = today or timezone.localdate()
    objection = (objection or "").strip()
    with transaction.atomic():
        contract = _locked_editable(by, contract)
        if contract.filed_on is None:
            raise ValidationError({"objected_on": _("Record the filing before an objection.")})
        if contract.objected_on is not None:
            raise ValidationError({"objected_on": _("The objection is already recorded.")})
        if not objection:
            raise ValidationError({"objection": _("Write down what the bureau objected to.")})
        if objected_on < contract.filed_on:
            raise ValidationError(
                {"objected_on": _("The bureau objects on or after the day of filing.")}
            )
        if objected_on > contract.filed_on + datetime.timedelta(days=OBJECTION_DAYS):
            raise ValidationError(
                {
                    "objected_on": _(
                        "The bureau objects within %(days)s days of the filing; after that "
                        "the contract is in force."
                    )
                    % {"days": OBJECTION_DAYS}
                }
            )
        if objected_on > today:
            raise ValidationError({"objected_on": _("The objection date cannot be in the future.")})
        contract.objected_on = objected_on
        contract.objection = objection
        contract.in_force_on = None
        contract.save(update_fields=["objected_on", "objection", "in_force_on", "updated_at"])
        with workers_language():
            _tell_members(
                contract,
                event="objected",
                title=_("The collective contract does not bind yet: %(title)s")
                % {"title": contract.title},
                body=_(
                    "The human-resources bureau objected to it on %(date)s. %(union)s will "
                    "negotiate it again."
                )
                % {"date": objected_on.isoformat(), "union": contract.owner.name},
            )
    return contract
