"""Every change to programmes, campaigns, funds and aid applications.

An application moves draft → submitted → (one approval per level of the tree
above the applicant's union) → approved → paid; at any level it may be
returned for more information or rejected. Each transition locks the
application row, checks its state again under the lock, and writes an
:class:`AidStep`; money moves only through ``aid.ledger``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.images import photo_for_keeping
from gonghui.core.scope import is_in_scope, subtree_bounds
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import Notice, notify_many, workers_language
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, RevealLog
from gonghui.people.services import REVEAL_PERMISSION, person_reveal
from gonghui.people.vocabularies import SensitiveField
from gonghui.security.events import EventKind, security_event

from . import duties, evidence, ledger
from .duties import Decider, decider_for
from .models import (
    AidApplication,
    AidStep,
    Campaign,
    Consent,
    Fund,
    Payment,
    PrivacyNotice,
    Programme,
    StaffPerson,
    bank_account_columns,
)
from .selectors import payable_for
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

#: Facts an application form may carry, besides the amount, the reason and the bank
#: account (stored encrypted: ``bank_account_columns``).
FACT_FIELDS = (
    "child_name",
    "school",
    "admission_year",
    "diagnosis_category",
    "total_cost",
    "insurance_reimbursement",
    "per_capita_income",
    "bank_name",
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


def consent_record(*, by, person: Person, notice: PrivacyNotice) -> Consent:
    """Record the worker's separate consent (PIPL 第二十九条) to the facts of ``notice``'s
    kind, under that notice: one in force today, chosen, never typed."""
    _require(by, "aid.add_consent")
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))
    if not PrivacyNotice.objects.in_force().filter(pk=notice.pk).exists():
        raise ValidationError({"notice": _("This notice is not in force.")})
    return Consent.objects.create(person=person, kind=notice.kind, notice=notice, recorded_by=by)


def privacy_notice_publish(
    *, by, kind: str, version: str, text: str, in_force_from: date
) -> PrivacyNotice:
    """A new version of a notice; versions already published never change."""
    _require(by, "aid.add_privacynotice")
    notice = PrivacyNotice(
        kind=kind, version=version.strip(), text=text.strip(), in_force_from=in_force_from
    )
    notice.full_clean()
    notice.save()
    return notice


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
    bank_account: str = "",
    consents=(),
    **facts,
) -> AidApplication:
    """A draft application; its facts are checked now and again on submit.

    ``bank_account`` (digits only) is stored encrypted with its lookup hash.
    ``consents``: the notices the worker has just been read and agreed to, recorded
    with the application or, if it is refused, not at all (``_record_consents``).
    """
    _require(by, "aid.add_aidapplication")
    with transaction.atomic():
        return _create(
            by=by,
            campaign=campaign,
            person=person,
            amount_requested=amount_requested,
            reason=reason,
            bank_account=bank_account,
            consents=consents,
            **facts,
        )


def _record_consents(by, person: Person, notices) -> None:
    """The worker's consents given on the application form, but each kind once: a
    consent already recorded stands (the form offers what is missing)."""
    for notice in notices:
        if not has_consent(person, notice.kind):
            consent_record(by=by, person=person, notice=notice)


def _create(*, by, campaign, person, amount_requested, reason, bank_account, consents, **facts):
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
    _record_consents(by, person, consents)
    application = _new_application(
        campaign=campaign,
        person=person,
        amount_requested=amount_requested,
        reason=reason,
        bank_account=bank_account,
        entered_by=by,
        facts=facts,
    )
    _check_facts(application)
    application.save()
    return application


def _new_application(
    *, campaign, person, amount_requested, reason, bank_account, entered_by, facts
) -> AidApplication:
    """An unsaved application of ``person`` under ``campaign`` (its facts not yet checked)."""
    return AidApplication(
        campaign=campaign,
        programme=campaign.programme,
        year=campaign.year,
        person=person,
        organisation=_applicant_org(person),
        amount_requested=amount_requested,
        amount=amount_requested,
        reason=reason,
        entered_by=entered_by,
        **{k: v for k, v in facts.items() if k in FACT_FIELDS},
        **bank_account_columns(bank_account),
    )


def _in_scope_locked(by, application: AidApplication) -> AidApplication:
    """The application, locked, if ``by`` may see it; PermissionDenied otherwise."""
    locked = (
        AidApplication.objects.for_user(by)
        # Only the application's row: the scope joins reach nullable foreign keys,
        # which PostgreSQL cannot lock ("nullable side of an outer join").
        .select_for_update(of=("self",))
        .filter(pk=application.pk)
        .first()
    )
    if locked is None:
        raise PermissionDenied(_("This application is outside your scope."))
    return locked


def aid_application_update(
    *,
    by,
    application: AidApplication,
    amount_requested: Decimal,
    reason: str = "",
    bank_account: str = "",
    campaign: Campaign | None = None,
    consents=(),
    **facts,
) -> AidApplication:
    """Change a draft or a returned application's amount and facts.

    An empty ``bank_account`` keeps the stored one (the edit page never shows it
    in full); a new one replaces it. A paid application's account never changes.
    ``campaign`` moves a draft to another open campaign in scope (its programme's
    rules then apply); a returned application stays in the campaign whose approval
    it went through. ``consents`` as for ``aid_application_create``.
    """
    _require(by, "aid.change_aidapplication")
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if bank_account and application.status == AidStatus.PAID:
            raise ValidationError(
                {"bank_account": _("The bank account of a paid application cannot be changed.")}
            )
        if not application.is_draft_or_returned:
            raise ValidationError(_("Only a draft or a returned application can be changed."))
        if campaign is not None and campaign.pk != application.campaign_id:
            _move_draft(by, application, campaign)
        _record_consents(by, application.person, consents)
        application.amount_requested = amount_requested
        application.amount = amount_requested
        application.reason = reason
        for key, value in facts.items():
            if key in FACT_FIELDS:
                setattr(application, key, value)
        if bank_account:
            for key, value in bank_account_columns(bank_account).items():
                setattr(application, key, value)
        _check_facts(application)
        application.save()
        return application


def _move_draft(by, application: AidApplication, campaign: Campaign) -> None:
    """Put a draft into another campaign: open, in scope, and its programme's rules."""
    if application.status != AidStatus.DRAFT:
        raise ValidationError(
            {"campaign": _("Only a draft can move to another campaign; this one was submitted.")}
        )
    if not Campaign.objects.for_user(by).filter(pk=campaign.pk).exists():
        raise PermissionDenied(_("This campaign is outside your scope."))
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError({"campaign": _("The campaign is not open for applications.")})
    application.campaign = campaign
    application.programme = campaign.programme
    application.year = campaign.year


