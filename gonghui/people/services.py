"""Writes about people: their files, their membership, join applications, reveals.

Every function takes the acting user as ``by=`` (None only where a worker acts
for themselves through the portal), checks the scope rule, runs in one
transaction and returns what it saved. django-auditlog records the changes of
the registered models from the same transaction.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.crypto import keyring
from gonghui.core.idnumbers import parse_id_number
from gonghui.core.phones import parse_phone
from gonghui.core.scope import is_in_scope
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify, workers_language
from gonghui.orgs.models import UNION_KINDS, Employer, Organisation, OrgKind
from gonghui.security.events import EventKind, security_event

from .models import (
    CardCounter,
    FileTransfer,
    FileTransferStatus,
    JoinApplication,
    Membership,
    MembershipRequest,
    MembershipRequestKind,
    MembershipRequestStatus,
    Person,
    RevealLog,
    id_hash,
    identity_columns,
    phone_columns,
)
from .vocabularies import JoinChannel, JoinRoute, JoinStatus, MembershipStatus, SensitiveField

REVEAL_PERMISSION = "people.reveal_sensitive"
#: What ``person_update`` may change besides the ID number and the phone.
PERSON_FIELDS = ("name", "ethnicity", "education", "employer", "job_title", "new_form_group")
_SPACES = re.compile(r"\s+")


class PersonAlreadyRegistered(ValidationError):
    """The ID number belongs to a registered person (``.person``): one person, one file."""

    def __init__(self, person: Person):
        super().__init__(
            {
                "id_number": [
                    ValidationError(_("This person is already registered."), code="person_exists")
                ]
            }
        )
        self.person = person


class PersonFileElsewhere(ValidationError):
    """The ID number belongs to a person whose file lies outside the acting user's scope.

    The message names nobody: the user may not know whose number it is, where
    the file is kept or what became of the person. The way on is a transfer
    of the file that its keeper confirms (``file_transfer_request``).
    """

    def __init__(self):
        super().__init__(
            {
                "id_number": [
                    ValidationError(
                        _(
                            "This person is already registered by another organisation. The "
                            "application can be made once that organisation transfers the file "
                            "to you: tick “Ask for the file to be transferred” and send the "
                            "form again."
                        ),
                        code="file_elsewhere",
                    )
                ]
            }
        )


def _on_field(field: str, exc: ValidationError) -> ValidationError:
    return ValidationError({field: exc.error_list})


def normalise_name(value: str) -> str:
    """Full-width letters to half-width, runs of spaces to one, ends trimmed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()


def _today() -> date:
    return timezone.localdate()


def _person_in_scope(by, person: Person, *, lock: bool = False) -> Person:
    queryset = Person.objects.for_user(by)
    if lock:
        # Only the person's row: the scope joins reach nullable foreign keys,
        # which PostgreSQL cannot lock ("nullable side of an outer join").
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=person.pk)
    except Person.DoesNotExist:
        raise PermissionDenied(_("This person is outside your scope.")) from None


def _check_employer(by, employer: Employer | None) -> None:
    if employer is None or by is None:
        return
    if not Employer.objects.for_user(by).filter(pk=employer.pk).exists():
        raise PermissionDenied(_("The employer is outside your scope."))


# --- People --------------------------------------------------------------------------


def person_build(
    *,
    name: str,
    id_number: str,
    file_org: Organisation,
    phone: str = "",
    employer: Employer | None = None,
    ethnicity: str = "",
    education: str = "",
    job_title: str = "",
    new_form_group: str = "",
    today: date | None = None,
) -> Person:
    """An unsaved Person with every derived column filled; no scope check, no query.

    ``person_create`` saves one; a bulk import builds many and saves them with
    ``bulk_create`` (passing ``today`` once saves a clock read per row). Raises
    ValidationError (per field) on a bad ID number, phone or name.
    """
    name = normalise_name(name)
    if not name:
        raise ValidationError({"name": _("Enter the person's name.")})
    try:
        resident = parse_id_number(id_number, today=today)
    except ValidationError as exc:
        raise _on_field("id_number", exc) from None
    try:
        phone = parse_phone(phone) if phone else ""
    except ValidationError as exc:
        raise _on_field("phone", exc) from None
    ring = keyring()
    return Person(
        name=name,
        employer=employer,
        file_org=file_org,
        ethnicity=ethnicity,
        education=education,
        job_title=job_title.strip(),
        new_form_group=new_form_group,
        **identity_columns(resident, ring),
        **phone_columns(phone, ring),
    )


