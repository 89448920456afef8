"""Every change to programmes, campaigns, funds and aid applications.

An application moves draft → submitted → (one approval per level of the tree
above the applicant's union) → approved → paid; at any level it may be
returned for more information or rejected. Each transition locks the
application row, checks its state again under the lock, and writes an
:class:`AidStep`; money moves only through ``aid.ledger``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.scope import is_in_scope
from gonghui.needy.selectors import people_sharing_household
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person

from . import ledger
from .models import (
    AidApplication,
    AidStep,
    Campaign,
    Consent,
    Fund,
    Payment,
    Programme,
    StaffPerson,
)
from .vocabularies import (
    ACTIVE_STATES,
    DEFAULT_FACTS,
    HEALTH_FACTS,
    INCOME_FACTS,
    AidStatus,
    CampaignStatus,
    ConsentKind,
    Fact,
    StepAction,
)

CENT = Decimal("0.01")

#: Facts an application form may carry, besides the amount and the reason.
FACT_FIELDS = (
    "child_name",
    "school",
    "admission_year",
    "diagnosis_category",
    "total_cost",
    "insurance_reimbursement",
    "per_capita_income",
    "bank_name",
    "bank_account",
)


# --- programmes, campaigns, funds ----------------------------------------------------


def _require(by, permission: str) -> None:
    if not by.has_perm(permission):
        raise PermissionDenied(_("You do not have the right to do this."))


def programme_create(*, by, name: str, kind: str, **rules) -> Programme:
    """A programme; its required facts default to what the kind needs."""
    _require(by, "aid.add_programme")
    rules.setdefault("required_facts", [str(f) for f in DEFAULT_FACTS.get(kind, [])])
    programme = Programme(name=name, kind=kind, **rules)
    programme.full_clean()
    programme.save()
    return programme


def campaign_create(
    *,
    by,
    programme: Programme,
    year: int,
    organisation: Organisation,
    starts_on: date,
    ends_on: date,
    status: str = CampaignStatus.OPEN,
) -> Campaign:
    _require(by, "aid.add_campaign")
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("This organisation is outside your scope."))
    campaign = Campaign(
        programme=programme,
        year=year,
        organisation=organisation,
        starts_on=starts_on,
        ends_on=ends_on,
        status=status,
    )
    campaign.full_clean()
    campaign.save()
    return campaign


def fund_create(*, by, campaign: Campaign, organisation: Organisation, budget: Decimal) -> Fund:
    _require(by, "aid.add_fund")
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("This organisation is outside your scope."))
    fund = Fund(campaign=campaign, organisation=organisation, budget=budget)
    fund.full_clean()
    fund.save()
    return fund


# --- consent ---------------------------------------------------------------------------


def consent_record(*, by, person: Person, kind: str, notice_version: str) -> Consent:
    """Record the worker's separate consent (PIPL 第二十九条) to health or income facts."""
    _require(by, "aid.add_consent")
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))
    if not notice_version.strip():
        raise ValidationError({"notice_version": _("Name the version of the notice shown.")})
    return Consent.objects.create(
        person=person, kind=kind, notice_version=notice_version.strip(), recorded_by=by
    )


def has_consent(person: Person, kind: str) -> bool:
    return Consent.objects.filter(person=person, kind=kind).exists()


# --- applications: entering --------------------------------------------------------------


def approval_chain(organisation: Organisation) -> list[int]:
    """Ids of the levels that approve, from the applicant's organisation up to the root."""
    return list(reversed([*organisation.ancestor_ids(), organisation.pk]))


def rule_cap(application: AidApplication) -> Decimal | None:
    """The most the programme's rule allows for this application (None: no cap)."""
    programme = application.programme
    caps = []
    if programme.max_amount is not None:
        caps.append(programme.max_amount)
    if programme.medical_share is not None and application.out_of_pocket is not None:
        caps.append((programme.medical_share * application.out_of_pocket).quantize(CENT))
    return min(caps) if caps else None


def _filled(value) -> bool:
    return value not in (None, "")