def aid_application_delete(*, by, application: AidApplication) -> None:
    """Delete a draft that was never submitted, with its evidence files.

    Only its enterer or the union it was entered for may; a submitted application
    leaves a trail of steps and is cancelled instead (``aid_application_cancel``).
    """
    _require(by, "aid.delete_aidapplication")
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        if application.status != AidStatus.DRAFT or application.steps.exists():
            raise ValidationError(
                _("Only a draft never submitted can be deleted; cancel this one instead.")
            )
        if by.pk != application.entered_by_id and by.organisation_id != application.organisation_id:
            raise PermissionDenied(
                _("Only whoever entered the draft, or the union it was entered for, may delete it.")
            )
        files = [item.file for item in application.evidence.all()]
        application.evidence.all().delete()
        application.delete()
        # The files go once the rows are gone for good; a rollback keeps both.
        for file in files:
            transaction.on_commit(partial(file.storage.delete, file.name))


def _fund_for(application: AidApplication) -> Fund | None:
    """The fund of the campaign held by the nearest organisation at or above the applicant's."""
    chain = approval_chain(application.organisation)
    funds = {
        f.organisation_id: f
        for f in Fund.objects.filter(campaign=application.campaign, organisation_id__in=chain)
    }
    return next((funds[pk] for pk in chain if pk in funds), None)