def _file_org_for(by, employer: Employer | None) -> Organisation:
    """Where a new file is kept: the employer's township, else the registering organisation."""
    if employer is not None:
        return employer.township
    if by is not None and by.organisation_id:
        return by.organisation
    raise ValidationError({"employer": _("Choose the person's employer.")})


def _save_person(person: Person) -> Person:
    person.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            person.save()
    except IntegrityError:
        # Two registrations of one number at the same moment: the constraint decides.
        existing = Person.objects.filter(id_hash=person.id_hash).exclude(pk=person.pk).first()
        if existing is not None:
            raise PersonAlreadyRegistered(existing) from None
        raise
    return person


@transaction.atomic
def person_create(
    *, by, name: str, id_number: str, employer: Employer | None = None, **fields
) -> Person:
    """Register a person (一人一档). A second file for the same ID number is refused."""
    _check_employer(by, employer)
    person = person_build(
        name=name,
        id_number=id_number,
        employer=employer,
        file_org=_file_org_for(by, employer),
        **fields,
    )
    existing = Person.objects.filter(id_hash=person.id_hash).first()
    if existing is not None:
        raise PersonAlreadyRegistered(existing)
    return _save_person(person)


@transaction.atomic
def person_update(
    *,
    by,
    person: Person,
    id_number: str | None = None,
    phone: str | None = None,
    **fields,
) -> Person:
    """Change a person's file. ``id_number``/``phone`` None keep the value; phone "" removes it."""
    person = _person_in_scope(by, person, lock=True)
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"person_update cannot change {sorted(unknown)}")
    if "employer" in fields and fields["employer"] != person.employer:
        _check_employer(by, fields["employer"])
        if fields["employer"] is not None:
            person.file_org = fields["employer"].township
    if "name" in fields:
        fields["name"] = normalise_name(fields["name"])
        if not fields["name"]:
            raise ValidationError({"name": _("Enter the person's name.")})
    for name, value in fields.items():
        setattr(person, name, value.strip() if name == "job_title" else value)
    if id_number:
        try:
            resident = parse_id_number(id_number)
        except ValidationError as exc:
            raise _on_field("id_number", exc) from None
        other = Person.objects.filter(id_hash=id_hash(resident.number)).exclude(pk=person.pk)
        if other.exists():
            raise PersonAlreadyRegistered(other.get())
        for column, value in identity_columns(resident).items():
            setattr(person, column, value)
    if phone is not None:
        try:
            number = parse_phone(phone) if phone else ""
        except ValidationError as exc:
            raise _on_field("phone", exc) from None
        for column, value in phone_columns(number).items():
            setattr(person, column, value)
    return _save_person(person)


# --- Membership ----------------------------------------------------------------------


def county_code(union: Organisation) -> str:
    """The code of the tree's root above ``union`` (the county federation)."""
    ids = union.ancestor_ids()
    root = Organisation.objects.only("code").get(pk=ids[0]) if ids else union
    return root.code.upper()


def _locked_counter(prefix: str) -> CardCounter:
    try:
        return CardCounter.objects.select_for_update().get(prefix=prefix)
    except CardCounter.DoesNotExist:
        try:
            with transaction.atomic():
                return CardCounter.objects.create(prefix=prefix)
        except IntegrityError:  # created by a concurrent transaction meanwhile
            return CardCounter.objects.select_for_update().get(prefix=prefix)


@transaction.atomic
def card_numbers_allocate(*, union: Organisation, year: int, count: int = 1) -> list[str]:
    """Reserve ``count`` new card numbers: county code + year + 7-digit sequence.

    A number is taken from a locked counter that only increases, so it is
    never issued twice (a bulk import reserves a whole block at once).
    """
    prefix = f"{county_code(union)}{year}"
    counter = _locked_counter(prefix)
    first = counter.last_number + 1
    counter.last_number += count
    counter.save(update_fields=["last_number"])
    return [f"{prefix}{n:07d}" for n in range(first, first + count)]


def _check_union(union: Organisation) -> None:
    if union.kind not in UNION_KINDS:
        raise ValidationError(
            {"union": _("Members belong to a grassroots or joint union, not to a federation.")}
        )


def _check_date(on: date, field: str) -> None:
    if on > _today():
        raise ValidationError({field: _("The date cannot be in the future.")})


def _active_membership(person: Person) -> Membership | None:
    return person.memberships.select_for_update().filter(status=MembershipStatus.ACTIVE).first()


