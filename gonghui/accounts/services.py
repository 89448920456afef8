"""Writes to staff accounts: passwords, second-factor devices, sign-in failure counts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import totp
from .models import User


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
        raise PermissionDenied(_("Only the account holder or a superuser can change a password."))
    user = User.objects.select_for_update().get(pk=user.pk)
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.must_change_password = by.pk != user.pk
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


def sign_in_failures_reset(*, user: User) -> int:
    """Forget the account's failed sign-in attempts once a sign-in passed every step.

    Set as the end of the sign-in instead of django-axes' AXES_RESET_ON_SUCCESS,
    which would reset at the password step and so let wrong second-factor codes
    go uncounted as long as the password is known.
    """
    from axes.handlers.proxy import AxesProxyHandler

    return AxesProxyHandler.reset_attempts(username=user.get_username())
