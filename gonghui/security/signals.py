"""Sign-ins, sign-outs, failures and lockouts become security events; every new
change-history entry is sealed into the ``changes`` chain once it commits."""

from auditlog.models import LogEntry
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import chain
from .events import security_event
from .models import EventKind, EventResult

#: The sender of ``user_login_failed`` for a wrong second-factor code
#: (``accounts.forms.OTPVerifyForm``, which reports it so that axes counts it).
SECOND_FACTOR_SENDER = "gonghui.accounts.forms"


@receiver(user_logged_in, dispatch_uid="gonghui.security.signed_in")
def signed_in(sender, request, user, **kwargs):
    security_event(kind=EventKind.SIGN_IN, by=user, request=request)


@receiver(user_logged_out, dispatch_uid="gonghui.security.signed_out")
def signed_out(sender, request, user, **kwargs):
    if user is not None:
        security_event(kind=EventKind.SIGN_OUT, by=user, request=request)


@receiver(user_login_failed, dispatch_uid="gonghui.security.sign_in_failed")
def sign_in_failed(sender, credentials, request=None, **kwargs):
    # Only the user name: Django hides the password in ``credentials``, and the
    # code tried is never passed on.
    kind = (
        EventKind.SECOND_FACTOR_FAILED
        if sender == SECOND_FACTOR_SENDER
        else EventKind.SIGN_IN_FAILED
    )
    security_event(
        kind=kind,
        username=str(credentials.get("username") or ""),
        result=EventResult.FAILED,
        request=request,
    )


@receiver(user_locked_out, dispatch_uid="gonghui.security.locked_out")
def locked_out(sender, request, username, ip_address, **kwargs):
    from gonghui.accounts.lockout import LOCK_ATTRIBUTE

    security_event(
        kind=EventKind.LOCKOUT,
        username=str(username or ""),
        result=EventResult.REFUSED,
        # Which lock (account, address, device) when the handler has said so already.
        detail={"lock": getattr(request, LOCK_ATTRIBUTE, None) or ""},
        request=request,
    )


@receiver(post_save, sender=LogEntry, dispatch_uid="gonghui.security.entry_written")
def entry_written(sender, instance, created, **kwargs):
    if created:
        chain.entry_written(instance.pk)


def _acting_user():
    from .middleware import current_request

    request = current_request.get()
    user = getattr(request, "user", None)
    return user if getattr(user, "is_authenticated", False) else None


def roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """A role given or taken, whichever path did it (the staff pages, the Django
    admin): the account acting is the one of the request being answered."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    if action not in ("post_add", "post_remove") or not pk_set:
        return
    direction = "added" if action == "post_add" else "removed"
    if reverse:  # group.user_set.add(...)
        changes = [
            (user, [instance.name]) for user in get_user_model().objects.filter(pk__in=pk_set)
        ]
    else:
        names = sorted(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        changes = [(instance, names)]
    by = _acting_user()
    for user, names in changes:
        security_event(kind=EventKind.ROLE_CHANGE, by=by, obj=user, detail={direction: names})