def _open_membership(
    *, by, person: Person, union: Organisation, joined_on: date, **extra
) -> Membership:
    """Start a membership of a locked person with no active one; issue a card if none."""
    membership = Membership.objects.create(
        person=person, union=union, joined_on=joined_on, created_by=by, **extra
    )
    person.current_union = union
    update = ["current_union", "updated_at"]
    if not person.card_number:
        # The card is the person's for life: transfers and rejoining keep it.
        person.card_number = card_numbers_allocate(union=union, year=joined_on.year)[0]
        update.append("card_number")
    person.save(update_fields=update)
    return membership


@transaction.atomic
def membership_start(
    *, by, person: Person, union: Organisation, joined_on: date | None = None, note: str = ""
) -> Membership:
    """Make a person a member of ``union`` from ``joined_on`` (today by default)."""
    joined_on = joined_on or _today()
    _check_union(union)
    _check_date(joined_on, "joined_on")
    if by is not None and not is_in_scope(by, union):
        raise PermissionDenied(_("The union is outside your scope."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    current = _active_membership(person)
    if current is not None:
        raise ValidationError(
            _("%(person)s is already a member of %(union)s.")
            % {"person": person.name, "union": current.union.name}
        )
    return _open_membership(by=by, person=person, union=union, joined_on=joined_on, note=note)


def _current_in_scope(by, person: Person) -> Membership:
    current = _active_membership(person)
    if current is None:
        raise ValidationError(_("%(person)s is not a member of a union.") % {"person": person})
    if not is_in_scope(by, current.union):
        raise PermissionDenied(_("This person's union is outside your scope."))
    return current


@transaction.atomic
def membership_transfer(
    *, by, person: Person, to_union: Organisation, on: date | None = None, note: str = ""
) -> Membership:
    """Transfer (转会): end the current membership and start one at ``to_union``, in one step.

    The receiving union may lie outside the acting user's scope (a member
    follows a new job anywhere in the county); the membership being ended may
    not. The card number stays with the person.
    """
    on = on or _today()
    person = _person_in_scope(by, person, lock=True)
    current = _current_in_scope(by, person)
    _check_union(to_union)
    _check_date(on, "on")
    if to_union.pk == current.union_id:
        raise ValidationError({"to_union": _("The person is already a member of this union.")})
    if county_code(to_union) != county_code(current.union):
        raise ValidationError({"to_union": _("The union belongs to another federation.")})
    if on < current.joined_on:
        raise ValidationError(
            {
                "on": _("The transfer cannot be dated before the membership began (%(date)s).")
                % {"date": current.joined_on.isoformat()}
            }
        )
    current.status = MembershipStatus.TRANSFERRED
    current.ended_on = on
    current.save(update_fields=["status", "ended_on"])
    membership = _open_membership(
        by=by, person=person, union=to_union, joined_on=on, transferred_from=current, note=note
    )
    with workers_language():
        notify(
            person,
            MessageKind.TRANSFER,
            title=_("Your membership was transferred to %(union)s") % {"union": to_union.name},
            body=_("From %(date)s you are a member of %(union)s; your card number stays the same.")
            % {"date": on.isoformat(), "union": to_union.name},
            url=reverse("portal:home"),
        )
    return membership


@transaction.atomic
def membership_leave(*, by, person: Person, reason: str, on: date | None = None) -> Membership:
    """End a person's membership (退会) with the reason recorded."""
    on = on or _today()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the person leaves the union.")})
    person = _person_in_scope(by, person, lock=True)
    current = _current_in_scope(by, person)
    _check_date(on, "on")
    if on < current.joined_on:
        raise ValidationError(
            {
                "on": _("Leaving cannot be dated before the membership began (%(date)s).")
                % {"date": current.joined_on.isoformat()}
            }
        )
    current.status = MembershipStatus.LEFT
    current.ended_on = on
    current.leave_reason = reason
    current.save(update_fields=["status", "ended_on", "leave_reason"])
    person.current_union = None
    person.save(update_fields=["current_union", "updated_at"])
    return current


# --- Join applications (入会) ----------------------------------------------------------


def township_joint_union(township_id: int) -> Organisation | None:
    """The joint union receiving a township's workers without a union (the first set up)."""
    return (
        Organisation.objects.filter(parent_id=township_id, kind=OrgKind.JOINT)
        .order_by("pk")
        .first()
    )


def route_union(
    employer: Employer,
    *,
    new_form_group: str = "",
    joint_union_of: Callable[[int], Organisation | None] = township_joint_union,
) -> tuple[Organisation | None, str]:
    """The union a worker of ``employer`` joins, and why; None when there is none to join.

    The one rule for join applications (``join_route``) and roster imports
    (``roster.employers``): the employer's union; where the employer has none,
    or the worker belongs to the eight groups of new-employment-form workers, the joint
    union of the employer's township (a new-form worker whose employer already
    sits in a joint union goes to that one). ``joint_union_of`` finds a
    township's joint union: a query by default, a cache in a bulk import.
    """
    union = employer.union
    if union is not None and (not new_form_group or union.kind == OrgKind.JOINT):
        return union, JoinRoute.JOINT_NEW_FORM if new_form_group else JoinRoute.EMPLOYER_UNION
    joint = joint_union_of(employer.township_id)
    return joint, JoinRoute.JOINT_NEW_FORM if new_form_group else JoinRoute.JOINT_NO_UNION


def join_route(*, employer: Employer, new_form_group: str = "") -> tuple[Organisation, str]:
    """The union that decides an application, and why (``route_union``); refused if none."""
    union, route = route_union(employer, new_form_group=new_form_group)
    if union is None:
        raise ValidationError(
            _(
                "%(township)s has no joint union to receive this application. Ask the "
                "township federation to set one up, or register a union at the employer."
            )
            % {"township": employer.township.name}
        )
    return union, route


@transaction.atomic
def join_application_submit(
    *,
    employer: Employer,
    channel: str,
    person: Person | None = None,
    person_data: dict | None = None,
    new_form_group: str = "",
    by=None,
) -> JoinApplication:
    """Apply to join the union, for a registered ``person`` or from ``person_data``.

    ``person_data`` holds ``person_create``'s fields (name, id_number, phone …);
    if its ID number is already registered the application is for that person
    and their file is left as it is. ``by`` is the staff user entering the
    application on a worker's behalf, or None when the worker applies through
    the portal. Staff apply only for people in their scope: a number whose
    file is kept elsewhere raises ``PersonFileElsewhere`` (naming nobody), and
    the file comes over by a transfer its keeper confirms
    (``file_transfer_request``), never by the number alone. The application
    goes to the union ``join_route`` names.
    """
    if (person is None) == (person_data is None):
        raise ValueError("give either person or person_data")
    if channel not in JoinChannel.values:
        raise ValueError(f"unknown channel {channel!r}")
    _check_employer(by, employer)
    union, route = join_route(employer=employer, new_form_group=new_form_group)
    if person is not None and by is not None:
        _person_in_scope(by, person)
    if person is None:
        data = {"new_form_group": new_form_group, **person_data}
        try:
            person = person_create(by=by, employer=employer, **data)
        except PersonAlreadyRegistered as exc:
            person = exc.person
            if by is not None and not Person.objects.for_user(by).filter(pk=person.pk).exists():
                raise PersonFileElsewhere() from None
    return _join_application_open(
        person=person,
        employer=employer,
        new_form_group=new_form_group,
        union=union,
        route=route,
        channel=channel,
        by=by,
    )


def _join_application_open(
    *,
    person: Person,
    employer: Employer,
    new_form_group: str,
    union: Organisation,
    route: str,
    channel: str,
    by,
) -> JoinApplication:
    """A pending application of a person the caller may name (scope already checked)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.current_union_id is not None:
        raise ValidationError(
            _("%(person)s is already a member of %(union)s.")
            % {"person": person.name, "union": person.current_union.name}
        )
    if person.join_applications.filter(status=JoinStatus.PENDING).exists():
        raise ValidationError(
            _("%(person)s already has an application waiting for a decision.")
            % {"person": person.name}
        )
    application = JoinApplication(
        person=person,
        employer=employer,
        new_form_group=new_form_group,
        union=union,
        route=route,
        channel=channel,
        submitted_by=by,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError:
        raise ValidationError(
            _("%(person)s already has an application waiting for a decision.")
            % {"person": person.name}
        ) from None
    return application


def _pending_in_scope(by, application: JoinApplication) -> JoinApplication:
    try:
        application = (
            JoinApplication.objects.for_user(by)
            .select_for_update(of=("self",))
            .select_related("person", "union", "employer")
            .get(pk=application.pk)
        )
    except JoinApplication.DoesNotExist:
        raise PermissionDenied(_("This application is outside your scope.")) from None
    if application.status != JoinStatus.PENDING:
        raise ValidationError(
            _("This application was already decided (%(status)s).")
            % {"status": application.get_status_display()}
        )
    return application


@transaction.atomic
def join_application_approve(
    *, by, application: JoinApplication, joined_on: date | None = None
) -> JoinApplication:
    """Approve: the person becomes a member of the union (card issued) in the same step."""
    application = _pending_in_scope(by, application)
    membership = membership_start(
        by=by, person=application.person, union=application.union, joined_on=joined_on
    )
    person = Person.objects.get(pk=application.person_id)
    if person.employer_id != application.employer_id or (
        application.new_form_group and person.new_form_group != application.new_form_group
    ):
        person.employer = application.employer
        person.file_org = application.employer.township
        person.new_form_group = application.new_form_group or person.new_form_group
        person.save(update_fields=["employer", "file_org", "new_form_group", "updated_at"])
    application.status = JoinStatus.APPROVED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.membership = membership
    application.save(update_fields=["status", "decided_by", "decided_at", "membership"])
    with workers_language():
        notify(
            person,
            MessageKind.JOIN_APPROVED,
            title=_("Your application to join the union was approved"),
            body=_("Welcome to %(union)s. Your membership card is on the home page.")
            % {"union": application.union.name},
            url=reverse("portal:home"),
        )
    return application


@transaction.atomic
def join_application_reject(*, by, application: JoinApplication, reason: str) -> JoinApplication:
    """Reject with a reason the applicant will be told."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the application is rejected.")})
    application = _pending_in_scope(by, application)
    application.status = JoinStatus.REJECTED
    application.decided_by = by
    application.decided_at = timezone.now()
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    with workers_language():
        notify(
            application.person,
            MessageKind.JOIN_REJECTED,
            title=_("Your application to join the union was not approved"),
            body=_("%(union)s did not approve your application: %(reason)s")
            % {"union": application.union.name, "reason": reason},
            url=reverse("portal:home"),
        )
    return application


