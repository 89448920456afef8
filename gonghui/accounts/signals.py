"""Reactions to sign-ins and to password changes made by any path."""

from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import pre_save
from django.dispatch import receiver
from django.utils import timezone

from .middleware import SIGNED_IN_AT_SESSION_KEY
from .models import User
from .passwords import remember_replaced_password
from .services import sign_in_failures_reset
from .state import account_state
from .totp import has_confirmed_device


@receiver(user_logged_in, dispatch_uid="gonghui.accounts.signed_in")
def signed_in(sender, request, user, **kwargs):
    # The start of the session, for its absolute time limit (SessionLimitsMiddleware).
    if request is not None and hasattr(request, "session"):
        request.session[SIGNED_IN_AT_SESSION_KEY] = timezone.now().timestamp()
    # Read the account's roles and permissions now, for the pages that follow.
    account_state(user)
    # Without a confirmed device the password was the last step; with one, the
    # failures are forgotten only after the code (views.OTPVerifyView).
    if not has_confirmed_device(user):
        sign_in_failures_reset(user=user, request=request)


@receiver(pre_save, sender=User, dispatch_uid="gonghui.accounts.password_replaced")
def password_replaced(sender, instance, update_fields=None, **kwargs):
    """Keep the old hash and stamp the time on every password change, whichever path
    made it: this console's service, the Django admin, ``changepassword``.

    Django keeps the new raw password in ``_password`` from ``set_password()`` until
    the save, and clears it before saving a mere hash upgrade at sign-in, so it
    tells a real change from a re-hash.
    """
    if instance.pk is None or getattr(instance, "_password", None) is None:
        return
    old_hash = User.objects.filter(pk=instance.pk).values_list("password", flat=True).first()
    if old_hash and old_hash != instance.password:
        remember_replaced_password(instance.pk, old_hash)
    if update_fields is None or "password_changed_at" in update_fields:
        instance.password_changed_at = timezone.now()