def _pass_up(application: AidApplication, by) -> list[AidStep]:
    """Move the application on past each level where no one may decide on it
    (``aid.duties``: the rule and why), up to the top of the chain, which it never
    passes; the steps saying which levels were passed and why, not yet saved."""
    chain = approval_chain(application.organisation)
    steps = []
    while application.current_level_id != chain[-1]:
        level = application.current_level
        reason = duties.pass_up_reason(application, level)
        if reason is None:
            break
        application.current_level_id = chain[chain.index(level.pk) + 1]
        steps.append(_new_step(application, StepAction.PASS_UP, by, level=level, comment=reason))
    return steps


def aid_application_submit(*, by, application: AidApplication) -> AidApplication:
    """Send a draft (or a returned application) into approval at its first level.

    The precision rule "no more than ``grants_per_year`` grants of a programme
    per person per year" is checked here under a lock on the person and held
    by the database's partial unique constraint on the grant slot.
    """
    _require(by, "aid.add_aidapplication")
    with transaction.atomic():
        return _submit_locked(_in_scope_locked(by, application), by)


def _submit_locked(application: AidApplication, by) -> AidApplication:
    """Submit ``application``, locked by the caller in its transaction; ``by`` None for
    the worker's own submission in the portal."""
    if not application.is_draft_or_returned:
        raise ValidationError(_("This application has already been submitted."))
    campaign = application.campaign
    if campaign.status != CampaignStatus.OPEN:
        raise ValidationError(_("The campaign is not open for applications."))
    _check_facts(application)
    fund = _fund_for(application)
    if fund is None:
        raise ValidationError(
            _("No fund of this campaign covers %(org)s.") % {"org": application.organisation.name}
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
    steps = [_new_step(application, StepAction.SUBMIT, by, amount=application.amount)]
    steps += _pass_up(application, by)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("This person already has the grants this programme allows this year.")
        ) from exc
    for step in steps:
        step.save()
    return application


# --- applications: the worker's own, in the portal -------------------------------------


def campaigns_open_to(person: Person):
    """The campaigns ``person`` may apply under now: open, within their dates, run by
    the applicant's union or an organisation above it (the county's reach everyone)."""
    org = _applicant_org(person)
    if org is None:
        return Campaign.objects.none()
    today = timezone.localdate()
    return Campaign.objects.filter(
        status=CampaignStatus.OPEN,
        starts_on__lte=today,
        ends_on__gte=today,
        organisation_id__in=[org.pk, *org.ancestor_ids()],
    ).select_related("programme", "organisation")


def consent_kinds_needed(programme: Programme) -> list[str]:
    """The kinds of separate consent the programme's facts need (PIPL 第二十九条)."""
    facts = set(programme.required_facts or [])
    kinds = []
    if facts & set(HEALTH_FACTS):
        kinds.append(ConsentKind.HEALTH)
    if Fact.PER_CAPITA_INCOME in facts or programme.income_threshold is not None:
        kinds.append(ConsentKind.INCOME)
    return kinds


def notices_to_consent(programme: Programme, person: Person) -> list[PrivacyNotice]:
    """The notice in force of each kind ``programme`` needs that ``person`` has not
    consented to yet: what the portal reads to the worker before the facts."""
    notices = []
    for kind in consent_kinds_needed(programme):
        if has_consent(person, kind):
            continue
        notice = PrivacyNotice.objects.in_force().filter(kind=kind).first()
        if notice is not None:
            notices.append(notice)
    return notices


def consent_record_by_worker(*, person: Person, notice: PrivacyNotice) -> Consent:
    """The worker's own separate consent, given in the portal: no staff member records it."""
    if not PrivacyNotice.objects.in_force().filter(pk=notice.pk).exists():
        raise ValidationError({"notice": _("This notice is not in force.")})
    return Consent.objects.create(person=person, kind=notice.kind, notice=notice, recorded_by=None)