# --- File transfers (档案转移) -------------------------------------------------------------


def _open_transfer_error() -> ValidationError:
    return ValidationError(
        _(
            "A transfer of this person's file is already awaiting the answer of the "
            "organisation keeping it."
        )
    )


@transaction.atomic
def file_transfer_request(
    *,
    by,
    id_number: str,
    employer: Employer,
    new_form_group: str = "",
    comment: str = "",
) -> FileTransfer:
    """Ask the organisation keeping a worker's file to transfer it to ``employer``.

    For a worker registered outside the requester's scope who now works at
    ``employer`` (in the requester's scope) and is to join the union there.
    The request goes to the queue of whoever keeps the file; the requester
    learns nothing about the person until the keeper confirms
    (``file_transfer_confirm``), and no message here names the person or
    where the file is kept.
    """
    if by is None or not by.organisation_id:
        raise PermissionDenied(_("Only an organisation's staff can ask for a file."))
    _check_employer(by, employer)
    # The application must be routable before the keeper is asked to confirm it.
    join_route(employer=employer, new_form_group=new_form_group)
    try:
        resident = parse_id_number(id_number)
    except ValidationError as exc:
        raise _on_field("id_number", exc) from None
    person = Person.objects.select_for_update().filter(id_hash=id_hash(resident.number)).first()
    if person is None:
        raise ValidationError(
            {
                "id_number": _(
                    "No person is registered with this ID number: enter the join "
                    "application, which registers the person."
                )
            }
        )
    if Person.objects.for_user(by).filter(pk=person.pk).exists():
        raise ValidationError(
            {"id_number": _("This person's file is in your scope: apply from their file.")}
        )
    if person.file_transfers.filter(status=FileTransferStatus.REQUESTED).exists():
        raise _open_transfer_error()
    transfer = FileTransfer(
        person=person,
        from_org_id=person.file_org_id,
        employer=employer,
        new_form_group=new_form_group,
        requesting_org_id=by.organisation_id,
        requested_by=by,
        request_comment=(comment or "").strip(),
    )
    try:
        with transaction.atomic():
            transfer.save()
    except IntegrityError:  # a concurrent request won: the constraint decides
        raise _open_transfer_error() from None
    return transfer


