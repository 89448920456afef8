"""The worker portal's rules: signing in by a one-time code, sessions, and binding an
account to the worker's person file. Views and tests call these; nothing else
writes the portal's tables.

The numbers (docs/portal.md says why): a code lives five minutes, is used once and
dies after five wrong tries; a number is sent at most one code a minute, five an
hour and ten a day, an address twenty an hour and fifty a day; a session lasts
``PORTAL_SESSION_DAYS``; five failed bindings lock binding for a day.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from gonghui.core.crypto import encrypt, keyed_hash
from gonghui.core.idnumbers import parse_id_number
from gonghui.core.phones import parse_phone
from gonghui.inbox.models import MessageKind
from gonghui.inbox.services import notify
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person, id_hash, phone_hash
from gonghui.people.services import PersonAlreadyRegistered, normalise_name, person_create
from gonghui.security.events import EventKind, EventResult, security_event
from gonghui.workdays.calendar import add_working_days

from .models import (
    PHONE_CONTEXT,
    BindingReason,
    BindingRequest,
    BindingStatus,
    CorrectionRequest,
    CorrectionStatus,
    PortalSession,
    SignInCode,
    WorkerAccount,
)

CODE_LIFETIME = timedelta(minutes=5)
CODE_WRONG_TRIES = 5
CODE_DIGITS = 6


@dataclass(frozen=True)
class Limit:
    window: timedelta
    most: int
    message: str  # what the worker is told, with %(most)d


def _per_number() -> tuple[Limit, ...]:
    return (
        Limit(
            timedelta(minutes=1),
            1,
            _("A code was sent to this number less than a minute ago. Wait a minute."),
        ),
        Limit(
            timedelta(hours=1),
            5,
            _("This number was sent %(most)d codes in the last hour. Try again later."),
        ),
        Limit(
            timedelta(days=1),
            10,
            _("This number was sent %(most)d codes today. Try again tomorrow."),
        ),
    )


def _per_address() -> tuple[Limit, ...]:
    message = _("Too many codes were asked from your network. Try again later.")
    return (Limit(timedelta(hours=1), 20, message), Limit(timedelta(days=1), 50, message))


BINDING_TRIES = 5
BINDING_LOCK = timedelta(days=1)


# --- Codes ----------------------------------------------------------------------------


def _code_hash(number_hash: str, code: str) -> str:
    # Keyed and bound to the number: a leaked table gives no code, and a code sent
    # to one number never matches another's.
    return keyed_hash(f"{number_hash}:{code}", purpose="portal-sign-in-code")


def code_send(*, phone: str, address: str | None, now: datetime | None = None) -> None:
    """Send a sign-in code to ``phone``, within the limits; ValidationError says why not."""
    from gonghui.sms.backends import SmsError
    from gonghui.sms.services import send_now

    now = now or timezone.now()
    number = parse_phone(phone)
    number_hash = phone_hash(number)
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    with transaction.atomic():
        _check_limits(number_hash, address, now)
        # Only the newest code works: asking again ends the older ones.
        SignInCode.objects.filter(
            phone_hash=number_hash, used_at__isnull=True, expires_at__gt=now
        ).update(expires_at=now)
        row = SignInCode.objects.create(
            phone_hash=number_hash,
            address=address,
            code_hash=_code_hash(number_hash, code),
            created_at=now,
            expires_at=now + CODE_LIFETIME,
        )
    text = _("Your sign-in code is %(code)s. It is valid for 5 minutes. Never tell anyone.") % {
        "code": code
    }
    try:
        send_now(number, text)
    except SmsError:
        row.delete()  # not sent: it does not count against the worker's limits
        raise ValidationError(
            _("The code could not be sent just now. Try again in a minute.")
        ) from None


def _check_limits(number_hash: str, address: str | None, now: datetime) -> None:
    sent = SignInCode.objects.filter(phone_hash=number_hash)
    for limit in _per_number():
        if sent.filter(created_at__gt=now - limit.window).count() >= limit.most:
            raise ValidationError(limit.message % {"most": limit.most}, code="limit")
    if address:
        asked = SignInCode.objects.filter(address=address)
        for limit in _per_address():
            if asked.filter(created_at__gt=now - limit.window).count() >= limit.most:
                raise ValidationError(limit.message % {"most": limit.most}, code="limit")


def code_check(
    *, phone: str, code: str, address: str | None = None, now: datetime | None = None
) -> WorkerAccount:
    """The account of ``phone`` (created at its first sign-in) if ``code`` is its newest
    code, unused and in time; ValidationError otherwise, and the wrong try is counted."""
    now = now or timezone.now()
    number = parse_phone(phone)
    number_hash = phone_hash(number)
    code = "".join(ch for ch in code or "" if not ch.isspace())
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone_hash=number_hash, used_at__isnull=True)
            .order_by("-created_at", "-pk")
            .first()
        )
        if row is None or row.expires_at <= now or row.wrong_tries >= CODE_WRONG_TRIES:
            problem = _("This code has expired or was already used. Ask for a new code.")
        elif not hmac.compare_digest(row.code_hash, _code_hash(number_hash, code)):
            row.wrong_tries += 1
            row.save(update_fields=["wrong_tries"])
            left = CODE_WRONG_TRIES - row.wrong_tries
            problem = (
                ngettext(
                    "Wrong code. %(left)d more try with this code.",
                    "Wrong code. %(left)d more tries with this code.",
                    left,
                )
                % {"left": left}
                if left
                else _("Wrong code, five times: this code no longer works. Ask for a new code.")
            )
        else:
            problem = None
            row.used_at = now
            row.save(update_fields=["used_at"])
            account = _account_for(number, number_hash, now)
    if problem is not None:
        security_event(
            kind=EventKind.SIGN_IN_FAILED,
            result=EventResult.REFUSED,
            object_type="portal.workeraccount",
            detail={"portal": True},
        )
        raise ValidationError(problem, code="code")
    security_event(kind=EventKind.SIGN_IN, obj=account, detail={"portal": True})
    return account


def _account_for(number: str, number_hash: str, now: datetime) -> WorkerAccount:
    account = WorkerAccount.objects.select_for_update().filter(phone_hash=number_hash).first()
    if account is None:
        account = WorkerAccount.objects.create(
            phone_hash=number_hash,
            phone_encrypted=encrypt(number, context=PHONE_CONTEXT),
            last_sign_in_at=now,
        )
    else:
        account.last_sign_in_at = now
        account.save(update_fields=["last_sign_in_at"])
    return account


# --- Sessions -------------------------------------------------------------------------


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def session_start(account: WorkerAccount, *, now: datetime | None = None) -> str:
    """A new session for ``account``; returns the token for the cookie (kept nowhere else)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(32)
    PortalSession.objects.create(
        account=account,
        token_hash=_token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.PORTAL_SESSION_DAYS),
    )
    return token