def _check_facts(application: AidApplication) -> None:
    """Required facts present, consent recorded, the amount within the rule."""
    errors: dict[str, list[str]] = {}
    programme = application.programme
    for fact in programme.required_facts or []:
        if not _filled(application.fact_value(fact)):
            errors.setdefault(fact, []).append(
                _("The programme needs this: %(fact)s.") % {"fact": Fact(fact).label}
            )
    if programme.income_threshold is not None and not _filled(application.per_capita_income):
        errors.setdefault("per_capita_income", []).append(
            _("The programme needs the household income per person.")
        )
    for facts, kind in ((HEALTH_FACTS, ConsentKind.HEALTH), (INCOME_FACTS, ConsentKind.INCOME)):
        given = [f for f in facts if _filled(application.fact_value(f))]
        if given and not has_consent(application.person, kind):
            for fact in given:
                errors.setdefault(fact, []).append(
                    _(
                        "Record the worker's separate consent to %(kind)s first; "
                        "until then this cannot be collected."
                    )
                    % {"kind": ConsentKind(kind).label.lower()}
                )
    if (
        programme.income_threshold is not None
        and _filled(application.per_capita_income)
        and application.per_capita_income > programme.income_threshold
    ):
        errors.setdefault("per_capita_income", []).append(
            _("The income per person is above the programme's threshold of ¥%(limit)s.")
            % {"limit": programme.income_threshold}
        )
    amount = application.amount
    if amount is None or amount <= 0 or amount != amount.quantize(CENT):
        errors.setdefault("amount_requested", []).append(
            _("The amount is a positive sum in yuan with at most two decimals.")
        )
    else:
        cap = rule_cap(application)
        if cap is not None and amount > cap:
            errors.setdefault("amount_requested", []).append(
                _("¥%(amount)s is above what the programme's rule allows here: ¥%(cap)s.")
                % {"amount": amount, "cap": cap}
            )
    if errors:
        raise ValidationError(errors)


def _applicant_org(person: Person) -> Organisation:
    return person.current_union or person.file_org


def aid_application_create(
    *,
    by,
    campaign: Campaign,
    person: Person,
    amount_requested: Decimal,
    reason: str = "",
    **facts,
) -> AidApplication:
    """A draft application; its facts are checked now and again on submit."""
    _require(by, "aid.add_aidapplication")
    person = (
        Person.objects.for_user(by)
        .select_related("current_union", "file_org")
        .filter(pk=person.pk)
        .first()
    )
    if person is None:
        raise PermissionDenied(_("This person is outside your scope."))
    if not Campaign.objects.for_user(by).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("This campaign is outside your scope."))
    application = AidApplication(
        campaign=campaign,
        programme=campaign.programme,
        year=campaign.year,
        person=person,
        organisation=_applicant_org(person),
        amount_requested=amount_requested,
        amount=amount_requested,
        reason=reason,
        entered_by=by,
        **{k: v for k, v in facts.items() if k in FACT_FIELDS},
    )
    _check_facts(application)
    application.save()
    return application


def _in_scope_locked(by, application: AidApplication) -> AidApplication:
    """The application, locked, if ``by`` may see it; PermissionDenied otherwise."""
    locked = (
        AidApplication.objects.for_user(by).select_for_update().filter(pk=application.pk).first()
    )
    if locked is None:
        raise PermissionDenied(_("This application is outside your scope."))
    return locked


def aid_application_update(
    *, by, application: AidApplication, amount_requested: Decimal, reason: str = "", **facts
) -> AidApplication:
    """Change a draft or a returned application's amount and facts."""
    _require(by, "aid.change_aidapplication")
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if not application.is_draft_or_returned:
            raise ValidationError(_("Only a draft or a returned application can be changed."))
        application.amount_requested = amount_requested
        application.amount = amount_requested
        application.reason = reason
        for key, value in facts.items():
            if key in FACT_FIELDS:
                setattr(application, key, value)
        _check_facts(application)
        application.save()
        return application


def _fund_for(application: AidApplication) -> Fund | None:
    """The fund of the campaign held by the nearest organisation at or above the applicant's."""
    chain = approval_chain(application.organisation)
    funds = {
        f.organisation_id: f
        for f in Fund.objects.filter(campaign=application.campaign, organisation_id__in=chain)
    }
    return next((funds[pk] for pk in chain if pk in funds), None)