def _open_transfer_kept_by(by, transfer: FileTransfer) -> FileTransfer:
    """The open request, locked, if ``by`` keeps the file; else PermissionDenied."""
    if not by.has_perm("people.decide_filetransfer"):
        raise PermissionDenied(_("You may not answer file transfer requests."))
    try:
        transfer = (
            FileTransfer.objects.kept_by(by)
            .select_for_update(of=("self",))
            .select_related("person", "employer")
            .get(pk=transfer.pk)
        )
    except FileTransfer.DoesNotExist:
        raise PermissionDenied(_("This request is outside your scope.")) from None
    _check_open(transfer)
    return transfer


def _check_open(transfer: FileTransfer) -> None:
    if not transfer.is_open:
        raise ValidationError(
            _("This request was already answered (%(status)s).")
            % {"status": transfer.get_status_display()}
        )


def _close(transfer: FileTransfer, *, by, status: str, comment: str) -> None:
    transfer.status = status
    transfer.decided_by = by
    transfer.decided_at = timezone.now()
    transfer.decision_comment = comment
    transfer.save(
        update_fields=["status", "decided_by", "decided_at", "decision_comment", "join_application"]
    )


@transaction.atomic
def file_transfer_confirm(*, by, transfer: FileTransfer, comment: str = "") -> FileTransfer:
    """The keeper of the file confirms: the file moves and the join application is opened.

    Only staff whose subtree holds the organisation keeping the file may
    confirm. The worker portal will let the worker confirm a request about
    themselves: after authenticating the worker as ``transfer.person`` it
    calls ``file_transfer_move`` with ``by=None``, the same
    transition without the keeper's scope check.
    """
    transfer = _open_transfer_kept_by(by, transfer)
    return file_transfer_move(transfer=transfer, by=by, comment=comment)