def session_account(token: str | None, *, now: datetime | None = None) -> WorkerAccount | None:
    """The account a cookie's token signs in, if its session is alive, with the name,
    card number and union of its file: what the portal's pages show most."""
    if not token:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            _session_sql(),
            [_token_hash(token), connection.ops.adapt_datetimefield_value(now or timezone.now())],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    account_id, person_id, name, card_number, union_id, union_name = row
    account = WorkerAccount.from_db(connection.alias, ["id", "person_id"], [account_id, person_id])
    if person_id is not None:
        person = Person.from_db(
            connection.alias,
            ["id", "name", "card_number", "current_union_id"],
            [person_id, name, card_number, union_id],
        )
        if union_id is not None:
            person.current_union = Organisation.from_db(
                connection.alias, ["id", "name"], [union_id, union_name]
            )
        account.person = person
    return account


@functools.cache
def _session_sql() -> str:
    """Every portal request asks it, so it is written once by hand: the ORM spends
    0.25-0.75 ms building this join on each call, the database 0.02 ms answering it
    (bench/portal_home.py). The other fields load when a page reads them."""
    quote = connection.ops.quote_name
    session, account, person, union = (
        quote(model._meta.db_table)
        for model in (PortalSession, WorkerAccount, Person, Organisation)
    )
    return (
        f"SELECT a.id, a.person_id, p.name, p.card_number, p.current_union_id, u.name "
        f"FROM {session} s JOIN {account} a ON a.id = s.account_id "
        f"LEFT JOIN {person} p ON p.id = a.person_id "
        f"LEFT JOIN {union} u ON u.id = p.current_union_id "
        f"WHERE s.token_hash = %s AND s.ended_at IS NULL AND s.expires_at > %s"
    )


