"""What a request needs to know about its signed-in account beyond the user row: its
roles, its permissions and whether it signs in with a second factor, kept in each
process from one request to the next.

Every console request used to ask the database for these (four queries, and the
sets Django builds from them) although they change only when someone changes the
account's roles, its groups' permissions or its devices. They are kept here under
a key that changes with the account:

- its id and when it was created (ids come back after a rollback or a flush);
- whether it is a superuser (a column of the row);
- ``access_version``, which every change of its groups, its own permissions, its
  groups' permissions or its devices replaces in the same transaction (the signals
  below) with a new random number: a number a rolled-back change wrote, and that a
  process may have kept a state under, never comes back. Only ``bump()`` writes it;
  ``User.save()`` never does, so an object read before a change cannot restore the
  old number.

The user row is read on every request anyway, so every process sees a change at
the account's next request. ``LIFETIME`` bounds anything changed behind the ORM's
back (a raw ``UPDATE`` of a group's permissions).
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass

from django.db.models.signals import m2m_changed, post_delete, post_save

#: Seconds an entry is used before it is read again from the database.
LIFETIME = 60
#: Entries kept per process; more are dropped all at once (accounts are few).
MAX_ENTRIES = 5000


@dataclass(frozen=True)
class AccountState:
    role_names: frozenset[str]
    #: "app_label.codename" of every permission the account holds (Django's format).
    permissions: frozenset[str]
    has_device: bool


_states: dict[tuple, tuple[float, AccountState]] = {}


def _key(user) -> tuple:
    return (user.pk, user.date_joined, user.is_superuser, user.access_version)


def _read(user) -> AccountState:
    from django.contrib.auth.backends import ModelBackend
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    # A fresh object of the same row, so that Django's per-object caches on
    # ``user`` stay as the request left them.
    fresh = User(pk=user.pk, is_active=True, is_superuser=user.is_superuser)
    return AccountState(
        role_names=frozenset(user.groups.values_list("name", flat=True)),
        permissions=frozenset(ModelBackend().get_all_permissions(fresh)),
        has_device=TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists(),
    )


def account_state(user) -> AccountState:
    """The roles, permissions and second-factor state of the saved account ``user``."""
    key = _key(user)
    now = time.monotonic()
    kept = _states.get(key)
    if kept is not None and now - kept[0] < LIFETIME:
        return kept[1]
    state = _read(user)
    if len(_states) >= MAX_ENTRIES:
        _states.clear()
    _states[key] = (now, state)
    return state


def bump(user_ids) -> None:
    """Give these accounts a new access version: their kept state is not used again."""
    from .models import User

    ids = [pk for pk in user_ids if pk is not None]
    if ids:
        # One number for all of them: the key holds the account's id too.
        User.objects.filter(pk__in=ids).update(access_version=secrets.randbelow(2**31 - 1) + 1)


def _refresh(user) -> None:
    """Bring an account object in memory up to its new version (a service may read
    its roles again in the same request)."""
    from .models import User

    user.access_version = (
        User.objects.filter(pk=user.pk).values_list("access_version", flat=True).first()
    )
    for cached in ("_role_names", "_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cached, None)


_CHANGES = ("post_add", "post_remove", "post_clear", "pre_clear")


def _account_m2m_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """An account's groups or own permissions, changed from either side."""
    if action not in _CHANGES:
        return
    if not reverse:
        bump([instance.pk])
        _refresh(instance)
    elif action == "pre_clear":
        # ``group.user_set.clear()``: the members are known only before.
        column = _field(sender, instance)
        bump(sender.objects.filter(**{column: instance.pk}).values_list("user_id", flat=True))
    else:
        bump(pk_set or ())


def _group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    from .models import User

    if action not in _CHANGES:
        return
    if not reverse:
        groups = [instance.pk]
    elif action == "pre_clear":
        groups = sender.objects.filter(permission_id=instance.pk).values_list("group_id", flat=True)
    else:
        groups = list(pk_set or ())
    members = User.groups.through.objects.filter(group_id__in=list(groups))
    bump(members.values_list("user_id", flat=True))


def _device_changed(sender, instance, **kwargs):
    bump([instance.user_id])
    user = instance._state.fields_cache.get("user")
    if user is not None:
        _refresh(user)


def connect_signals() -> None:
    """Raise the access version of the accounts each change touches (``AppConfig.ready``)."""
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .models import User

    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(
            _account_m2m_changed, sender=through, dispatch_uid=f"accounts.state.{through.__name__}"
        )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="accounts.state.group_permissions",
    )
    post_save.connect(_device_changed, sender=TOTPDevice, dispatch_uid="accounts.state.device")
    post_delete.connect(
        _device_changed, sender=TOTPDevice, dispatch_uid="accounts.state.device_gone"
    )


def _field(through, instance) -> str:
    """The column of an m2m table that points at ``instance``'s model."""
    for field in through._meta.get_fields():
        if getattr(field, "related_model", None) is type(instance):
            return field.attname
    raise LookupError(through)
