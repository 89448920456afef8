"""Writes to staff accounts: the accounts themselves (by the administrators of a
subtree), passwords, second-factor devices, sign-in failure counts."""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from auditlog.models import LogEntry
from django.contrib.auth import SESSION_KEY, password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from gonghui.core.scope import is_in_scope

from . import totp
from .devicecookies import trusted_device
from .models import DeviceSignInFailures, Role, User, role_group
from .roles import SEPARATED_ROLES, breaks_separation, grantable_roles

if TYPE_CHECKING:
    from gonghui.orgs.models import Organisation

#: The three powers over staff accounts (accounts.roles, "the separation of powers").
MANAGE_STAFF = "accounts.manage_staff"  # open, change, close accounts; passwords
GRANT_ROLES = "accounts.grant_roles"  # give and take roles
MANAGE_SIGN_IN = "accounts.manage_sign_in"  # unlock, reset the authenticator app

#: Letters and digits that read unambiguously when an administrator dictates a
#: temporary password over the phone (no 0/O, 1/l/I).
_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
TEMPORARY_PASSWORD_LENGTH = 14


@transaction.atomic
def user_password_change(*, user: User, new_password: str, by: User) -> User:
    """Give ``user`` a new password that passes every rule in AUTH_PASSWORD_VALIDATORS.

    The account holder's own change ends any forced change. A password that a
    superuser sets for someone else is a temporary one: its holder must choose
    their own at the next sign-in. The old hash goes to the history and the
    change time is stamped on save (``signals.password_replaced``, which sees the
    Django admin's changes too). Every other session of the user ends at its next request, because
    Django's session hash derives from the password hash; the caller keeps its
    own session with ``update_session_auth_hash``.
    """
    if by.pk != user.pk and not by.is_superuser:
        # An administrator of the account's subtree never chooses the password:
        # user_password_reset gives a random temporary one.
        raise PermissionDenied(_("Only the account holder or a superuser can change a password."))
    return _password_set(user=user, new_password=new_password, temporary=by.pk != user.pk)


def _password_set(*, user: User, new_password: str, temporary: bool) -> User:
    user = User.objects.select_for_update().get(pk=user.pk)
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = temporary
    user.save()
    return user


@transaction.atomic
def totp_device_confirm(*, user: User, key: str, token: str, by: User) -> TOTPDevice:
    """Turn on two-step verification with the app holding ``key``, proven by a current code.

    Only the account holder can do this, and only while no confirmed device
    exists: otherwise someone holding just the password could add an app of
    their own and pass the second step with it.
    """
    if by.pk != user.pk:
        raise PermissionDenied(_("Only the account holder can set up their authenticator app."))
    # The row lock makes two confirmations of one account wait for each other.
    user = User.objects.select_for_update().get(pk=user.pk)
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(
            _("Two-step verification is already on for this account."), code="otp_exists"
        )
    step = totp.matching_step(key, token)
    if step is None:
        raise ValidationError(
            _(
                "That code is not right. Enter the code the app shows now for this account; "
                "if it keeps failing, check that the phone's clock is correct."
            ),
            code="otp_invalid",
        )
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(
        user=user,
        name=_("Authenticator app"),
        key=key,
        step=totp.STEP,
        digits=totp.DIGITS,
        tolerance=totp.TOLERANCE,
        confirmed=True,
        # The confirming code may not be used again to sign in.
        last_t=step,
    )


def sign_in_failures_reset(*, user: User, request: HttpRequest | None = None) -> int:
    """Forget failed sign-ins of the account: those of the client of ``request``
    once its sign-in passed every step, or all of them (an administrator's unlock,
    without a request). Returns how many records were forgotten.

    Set as the end of the sign-in instead of django-axes' AXES_RESET_ON_SUCCESS,
    which would reset at the password step and so let wrong second-factor codes
    go uncounted as long as the password is known. A browser holding the
    account's device cookie forgets only its own failures: its owner signing in
    does not lift the lock a stranger's guesses put on the account for other
    browsers (``accounts.lockout``).
    """
    from axes.handlers.proxy import AxesProxyHandler

    username = user.get_username()
    nonce = trusted_device(request, username)
    if nonce is not None:
        return DeviceSignInFailures.objects.filter(nonce=nonce).delete()[0]
    return AxesProxyHandler.reset_attempts(username=username)