def session_end(token: str | None) -> None:
    """Sign out: the session ends on the server, whatever the phone keeps."""
    if token:
        PortalSession.objects.filter(token_hash=_token_hash(token), ended_at__isnull=True).update(
            ended_at=timezone.now()
        )


# --- Binding ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Mismatch:
    left: int  # tries left before the lock


def binding_submit(
    *,
    account: WorkerAccount,
    name: str,
    id_number: str,
    employer: Employer | None = None,
    now: datetime | None = None,
) -> BindingRequest | None:
    """Bind ``account`` to the file of ``id_number``: at once when the file holds this
    very number (or no number) and no other account, else by a request the worker's
    union confirms (returned). Without a file, one is started at ``employer``.

    A name that does not match the number's file is refused without saying whose the
    number is, and counts: ``BINDING_TRIES`` failures lock binding for a day."""
    now = now or timezone.now()
    with transaction.atomic():
        outcome = _binding_try(account, name, id_number, employer, now)
    if isinstance(outcome, _Mismatch):  # refused after the failure was counted
        if outcome.left <= 0:
            raise ValidationError(
                _("The name and the ID number do not match. Binding is locked for a day.")
            )
        raise ValidationError(
            ngettext(
                "The name and the ID number do not match. Check both: %(left)d more try.",
                "The name and the ID number do not match. Check both: %(left)d more tries.",
                outcome.left,
            )
            % {"left": outcome.left}
        )
    return outcome


def _binding_try(account, name, id_number, employer, now) -> BindingRequest | _Mismatch | None:
    account = WorkerAccount.objects.select_for_update().get(pk=account.pk)
    if account.person_id is not None:
        raise ValidationError(_("Your account is already linked to your file."))
    if account.binding_locked_until and account.binding_locked_until > now:
        raise ValidationError(
            _("Too many failed tries. You can try again after %(time)s.")
            % {"time": timezone.localtime(account.binding_locked_until).strftime("%Y-%m-%d %H:%M")}
        )
    if account.binding_requests.filter(status=BindingStatus.PENDING).exists():
        raise ValidationError(_("Your request is waiting for your union's answer."))
    resident = parse_id_number(id_number)
    person = Person.objects.select_for_update().filter(id_hash=id_hash(resident.number)).first()
    if person is None:
        return _bind_new_file(account, name, resident.number, employer, now)
    if normalise_name(name) != person.name:
        return _binding_failed(account, now)
    reason = _why_not_at_once(account, person)
    if reason is None:
        _bind(account, person, now)
        return None
    return BindingRequest.objects.create(account=account, person=person, reason=reason)


def _why_not_at_once(account: WorkerAccount, person: Person) -> str | None:
    if WorkerAccount.objects.filter(person=person).exclude(pk=account.pk).exists():
        return BindingReason.BOUND_ELSEWHERE
    if person.phone_hash and person.phone_hash != account.phone_hash:
        return BindingReason.OTHER_PHONE
    return None


def _bind(account: WorkerAccount, person: Person, now: datetime) -> None:
    account.person = person
    account.bound_at = now
    account.binding_failures = 0
    account.save(update_fields=["person", "bound_at", "binding_failures"])


def _bind_new_file(account, name, number, employer, now) -> None:
    if employer is None:
        raise ValidationError({"employer": _("Choose your employer.")})
    try:
        with transaction.atomic():
            person = person_create(
                by=None, name=name, id_number=number, phone=account.phone, employer=employer
            )
    except (PersonAlreadyRegistered, IntegrityError):  # registered this very moment
        raise ValidationError(_("Please try again.")) from None
    _bind(account, person, now)


def _binding_failed(account: WorkerAccount, now: datetime) -> _Mismatch:
    account.binding_failures += 1
    left = BINDING_TRIES - account.binding_failures
    if left <= 0:
        account.binding_failures = 0
        account.binding_locked_until = now + BINDING_LOCK
    account.save(update_fields=["binding_failures", "binding_locked_until"])
    return _Mismatch(left)