def file_transfer_move(*, transfer: FileTransfer, by, comment: str = "") -> FileTransfer:
    """Move the file of an open, locked request and open the join application.

    Runs inside the caller's transaction, after the caller has decided that
    ``by`` may confirm (the keeper: ``file_transfer_confirm``; the worker:
    the portal, with ``by=None``).
    """
    _check_open(transfer)
    person = Person.objects.select_for_update().get(pk=transfer.person_id)
    if person.join_applications.filter(status=JoinStatus.PENDING).exists():
        raise ValidationError(
            _(
                "%(person)s has a join application waiting for a decision. Have it decided "
                "before the file is transferred."
            )
            % {"person": person.name}
        )
    employer = transfer.employer
    person.employer = employer
    person.file_org = employer.township
    person.new_form_group = transfer.new_form_group or person.new_form_group
    person.save(update_fields=["employer", "file_org", "new_form_group", "updated_at"])
    if person.current_union_id is None:
        # The requester's own application, as if entered once the file was theirs.
        union, route = route_union(employer, new_form_group=transfer.new_form_group)
        if union is not None:
            transfer.join_application = _join_application_open(
                person=person,
                employer=employer,
                new_form_group=transfer.new_form_group,
                union=union,
                route=route,
                channel=JoinChannel.STAFF,
                by=transfer.requested_by,
            )
    _close(transfer, by=by, status=FileTransferStatus.CONFIRMED, comment=(comment or "").strip())
    return transfer