def _require_manager(by: User, permission: str = MANAGE_STAFF) -> None:
    if not (by.is_active and by.has_perm(permission)):
        raise PermissionDenied(
            {
                MANAGE_STAFF: _("You are not allowed to manage staff accounts."),
                GRANT_ROLES: _("You are not allowed to give or take roles."),
                MANAGE_SIGN_IN: _(
                    "You are not allowed to unlock accounts or reset their authenticator app."
                ),
            }[permission]
        )


def _require_manageable(by: User, user: User, permission: str = MANAGE_STAFF) -> None:
    """``by`` holds ``permission``, and ``user`` is an account they may use it on: in
    their subtree, not a superuser; for the accounts and the roles, not an account of
    the separated powers (a superuser's to manage) nor one holding roles ``by`` may
    not give. Unlocking and resetting the authenticator reach those accounts too: the
    security administrator helps the system administrator who lost a phone."""
    _require_manager(by, permission)
    if by.is_superuser:
        return
    if user.is_superuser or not is_in_scope(by, user.organisation):
        raise PermissionDenied(_("This account is outside your organisation."))
    if permission == MANAGE_SIGN_IN:
        return
    if user.role_names() & SEPARATED_ROLES:
        raise PermissionDenied(
            _(
                "The accounts of the system administrator, the security administrator and "
                "the auditor are managed by the superuser only."
            )
        )
    if permission == GRANT_ROLES:
        above = user.role_names() - grantable_roles(by)
        if above:
            raise PermissionDenied(
                _(
                    "This account holds roles you may not give (%(roles)s), so you may not "
                    "manage it."
                )
                % {"roles": _role_labels(above)}
            )


def user_powers(*, by: User, user: User) -> set[str]:
    """Which of the powers over staff accounts ``by`` may use on ``user`` (for the page to
    offer only those actions; each service asks again)."""
    powers = set()
    for permission in (MANAGE_STAFF, GRANT_ROLES, MANAGE_SIGN_IN):
        try:
            _require_manageable(by, user, permission)
        except PermissionDenied:
            continue
        powers.add(permission)
    return powers


def _role_labels(roles: Iterable[str]) -> str:
    labels = dict(Role.choices)
    return ", ".join(sorted(str(labels.get(role, role)) for role in roles))


def _check_organisation(by: User, organisation: Organisation | None) -> None:
    if organisation is None:
        raise ValidationError(
            {"organisation": _("Choose the organisation the account belongs to.")}
        )
    if not is_in_scope(by, organisation):
        raise PermissionDenied(_("The organisation is outside your scope."))


def _check_roles(by: User, roles: Iterable[str]) -> set:
    """The roles ``by`` may give an account; refuses anything else."""
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError(
            {"roles": _("Unknown role: %(roles)s.") % {"roles": ", ".join(unknown)}}
        )
    refused = roles - grantable_roles(by)
    if refused:
        raise PermissionDenied(
            _("You may not give these roles: %(roles)s.") % {"roles": _role_labels(refused)}
        )
    if not roles:
        raise ValidationError({"roles": _("Give the account at least one role.")})
    if breaks_separation(roles):
        raise ValidationError(
            {
                "roles": _(
                    "The system administrator, the security administrator and the auditor "
                    "each hold their role alone, with no other role."
                )
            }
        )
    return roles


def _set_roles(user: User, roles: set) -> None:
    user.groups.set([role_group(role) for role in sorted(roles)])
    user.__dict__.pop("_role_names", None)