def aid_application_apply_by_worker(
    *,
    person: Person,
    campaign: Campaign,
    amount_requested: Decimal,
    reason: str,
    bank_account: str,
    consents=(),
    photos=(),
    issued_at=None,
    **facts,
) -> AidApplication:
    """The worker's own application, made and submitted at once (the portal has no
    drafts): the facts checked as for staff (``_check_facts``), the consents given on
    the form recorded with it or not at all, and the approval chain entered as a
    staff-entered application enters it (``_submit_locked``), ``entered_by`` empty.

    ``issued_at``: when the form's key was issued (``portal.formkeys``); an
    application the worker made since then is the one this sending made already (a
    double tap), and is returned instead of a second one.

    ``photos``: the worker's photos of evidence, each made fit to keep
    (``core.images``) before anything is written, so a bad one refuses the whole.
    """
    try:
        kept = [photo_for_keeping(p, max_bytes=evidence.max_evidence_bytes()) for p in photos]
    except ValidationError as exc:
        raise ValidationError({"photos": exc.messages}) from None
    with transaction.atomic():
        # The lock on the person queues a double tap behind the first sending.
        person = (
            Person.objects.select_for_update(of=("self",))
            .select_related("current_union", "file_org")
            .get(pk=person.pk)
        )
        if issued_at is not None:
            sent = (
                AidApplication.objects.filter(
                    person=person, entered_by__isnull=True, created_at__gte=issued_at
                )
                .order_by("-pk")
                .first()
            )
            if sent is not None:
                return sent
        if not campaigns_open_to(person).filter(pk=campaign.pk).exists():
            raise ValidationError(_("This programme is not open to you now."))
        for notice in consents:
            if not has_consent(person, notice.kind):
                consent_record_by_worker(person=person, notice=notice)
        application = _new_application(
            campaign=campaign,
            person=person,
            amount_requested=amount_requested,
            reason=reason,
            bank_account=bank_account,
            entered_by=None,
            facts=facts,
        )
        _check_facts(application)
        application.save()
        application = _submit_locked(application, None)
        for photo in kept:
            evidence.photo_store(application, photo)
        with workers_language():
            level = application.current_level
            notify_many(
                [
                    Notice(
                        person,
                        MessageKind.GENERAL,
                        _("Aid application no. %(number)s was received")
                        % {"number": application.pk},
                        _("It waits for a decision at %(level)s.") % {"level": level.name},
                    )
                ]
            )
        return application


def _new_step(application, action, by, *, level=None, comment="", amount=None) -> AidStep:
    return AidStep(
        application=application,
        action=action,
        level=level,
        by=by,
        comment=comment,
        amount=amount,
    )


def _save_step(step: AidStep) -> AidStep:
    step.save()
    return step


def _step(application, action, by, *, level=None, comment="", amount=None) -> AidStep:
    return _save_step(
        _new_step(application, action, by, level=level, comment=comment, amount=amount)
    )


# --- applications: telling the applicant ----------------------------------------------


def _notice(application: AidApplication, kind: str) -> Notice:
    """The applicant's message about the status ``application`` has reached.

    Named by its number, never by its programme or facts: a programme's name
    (critical-illness relief) or a staff comment may speak of health or income,
    and a phone is often shared. The union tells the reasons in person.
    """
    number = {"number": application.pk}
    titles = {
        MessageKind.AID_STEP: _("Aid application no. %(number)s passed a level of approval"),
        MessageKind.AID_RETURNED: _("Aid application no. %(number)s needs more information"),
        MessageKind.AID_APPROVED: _("Aid application no. %(number)s was approved"),
        MessageKind.AID_REJECTED: _("Aid application no. %(number)s was not approved"),
        MessageKind.AID_CANCELLED: _("Aid application no. %(number)s was cancelled"),
        MessageKind.AID_PAID: _("Aid of application no. %(number)s was paid"),
    }
    bodies = {
        MessageKind.AID_STEP: _("It goes on to the next level for a decision."),
        MessageKind.AID_RETURNED: _("Your union will tell you what is missing."),
        MessageKind.AID_APPROVED: _("¥%(amount)s was approved; it is paid into your account soon.")
        % {"amount": application.amount},
        MessageKind.AID_REJECTED: _("Your union can tell you why."),
        MessageKind.AID_CANCELLED: _("Your union can tell you why."),
        MessageKind.AID_PAID: _("¥%(amount)s was paid into the account you gave.")
        % {"amount": application.amount},
    }
    return Notice(application.person, kind, titles[kind] % number, bodies[kind])