# --- The union's answer ----------------------------------------------------------------


@transaction.atomic
def binding_confirm(*, by, request: BindingRequest) -> BindingRequest:
    """The worker's union confirms that the number's owner is the file's person: the
    account is bound, and an account bound to the file before loses it."""
    request = _request_to_decide(by, request)
    now = timezone.now()
    WorkerAccount.objects.filter(person=request.person).exclude(pk=request.account_id).update(
        person=None, bound_at=None
    )
    _bind(WorkerAccount.objects.select_for_update().get(pk=request.account_id), request.person, now)
    notify(
        request.person,
        MessageKind.BINDING,
        title=_("Your union confirmed this phone"),
        body=_("Your file is shown in the portal now."),
        url=reverse("portal:home"),
    )
    return _decide(request, by, BindingStatus.CONFIRMED, "", now)


@transaction.atomic
def binding_refuse(*, by, request: BindingRequest, comment: str) -> BindingRequest:
    request = _request_to_decide(by, request)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why, for the worker.")})
    # The file's owner hears of it: the phone refused may have been a stranger's.
    notify(
        request.person,
        MessageKind.BINDING,
        title=_("A phone asked to be linked to your file"),
        body=_("Your union did not confirm it. If it was yours, ask your union."),
    )
    return _decide(request, by, BindingStatus.REFUSED, comment, timezone.now())


def _request_to_decide(by, request: BindingRequest) -> BindingRequest:
    if not by.has_perm("portal.change_bindingrequest"):
        raise PermissionDenied(_("You may not answer binding requests."))
    found = (
        BindingRequest.objects.for_user(by)
        .select_for_update()
        .filter(pk=request.pk)
        .select_related("person")
        .first()
    )
    if found is None:
        raise PermissionDenied(_("This request is outside your scope."))
    if found.status != BindingStatus.PENDING:
        raise ValidationError(_("This request was already answered."))
    return found


def _decide(request, by, status, comment, now) -> BindingRequest:
    request.status, request.decided_by, request.decided_at = status, by, now
    request.comment = comment
    request.save(update_fields=["status", "decided_by", "decided_at", "comment"])
    return request


# --- Corrections (PIPL art. 46) -----------------------------------------------------------

CORRECTION_WORKING_DAYS = 15


def correction_request(*, account: WorkerAccount, text: str) -> CorrectionRequest:
    """The worker asks for a correction of what is held about them; the union answers
    within ``CORRECTION_WORKING_DAYS`` working days."""
    text = (text or "").strip()
    if account.person_id is None:
        raise ValidationError(_("Link your file first."))
    if not text:
        raise ValidationError({"text": _("Say what is wrong and what is right.")})
    with transaction.atomic():
        # A second tap on the button sends the same words again: one request is enough.
        open_same = CorrectionRequest.objects.select_for_update().filter(
            person_id=account.person_id, status=CorrectionStatus.OPEN, text=text
        )
        if open_same.exists():
            return open_same.first()
        return CorrectionRequest.objects.create(
            person_id=account.person_id,
            text=text,
            due_on=add_working_days(timezone.localdate(), CORRECTION_WORKING_DAYS),
        )


@transaction.atomic
def correction_answer(*, by, request: CorrectionRequest, answer: str) -> CorrectionRequest:
    if not by.has_perm("portal.change_correctionrequest"):
        raise PermissionDenied(_("You may not answer correction requests."))
    found = CorrectionRequest.objects.for_user(by).select_for_update().filter(pk=request.pk).first()
    if found is None:
        raise PermissionDenied(_("This request is outside your scope."))
    if found.status != CorrectionStatus.OPEN:
        raise ValidationError(_("This request was already answered."))
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer the worker will read.")})
    found.status, found.answer = CorrectionStatus.ANSWERED, answer
    found.answered_by, found.answered_at = by, timezone.now()
    found.save(update_fields=["status", "answer", "answered_by", "answered_at"])
    notify(
        found.person,
        MessageKind.GENERAL,
        title=_("Your union answered your request to correct your data"),
        body=answer,
        url=reverse("portal:my-data"),
    )
    return found