def _audit(user: User, by: User, what: str, before: str, after: str) -> None:
    """An audit entry for a change that is not a column of the account (devices, lockouts)."""
    LogEntry.objects.log_create(
        user,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=by,
        changes={what: [before, after]},
    )


def _end_sessions(user: User) -> int:
    """Delete the open sessions of ``user``; returns how many.

    Sessions are stored by key, not by user, so the live ones are read; there are
    few, as an idle session expires after SESSION_COOKIE_AGE. (A closed account's
    session would not sign anyone in anyway, since the backends refuse an inactive
    user, and a changed password voids the session hash; deleting them leaves no
    half-open session behind.)
    """
    ended = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get(SESSION_KEY) == str(user.pk)
    ]
    Session.objects.filter(pk__in=ended).delete()
    return len(ended)


def temporary_password(user: User) -> str:
    """A random password that passes every password rule for ``user``.

    Shown once to the administrator and never stored in clear; its holder must
    replace it at the next sign-in (``must_change_password``).
    """
    while True:
        candidate = "".join(
            secrets.choice(_TEMPORARY_ALPHABET) for _i in range(TEMPORARY_PASSWORD_LENGTH)
        )
        try:
            password_validation.validate_password(candidate, user)
        except ValidationError:
            # Rare: too few character classes, or it happens to contain a name.
            continue
        return candidate


@transaction.atomic
def user_create(
    *,
    by: User,
    username: str,
    last_name: str,
    first_name: str = "",
    phone: str = "",
    organisation: Organisation | None,
    roles: Iterable[str] = (),
) -> tuple[User, str]:
    """Open a staff account in ``by``'s subtree; returns it with its temporary password.

    The password is temporary: the middleware sends its holder to choose their
    own at the first sign-in, after setting up the second factor if a role needs it.
    """
    _require_manager(by)
    _check_organisation(by, organisation)
    # Roles are the security administrator's to give (GRANT_ROLES): an account opened by
    # the system administrator has none until then.
    roles = set(roles or ())
    if roles or by.has_perm(GRANT_ROLES):
        _require_manager(by, GRANT_ROLES)
        roles = _check_roles(by, roles)
    username = (username or "").strip()
    if not username:
        raise ValidationError({"username": _("Enter a user name.")})
    User.username_validator(username)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError(
            {"username": _("The user name “%(username)s” is taken.") % {"username": username}}
        )
    user = User(
        username=username,
        last_name=last_name.strip(),
        first_name=first_name.strip(),
        phone=phone.strip(),
        organisation=organisation,
        must_change_password=True,
    )
    password = temporary_password(user)
    user.set_password(password)
    try:
        # A savepoint, so that the outer transaction survives a lost race on the name.
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise ValidationError(
            {"username": _("The user name “%(username)s” is taken.") % {"username": username}}
        ) from None
    if roles:
        _set_roles(user, roles)
    return user, password


@transaction.atomic
def user_update(
    *,
    by: User,
    user: User,
    last_name: str | None = None,
    first_name: str | None = None,
    phone: str | None = None,
    organisation: Organisation | None = None,
    roles: Iterable[str] | None = None,
) -> User:
    """Change the name, phone and organisation of an account (the system administrator's
    power) and its roles (the security administrator's); what is not given stays."""
    user = User.objects.select_for_update().get(pk=user.pk)
    details = {
        "last_name": user.last_name if last_name is None else last_name.strip(),
        "first_name": user.first_name if first_name is None else first_name.strip(),
        "phone": user.phone if phone is None else phone.strip(),
        "organisation": organisation or user.organisation,
    }
    details_changed = (
        any(
            getattr(user, name) != value
            for name, value in details.items()
            if name != "organisation"
        )
        or getattr(details["organisation"], "pk", None) != user.organisation_id
    )
    roles = user.role_names() if roles is None else set(roles)
    roles_changed = roles != user.role_names()
    if not (details_changed or roles_changed):
        # Nothing changes; still refused to whoever may change nothing of it.
        _require_manageable(by, user, GRANT_ROLES if by.has_perm(GRANT_ROLES) else MANAGE_STAFF)
    if details_changed:
        _require_manageable(by, user, MANAGE_STAFF)
        _check_organisation(by, details["organisation"])
        if user.pk == by.pk and details["organisation"].pk != user.organisation_id:
            raise PermissionDenied(_("You may not move your own account to another organisation."))
        for name, value in details.items():
            setattr(user, name, value)
        user.save(update_fields=["last_name", "first_name", "phone", "organisation"])
    if roles_changed:
        if user.pk == by.pk:
            raise PermissionDenied(_("You may not change your own roles."))
        _require_manageable(by, user, GRANT_ROLES)
        _set_roles(user, _check_roles(by, roles))
    return user