def _tell(applications, kind: str | None = None) -> None:
    """Tell each applicant (in the caller's transaction); an approval's kind is read
    from where it left the application: finally approved, or on at the next level."""
    with workers_language():
        notify_many(
            _notice(
                a,
                kind
                or (
                    MessageKind.AID_APPROVED
                    if a.status == AidStatus.APPROVED
                    else MessageKind.AID_STEP
                ),
            )
            for a in applications
        )


# --- applications: deciding ------------------------------------------------------------

#: What a decision reads of an application besides its own columns.
DECISION_RELATED = (
    "programme",
    "organisation",
    "current_level",
    "person",
    "fund",
    # For the audit entry's text of the application ("person · campaign").
    "campaign__programme",
)


def _locked_in_scope(by, pks) -> dict[int, AidApplication]:
    """The applications of ``pks`` that ``by`` may see, locked, by primary key.

    Locked in primary-key order, so that two transactions locking overlapping
    batches queue up instead of each holding half; ``of=("self",)`` locks the
    application rows only, not the rows joined for reading.
    """
    queryset = (
        AidApplication.objects.for_user(by)
        .select_for_update(of=("self",))
        .select_related(*DECISION_RELATED)
        .filter(pk__in=pks)
        .order_by("pk")
    )
    return {application.pk: application for application in queryset}


def _check_decision(decider: Decider, application: AidApplication) -> None:
    """Separation of duties and the level: whether the decider may decide now (no query)."""
    by = decider.user
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
    code = duties.conflict(decider, application)
    if code is not None:
        raise PermissionDenied(duties.decision_refusal(code))


def _check_decider(by, application: AidApplication) -> None:
    """Separation of duties and the level: who may decide at the current level."""
    _require(by, "aid.approve_aidapplication")
    _check_decision(decider_for(by), application)


def _approved_amount(application: AidApplication, amount: Decimal | None) -> Decimal:
    """The amount to approve: the current one, or a reduction of it, within the rule."""
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
    approved = application.amount if amount is None else amount
    # The programme's rule may have been lowered since the application was entered.
    cap = rule_cap(application)
    if cap is not None and approved > cap:
        raise ValidationError(
            {
                "amount": _("¥%(amount)s is above what the programme's rule allows here: ¥%(cap)s.")
                % {"amount": approved, "cap": cap}
            }
        )
    return approved