@transaction.atomic
def file_transfer_decline(*, by, transfer: FileTransfer, reason: str) -> FileTransfer:
    """The keeper declines, with a reason the requesting organisation reads; the file stays."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the transfer is declined.")})
    transfer = _open_transfer_kept_by(by, transfer)
    _close(transfer, by=by, status=FileTransferStatus.DECLINED, comment=reason)
    return transfer


@transaction.atomic
def file_transfer_withdraw(*, by, transfer: FileTransfer, comment: str = "") -> FileTransfer:
    """The requesting organisation withdraws its open request."""
    if not by.has_perm("people.add_filetransfer"):
        raise PermissionDenied(_("You may not withdraw file transfer requests."))
    try:
        transfer = (
            FileTransfer.objects.requested_by(by)
            .select_for_update(of=("self",))
            .get(pk=transfer.pk)
        )
    except FileTransfer.DoesNotExist:
        raise PermissionDenied(_("This request is outside your scope.")) from None
    _check_open(transfer)
    _close(transfer, by=by, status=FileTransferStatus.WITHDRAWN, comment=(comment or "").strip())
    return transfer


# --- Reveals ------------------------------------------------------------------------------


@transaction.atomic
def person_reveal(*, by, person: Person, field: str, ip_address: str | None = None) -> str:
    """The plain value of a masked field, for a user with the right; every reveal is logged."""
    if not by.has_perm(REVEAL_PERMISSION):
        raise PermissionDenied(_("You may not reveal ID numbers or phone numbers."))
    person = _person_in_scope(by, person)
    if field == SensitiveField.ID_NUMBER:
        value = person.plain_id_number()
    elif field == SensitiveField.PHONE:
        value = person.plain_phone()
    else:
        raise ValueError(f"{field!r} is not a sensitive field")
    if value:
        RevealLog.objects.create(by=by, person=person, field=field, ip_address=ip_address)
        security_event(kind=EventKind.REVEAL, by=by, obj=person, detail={"field": field})
    return value


# --- Members' own requests: transfer and leaving (转会、退会) ---------------------------------

#: Who answers a member's request: those who may change memberships (county
#: administrators, federation staff, grassroots chairs), in the union's subtree.
DECIDE_MEMBERSHIP_REQUESTS = "people.change_membership"


def _request_notice(request: MembershipRequest, *, title: str, body: str, sms=None) -> None:
    with workers_language():
        notify(
            request.person,
            MessageKind.MEMBERSHIP_REQUEST,
            title=title,
            body=body,
            url=reverse("membership:request", args=[request.pk]),
            sms=sms,
        )


def _open_request_error() -> ValidationError:
    return ValidationError(
        _("A request of yours is already awaiting the union's answer: wait for it or withdraw it.")
    )


@transaction.atomic
def membership_request_submit(
    *,
    person: Person,
    kind: str,
    employer: Employer | None = None,
    new_form_group: str = "",
    reason: str = "",
    by=None,
) -> MembershipRequest:
    """A member asks to transfer to the union of ``employer`` or to leave the union.

    ``by`` is None when the worker asks through the portal (the portal has
    authenticated them as ``person``). Nothing changes yet: the request waits
    for the union holding the membership (``membership_request_confirm``). A
    transfer is routed as joining is (``join_route``: the eight groups to the
    township's joint union), so a request no union could receive is refused now.
    """
    if kind not in MembershipRequestKind.values:
        raise ValueError(f"unknown request kind {kind!r}")
    if by is not None:
        person = _person_in_scope(by, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.join_applications.filter(status=JoinStatus.PENDING).exists():
        raise ValidationError(
            _("Your application to join the union is waiting for a decision: wait for it first.")
        )
    current = _active_membership(person)
    if current is None:
        raise ValidationError(_("Only a member can ask for a transfer or to leave the union."))
    if person.membership_requests.filter(status=MembershipRequestStatus.REQUESTED).exists():
        raise _open_request_error()
    reason = (reason or "").strip()
    if kind == MembershipRequestKind.TRANSFER:
        if employer is None:
            raise ValidationError({"employer": _("Name your new employer.")})
        try:
            union, _route = join_route(employer=employer, new_form_group=new_form_group)
        except ValidationError as exc:
            raise _on_field("employer", exc) from None
        if union.pk == current.union_id:
            raise ValidationError(
                {
                    "employer": _(
                        "The workers of this employer are members of %(union)s, your union "
                        "now: no transfer is needed."
                    )
                    % {"union": union.name}
                }
            )
        if county_code(union) != county_code(current.union):
            raise ValidationError(
                {
                    "employer": _(
                        "This employer belongs to another county's federation: ask your union "
                        "how to move your membership there."
                    )
                }
            )
    else:
        employer, new_form_group = None, ""
        if not reason:
            raise ValidationError({"reason": _("Say why you leave the union.")})
    request = MembershipRequest(
        kind=kind,
        person=person,
        membership=current,
        employer=employer,
        new_form_group=new_form_group,
        reason=reason,
    )
    try:
        with transaction.atomic():
            request.save()
    except IntegrityError:  # a concurrent request won: the constraint decides
        raise _open_request_error() from None
    _request_notice(
        request,
        title=_("Your request was sent to %(union)s") % {"union": current.union.name},
        body=_("%(request)s: your union will answer it here.")
        % {"request": request.get_kind_display()},
    )
    return request


def _open_request_for(by, request: MembershipRequest) -> MembershipRequest:
    """The open request, locked, if ``by`` may answer it; else PermissionDenied."""
    if not by.has_perm(DECIDE_MEMBERSHIP_REQUESTS):
        raise PermissionDenied(_("You may not answer transfer or leaving requests."))
    try:
        request = (
            MembershipRequest.objects.answered_by(by)
            .select_for_update(of=("self",))
            .select_related("person", "membership__union", "employer")
            .get(pk=request.pk)
        )
    except MembershipRequest.DoesNotExist:
        raise PermissionDenied(_("This request is outside your scope.")) from None
    _check_request_open(request)
    return request


def _check_request_open(request: MembershipRequest) -> None:
    if not request.is_open:
        raise ValidationError(
            _("This request was already answered (%(status)s).")
            % {"status": request.get_status_display()}
        )


def _close_request(request: MembershipRequest, *, by, status: str, comment: str = "") -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_comment", "result"])


def _move_to_employer(*, by, request: MembershipRequest) -> None:
    """The person now works at the request's employer; the file follows to its township
    the way a confirmed file transfer moves it (``file_transfer_move``)."""
    person = Person.objects.select_for_update().get(pk=request.person_id)
    employer = request.employer
    if employer.township_id == person.file_org_id:
        person.employer = employer
        person.new_form_group = request.new_form_group or person.new_form_group
        person.save(update_fields=["employer", "new_form_group", "updated_at"])
        return
    if person.file_transfers.filter(status=FileTransferStatus.REQUESTED).exists():
        raise _open_transfer_error()
    transfer = FileTransfer.objects.create(
        person=person,
        from_org_id=person.file_org_id,
        employer=employer,
        new_form_group=request.new_form_group,
        # Asked for by the union that held the membership, on the member's behalf.
        requesting_org_id=request.membership.union_id,
        requested_by=by,
        request_comment=_("Transfer of membership asked for by the member"),
    )
    file_transfer_move(transfer=transfer, by=by)


@transaction.atomic
def membership_request_confirm(
    *, by, request: MembershipRequest, comment: str = ""
) -> MembershipRequest:
    """The member's union confirms: the transfer or the leaving happens now.

    A transfer ends the membership and starts one at the union ``join_route``
    names for the new employer (``membership_transfer``, which tells the worker),
    and the person's employer and file move there; leaving ends the membership
    with the worker's reason (``membership_leave``).
    """
    request = _open_request_for(by, request)
    current = request.membership
    if current.status != MembershipStatus.ACTIVE:
        raise ValidationError(
            _("The membership this request is about has ended already: decline the request.")
        )
    comment = (comment or "").strip()
    if request.kind == MembershipRequestKind.TRANSFER:
        union, _route = join_route(employer=request.employer, new_form_group=request.new_form_group)
        request.result = membership_transfer(
            by=by, person=request.person, to_union=union, note=_("Asked for by the member")
        )
        _move_to_employer(by=by, request=request)
        _close_request(request, by=by, status=MembershipRequestStatus.CONFIRMED, comment=comment)
    else:
        ended = membership_leave(by=by, person=request.person, reason=request.reason)
        _close_request(request, by=by, status=MembershipRequestStatus.CONFIRMED, comment=comment)
        _request_notice(
            request,
            title=_("You have left %(union)s") % {"union": current.union.name},
            body=_(
                "As you asked, your membership ended on %(date)s. You can join again at any time."
            )
            % {"date": ended.ended_on.isoformat()},
            sms=True,
        )
    return request


@transaction.atomic
def membership_request_decline(*, by, request: MembershipRequest, reason: str) -> MembershipRequest:
    """The member's union declines, with a reason the worker reads; nothing else changes."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is declined.")})
    request = _open_request_for(by, request)
    _close_request(request, by=by, status=MembershipRequestStatus.DECLINED, comment=reason)
    _request_notice(
        request,
        title=_("Your request was declined"),
        body=_("%(union)s declined your request (%(request)s): %(reason)s")
        % {
            "union": request.membership.union.name,
            "request": request.get_kind_display(),
            "reason": reason,
        },
        sms=True,
    )
    return request


@transaction.atomic
def membership_request_withdraw(*, person: Person, request: MembershipRequest) -> MembershipRequest:
    """The worker withdraws their own open request (the portal has authenticated them)."""
    try:
        request = (
            MembershipRequest.objects.select_for_update()
            .select_related("person")
            .get(pk=request.pk, person_id=person.pk)
        )
    except MembershipRequest.DoesNotExist:
        raise PermissionDenied(_("This request is not yours.")) from None
    _check_request_open(request)
    _close_request(request, by=None, status=MembershipRequestStatus.WITHDRAWN)
    _request_notice(
        request,
        title=_("You withdrew your request"),
        body=_("%(request)s: withdrawn. Nothing has changed in your membership.")
        % {"request": request.get_kind_display()},
    )
    return request