def aid_application_submit(*, by, application: AidApplication) -> AidApplication:
    """Send a draft (or a returned application) into approval at its first level.

    The precision rule "no more than ``grants_per_year`` grants of a programme
    per person per year" is checked here under a lock on the person and held
    by the database's partial unique constraint on the grant slot.
    """
    _require(by, "aid.add_aidapplication")
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if not application.is_draft_or_returned:
            raise ValidationError(_("This application has already been submitted."))
        campaign = application.campaign
        if campaign.status != CampaignStatus.OPEN:
            raise ValidationError(_("The campaign is not open for applications."))
        _check_facts(application)
        fund = _fund_for(application)
        if fund is None:
            raise ValidationError(
                _("No fund of this campaign covers %(org)s.")
                % {"org": application.organisation.name}
            )
        if application.status == AidStatus.DRAFT:
            # The lock on the person queues concurrent submits for one person.
            Person.objects.select_for_update().get(pk=application.person_id)
            used = set(
                AidApplication.objects.filter(
                    person_id=application.person_id,
                    programme_id=application.programme_id,
                    year=application.year,
                    status__in=ACTIVE_STATES,
                ).values_list("slot", flat=True)
            )
            free = [s for s in range(1, application.programme.grants_per_year + 1) if s not in used]
            if not free:
                raise ValidationError(
                    _(
                        "%(person)s has already received or applied for %(programme)s in "
                        "%(year)s as often as the programme allows."
                    )
                    % {
                        "person": application.person.name,
                        "programme": application.programme.name,
                        "year": application.year,
                    }
                )
            application.slot = free[0]
        application.status = AidStatus.SUBMITTED
        application.fund = fund
        application.current_level_id = approval_chain(application.organisation)[0]
        application.first_county_approver = None
        application.submitted_at = timezone.now()
        try:
            with transaction.atomic():
                application.save()
        except IntegrityError as exc:
            raise ValidationError(
                _("This person already has the grants this programme allows this year.")
            ) from exc
        _step(application, StepAction.SUBMIT, by, amount=application.amount)
        return application


def _step(application, action, by, *, level=None, comment="", amount=None) -> AidStep:
    return AidStep.objects.create(
        application=application,
        action=action,
        level=level,
        by=by,
        comment=comment,
        amount=amount,
    )


# --- applications: deciding ------------------------------------------------------------


def _check_decider(by, application: AidApplication) -> None:
    """Separation of duties and the level: who may decide at the current level."""
    _require(by, "aid.approve_aidapplication")
    if application.status != AidStatus.SUBMITTED:
        raise ValidationError(
            _("This application is not awaiting approval (it is %(status)s).")
            % {"status": application.get_status_display().lower()}
        )
    if by.organisation_id != application.current_level_id:
        raise PermissionDenied(
            _("This application awaits a decision at %(org)s.")
            % {"org": application.current_level.name}
        )
    if application.entered_by_id == by.pk:
        raise PermissionDenied(_("Whoever entered an application cannot approve it."))
    own = StaffPerson.objects.filter(user=by).values_list("person_id", flat=True).first()
    if own is not None:
        if own == application.person_id:
            raise PermissionDenied(_("Nobody may decide on aid for themselves."))
        if people_sharing_household(application.person).filter(pk=own).exists():
            raise PermissionDenied(_("Nobody may decide on aid for their own household."))


def aid_application_approve(
    *, by, application: AidApplication, amount: Decimal | None = None, comment: str = ""
) -> AidApplication:
    """Approve at the current level, possibly reducing the amount (never raising it).

    At the top level the approval is final and reserves the amount from the
    fund; amounts above the programme's ``dual_approval_above`` need two
    different approvers there.
    """
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        _check_decider(by, application)
        if amount is not None:
            if amount <= 0 or amount != amount.quantize(CENT):
                raise ValidationError(
                    {"amount": _("The amount is a positive sum in yuan with at most two decimals.")}
                )
            if amount > application.amount:
                raise ValidationError(
                    {
                        "amount": _("The amount may be reduced, not raised above ¥%(amount)s.")
                        % {"amount": application.amount}
                    }
                )
            application.amount = amount
        chain = approval_chain(application.organisation)
        level = application.current_level
        if level.pk != chain[-1]:
            application.current_level_id = chain[chain.index(level.pk) + 1]
            application.save()
            _step(application, StepAction.APPROVE, by, level=level, comment=comment, amount=amount)
            return application
        threshold = application.programme.dual_approval_above
        if threshold is not None and application.amount > threshold:
            if application.first_county_approver_id is None:
                application.first_county_approver = by
                application.save()
                _step(
                    application,
                    StepAction.FIRST_APPROVAL,
                    by,
                    level=level,
                    comment=comment,
                    amount=application.amount,
                )
                return application
            if application.first_county_approver_id == by.pk:
                raise PermissionDenied(
                    _("Above ¥%(limit)s a second, different approver is needed.")
                    % {"limit": threshold}
                )
        ledger.fund_reserve(
            fund=application.fund, amount=application.amount, by=by, application=application
        )
        application.status = AidStatus.APPROVED
        application.current_level = None
        application.decided_at = timezone.now()
        application.save()
        _step(
            application,
            StepAction.FINAL_APPROVAL,
            by,
            level=level,
            comment=comment,
            amount=application.amount,
        )
        return application