def _approve_locked(
    *,
    decider: Decider,
    application: AidApplication,
    reserve,
    amount: Decimal | None,
    comment: str,
    record=None,
) -> AidApplication:
    """Approve a locked application at the decider's level; the caller holds the transaction.

    Below the top of the chain the application moves up one level. At the
    top the approval is final and reserves the amount from the application's
    fund through ``reserve(fund=, amount=, application=)``; amounts above the
    programme's ``dual_approval_above`` need two different approvers there.
    Nothing of the application changes before every check has passed, so a
    refusal leaves it as it was. ``record(step)`` keeps the step; by default
    it is saved at once.
    """
    by = decider.user
    record = record or _save_step
    _check_decision(decider, application)
    approved = _approved_amount(application, amount)
    chain = approval_chain(application.organisation)
    level = application.current_level
    if level.pk != chain[-1]:
        application.amount = approved
        application.current_level_id = chain[chain.index(level.pk) + 1]
        steps = [
            _new_step(
                application, StepAction.APPROVE, by, level=level, comment=comment, amount=amount
            )
        ]
        steps += _pass_up(application, by)
        application.save(update_fields=["amount", "current_level"])
        for step in steps:
            record(step)
        return application
    threshold = application.programme.dual_approval_above
    if threshold is not None and approved > threshold:
        if application.first_county_approver_id is None:
            application.amount = approved
            application.first_county_approver = by
            application.save(update_fields=["amount", "first_county_approver"])
            record(
                _new_step(
                    application,
                    StepAction.FIRST_APPROVAL,
                    by,
                    level=level,
                    comment=comment,
                    amount=approved,
                )
            )
            return application
        if application.first_county_approver_id == by.pk:
            raise PermissionDenied(
                _("Above ¥%(limit)s a second, different approver is needed.") % {"limit": threshold}
            )
    if application.fund_id is None:
        raise ValidationError(_("The application has no fund to reserve the money from."))
    reserve(fund=application.fund, amount=approved, application=application)
    application.amount = approved
    application.status = AidStatus.APPROVED
    application.current_level = None
    application.decided_at = timezone.now()
    application.save(update_fields=["amount", "status", "current_level", "decided_at"])
    record(
        _new_step(
            application,
            StepAction.FINAL_APPROVAL,
            by,
            level=level,
            comment=comment,
            amount=approved,
        )
    )
    return application


def aid_application_approve(
    *, by, application: AidApplication, amount: Decimal | None = None, comment: str = ""
) -> AidApplication:
    """Approve at the current level, possibly reducing the amount (never raising it).

    At the top level the approval is final and reserves the amount from the
    fund; amounts above the programme's ``dual_approval_above`` need two
    different approvers there.
    """
    _require(by, "aid.approve_aidapplication")
    with transaction.atomic():
        locked = _locked_in_scope(by, [application.pk]).get(application.pk)
        if locked is None:
            raise PermissionDenied(_("This application is outside your scope."))
        approved = _approve_locked(
            decider=decider_for(by),
            application=locked,
            reserve=partial(ledger.fund_reserve, by=by),
            amount=amount,
            comment=comment,
        )
        _tell([approved])
        security_event(
            kind=EventKind.APPROVAL, by=by, obj=approved, detail={"status": approved.status}
        )
        return approved


@dataclass
class BulkApproval:
    """What a bulk approval did: the applications approved at the user's level, and
    each refused one with the reason, in the order they were given."""

    approved: list[AidApplication] = field(default_factory=list)
    refused: list[tuple[AidApplication, str]] = field(default_factory=list)

    @property
    def finally_approved(self) -> list[AidApplication]:
        return [a for a in self.approved if a.status == AidStatus.APPROVED]

    @property
    def sent_on(self) -> list[AidApplication]:
        return [
            a
            for a in self.approved
            if a.status == AidStatus.SUBMITTED and a.first_county_approver_id is None
        ]

    @property
    def awaiting_second_approver(self) -> list[AidApplication]:
        return [
            a
            for a in self.approved
            if a.status == AidStatus.SUBMITTED and a.first_county_approver_id is not None
        ]