@transaction.atomic
def user_deactivate(*, by: User, user: User) -> User:
    """Close an account: it can no longer sign in, and its open sessions end."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_manageable(by, user)
    if user.pk == by.pk:
        raise PermissionDenied(_("You may not deactivate your own account."))
    if not user.is_active:
        raise ValidationError(_("This account is already deactivated."), code="inactive")
    user.is_active = False
    user.save(update_fields=["is_active"])
    _end_sessions(user)
    return user


@transaction.atomic
def user_reactivate(*, by: User, user: User) -> User:
    """Open a deactivated account again, with the password and device it had."""
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_manageable(by, user)
    if user.pk == by.pk:
        raise PermissionDenied(_("You may not reactivate your own account."))
    if user.is_active:
        raise ValidationError(_("This account is already active."), code="active")
    user.is_active = True
    user.save(update_fields=["is_active"])
    return user


@transaction.atomic
def user_password_reset(*, by: User, user: User) -> tuple[User, str]:
    """Give an account ``by`` manages a new temporary password; returns it once.

    Set as ``user_password_change`` sets a password a superuser chose: the
    holder must change it at the next sign-in, the old hash goes to the history,
    and every open session of the account ends (its hash changes).
    """
    _require_manageable(by, user)
    if user.pk == by.pk:
        raise PermissionDenied(_("Change your own password on the “Change password” page instead."))
    password = temporary_password(user)
    user = _password_set(user=user, new_password=password, temporary=True)
    _end_sessions(user)
    return user, password


@transaction.atomic
def user_totp_reset(*, by: User, user: User) -> int:
    """Remove the account's authenticator app, e.g. after the phone was lost.

    Open sessions lose their second step at the next request; a holder whose
    role requires the second factor sets up a new app at the next sign-in.
    Returns how many devices were removed.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    _require_manageable(by, user, MANAGE_SIGN_IN)
    if user.pk == by.pk:
        raise PermissionDenied(_("Ask another administrator to reset your authenticator app."))
    removed, _by_model = TOTPDevice.objects.filter(user=user).delete()
    if not removed:
        raise ValidationError(
            _("This account has no authenticator app to reset."), code="no_device"
        )
    _audit(user, by, str(_("authenticator app")), str(_("set up")), str(_("removed")))
    return removed


@transaction.atomic
def user_unlock(*, by: User, user: User) -> int:
    """Forget the account's failed sign-ins, its browsers' with a device cookie too,
    which lifts every lockout of the account at once.
    Returns how many failures were forgotten."""
    from .selectors import device_sign_in_failures, sign_in_failures

    _require_manageable(by, user, MANAGE_SIGN_IN)
    failures = sign_in_failures(user) + device_sign_in_failures(user)
    if not failures:
        raise ValidationError(
            _("This account has no failed sign-ins to clear."), code="no_failures"
        )
    sign_in_failures_reset(user=user)
    _audit(user, by, str(_("failed sign-ins")), str(failures), "0")
    return failures