def aid_application_return(*, by, application: AidApplication, comment: str) -> AidApplication:
    """Send it back for more information; it starts its approval again once resubmitted."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what information is missing.")})
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        _check_decider(by, application)
        level = application.current_level
        application.status = AidStatus.RETURNED
        application.current_level = None
        application.first_county_approver = None
        application.save()
        _step(application, StepAction.RETURN, by, level=level, comment=comment)
        return application


def aid_application_reject(*, by, application: AidApplication, comment: str) -> AidApplication:
    if not comment.strip():
        raise ValidationError({"comment": _("A rejection needs a reason.")})
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        _check_decider(by, application)
        level = application.current_level
        application.status = AidStatus.REJECTED
        application.current_level = None
        application.decided_at = timezone.now()
        application.save()
        _step(application, StepAction.REJECT, by, level=level, comment=comment)
        return application


def aid_application_cancel(*, by, application: AidApplication, comment: str) -> AidApplication:
    """Cancel an application not yet paid; an approved one gives its reservation back."""
    _require(by, "aid.approve_aidapplication")
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the application is cancelled.")})
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if application.status in (AidStatus.PAID, AidStatus.REJECTED, AidStatus.CANCELLED):
            raise ValidationError(
                _("An application that is %(status)s cannot be cancelled.")
                % {"status": application.get_status_display().lower()}
            )
        if application.status == AidStatus.APPROVED:
            ledger.fund_release(
                fund=application.fund, amount=application.amount, by=by, application=application
            )
        application.status = AidStatus.CANCELLED
        application.current_level = None
        application.save()
        _step(application, StepAction.CANCEL, by, comment=comment)
        return application


# --- payment ---------------------------------------------------------------------------


def aid_application_pay(*, by, application: AidApplication, reference: str = "") -> Payment:
    """Pay an approved application (发放): spend its reservation, once.

    The lock on the application queues concurrent requests; the one-to-one
    payment row is the database's guard against a second payment.
    """
    _require(by, "aid.pay_aidapplication")
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if application.status == AidStatus.PAID:
            raise ValidationError(_("This application has already been paid."))
        if application.status != AidStatus.APPROVED:
            raise ValidationError(_("Only an approved application can be paid."))
        if not application.bank_account:
            raise ValidationError(_("The application has no bank account to pay into."))
        ledger.fund_spend(
            fund=application.fund, amount=application.amount, by=by, application=application
        )
        try:
            with transaction.atomic():
                payment = Payment.objects.create(
                    application=application,
                    fund=application.fund,
                    amount=application.amount,
                    paid_by=by,
                    reference=reference,
                )
        except IntegrityError as exc:
            raise ValidationError(_("This application has already been paid.")) from exc
        application.status = AidStatus.PAID
        application.save(update_fields=["status"])
        _step(application, StepAction.PAY, by, amount=application.amount, comment=reference)
        return payment


def aid_applications_pay(*, by, applications, reference: str = "") -> list[Payment]:
    """Mark several applications paid at once: all of them, or (on any refusal) none."""
    with transaction.atomic():
        payments = []
        for application in applications:
            try:
                payments.append(
                    aid_application_pay(by=by, application=application, reference=reference)
                )
            except ValidationError as exc:
                raise ValidationError(
                    _("%(person)s: %(error)s")
                    % {"person": application.person.name, "error": " ".join(exc.messages)}
                ) from exc
        return payments


def staff_person_link(*, by, user, person: Person) -> StaffPerson:
    """Say which person's file belongs to a staff account (for separation of duties)."""
    _require(by, "aid.add_staffperson")
    link, _created = StaffPerson.objects.update_or_create(user=user, defaults={"person": person})
    return link