def aid_applications_approve(*, by, applications, comment: str = "") -> BulkApproval:
    """Approve many applications at ``by``'s level, each under the rules of
    :func:`aid_application_approve`, each in a savepoint of its own: a refusal
    undoes only that application's writes and is reported with its reason.

    The work shared by the batch is done once: the applications are read and
    locked in one query, the user's own person and household in two, and the
    funds the batch may reserve from are locked once each, in primary-key
    order (the same order for every batch, so two batches do not deadlock);
    the approval steps, the ledger rows and each fund's balance are written
    together at the end (``ledger.BatchReservation``).
    """
    _require(by, "aid.approve_aidapplication")
    # One decision per application, however often it was given.
    given = list({application.pk: application for application in applications}.values())
    result = BulkApproval()
    with transaction.atomic():
        locked = _locked_in_scope(by, [a.pk for a in given])
        funds = ledger.BatchReservation(
            fund_ids=[a.fund_id for a in locked.values() if a.fund_id is not None], by=by
        )
        decider = decider_for(by)
        steps: list[AidStep] = []
        for item in given:
            application = locked.get(item.pk)
            if application is None:
                result.refused.append((item, _("This application is outside your scope.")))
                continue
            its_step: list[AidStep] = []
            try:
                with funds.savepoint():
                    _approve_locked(
                        decider=decider,
                        application=application,
                        reserve=funds.reserve,
                        amount=None,
                        comment=comment,
                        record=its_step.append,
                    )
            except ValidationError as exc:
                result.refused.append((application, " ".join(exc.messages)))
            except PermissionDenied as exc:
                result.refused.append((application, str(exc)))
            else:
                result.approved.append(application)
                steps.extend(its_step)
        # The steps and ledger rows of the approved applications, each written in one go.
        AidStep.objects.bulk_create(steps)
        funds.finish()
        _tell(result.approved)
        security_event(
            kind=EventKind.APPROVAL,
            by=by,
            object_type="aid.aidapplication",
            detail={
                "approved": [a.pk for a in result.approved],
                "refused": [a.pk for a, _reason in result.refused],
            },
        )
    return result


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
        _tell([application], MessageKind.AID_RETURNED)
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
        _tell([application], MessageKind.AID_REJECTED)
        return application


def _last_approval_level(application: AidApplication) -> Organisation | None:
    """The level whose approval made the application approved (the final approval's)."""
    step = (
        application.steps.filter(action=StepAction.FINAL_APPROVAL)
        .select_related("level")
        .order_by("-at", "-pk")
        .first()
    )
    return step.level if step is not None else None


def _at_or_above(user, level: Organisation | None) -> bool:
    """Whether the user's organisation is ``level`` or one of its ancestors."""
    own = getattr(user, "organisation", None)
    if own is None or level is None:
        return False
    low, high = subtree_bounds(own.path)
    return low <= level.path < high


def check_may_cancel(by, application: AidApplication) -> None:
    """Whether ``by`` may cancel ``application`` now; PermissionDenied or ValidationError if not.

    Only the level holding the application decides on it (docs/architecture.md,
    "Seeing is not acting"):

    - a draft or a returned application is back at the union it was entered for
      (its ``organisation``), which alone may withdraw it;
    - in approval, the level awaiting the decision (``current_level``): the
      entering union withdraws its own application until it has forwarded it;
    - approved, the level that approved it last, or a level above that one: a
      lower level never undoes a higher level's decision.

    The one rule behind the service and the page's cancel button.
    """
    _require(by, "aid.approve_aidapplication")
    status = application.status
    if status in (AidStatus.PAID, AidStatus.REJECTED, AidStatus.CANCELLED):
        raise ValidationError(
            _("An application that is %(status)s cannot be cancelled.")
            % {"status": application.get_status_display().lower()}
        )
    if status in (AidStatus.DRAFT, AidStatus.RETURNED):
        if by.organisation_id != application.organisation_id:
            raise PermissionDenied(
                _("Only the union the application was entered for may withdraw it now.")
            )
    elif status == AidStatus.SUBMITTED:
        if by.organisation_id != application.current_level_id:
            raise PermissionDenied(
                _("Only the level the application awaits a decision at may cancel it.")
            )
    elif not _at_or_above(by, _last_approval_level(application)):
        raise PermissionDenied(
            _("Only the level that approved the application, or a level above it, may cancel it.")
        )


def may_cancel(user, application: AidApplication) -> bool:
    """Whether the page offers ``user`` to cancel ``application`` (``check_may_cancel``)."""
    try:
        check_may_cancel(user, application)
    except (PermissionDenied, ValidationError):
        return False
    return True


def aid_application_cancel(*, by, application: AidApplication, comment: str) -> AidApplication:
    """Cancel an application not yet paid, at the level holding it (``check_may_cancel``);
    an approved one gives its reservation back."""
    _require(by, "aid.approve_aidapplication")
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the application is cancelled.")})
    with transaction.atomic():
        application = _in_scope_locked(by, application)
        check_may_cancel(by, application)
        if application.status == AidStatus.APPROVED:
            ledger.fund_release(
                fund=application.fund, amount=application.amount, by=by, application=application
            )
        application.status = AidStatus.CANCELLED
        application.current_level = None
        application.save()
        _step(application, StepAction.CANCEL, by, comment=comment)
        _tell([application], MessageKind.AID_CANCELLED)
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
        code = duties.conflict(decider_for(by), application)
        if code is not None:
            raise PermissionDenied(duties.payment_refusal(code))
        if not application.has_bank_account:
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
        _tell([application], MessageKind.AID_PAID)
        security_event(
            kind=EventKind.PAYMENT, by=by, obj=application, detail={"payment": payment.pk}
        )
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
            except PermissionDenied as exc:
                raise PermissionDenied(
                    _("%(person)s: %(error)s") % {"person": application.person.name, "error": exc}
                ) from exc
        return payments


def payment_file_rows(*, by, full_id_numbers: bool = False, ip_address: str | None = None):
    """The rows of the bank's payment file for the applications ``by`` may pay: name,
    ID number, bank, account, amount, organisation.

    The bank needs every account in full, so each one written is logged as a
    reveal (``people.RevealLog``, one row per account, PIPL 第五十一条). ID
    numbers are masked unless ``full_id_numbers``, which needs the reveal right
    and logs each number through ``people.services.person_reveal``.
    """
    _require(by, "aid.pay_aidapplication")
    if full_id_numbers and not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You may not reveal ID numbers or phone numbers."))
    rows, reveals = [], []
    with transaction.atomic():
        for application in payable_for(by):
            person = application.person
            id_number = (
                person_reveal(
                    by=by, person=person, field=SensitiveField.ID_NUMBER, ip_address=ip_address
                )
                if full_id_numbers
                else person.masked_id_number()
            )
            account = application.plain_bank_account()
            if account:
                reveals.append(
                    RevealLog(
                        by=by,
                        person=person,
                        field=SensitiveField.BANK_ACCOUNT,
                        ip_address=ip_address,
                    )
                )
            rows.append(
                [
                    person.name,
                    id_number,
                    application.bank_name,
                    account,
                    application.amount,
                    application.organisation.name,
                ]
            )
        RevealLog.objects.bulk_create(reveals)
    return rows


def _check_staff_account(by, user) -> None:
    """``user``'s account lies in ``by``'s scope, and is not ``by``'s own.

    Nobody sets their own link: whoever could would be able to unlink
    themselves and then approve their own aid.
    """
    _require(by, "aid.add_staffperson")
    if user.pk == by.pk:
        raise PermissionDenied(
            _("Your own person record is linked by another administrator, not by yourself.")
        )
    if not is_in_scope(by, user.organisation):
        raise PermissionDenied(_("This staff account is outside your scope."))


def staff_person_link(*, by, user, person: Person) -> StaffPerson:
    """Say which person's file belongs to a staff account (for separation of duties).

    Both the account and the person must be in ``by``'s scope; a person
    belongs to one staff account at most (the database's unique key).
    """
    _check_staff_account(by, user)
    if not Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise PermissionDenied(_("This person is outside your scope."))
    with transaction.atomic():
        taken = (
            StaffPerson.objects.select_for_update()
            .filter(person=person)
            .exclude(user=user)
            .select_related("user")
            .first()
        )
        if taken is not None:
            raise ValidationError(
                {
                    "person": _("%(person)s is already linked to the staff account %(user)s.")
                    % {"person": person.name, "user": taken.user.username}
                }
            )
        try:
            with transaction.atomic():
                link, _created = StaffPerson.objects.update_or_create(
                    user=user, defaults={"person": person}
                )
        except IntegrityError as exc:
            raise ValidationError(
                {"person": _("This person is already linked to another staff account.")}
            ) from exc
        return link


def staff_person_unlink(*, by, user) -> None:
    """Remove the link of a staff account to its person; refused for one's own account."""
    _check_staff_account(by, user)
    StaffPerson.objects.filter(user=user).delete()
