"""Staff accounts: each belongs to one organisation and holds roles."""

from datetime import timedelta

from django.contrib.auth.models import AbstractUser, Group, UserManager
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.scope import ScopedQuerySet, sees_everything


class Role(models.TextChoices):
    """The roles of the staff console. Each is a Django group of the same name
    whose permissions are kept by the ``sync_roles`` migration/command; the
    organisation of the user decides *where* a role applies (the scope rule)."""

    COUNTY_ADMIN = "county_admin", _("County administrator")
    STAFF = "staff", _("Union staff")
    GRASSROOTS_CHAIR = "grassroots_chair", _("Grassroots union chair")
    LEGAL_AID = "legal_aid", _("Legal-aid handler")
    MEDIATOR = "mediator", _("Mediator")
    COUNSELLOR = "counsellor", _("Counsellor")
    JUDGE = "judge", _("Competition judge")
    LEADER = "leader", _("Leader (read only)")
    # The separation of powers (三权分立, GB/T 22239-2019 level 3): three county roles
    # beside the operational ones, each held alone (``accounts.roles.SEPARATED_ROLES``).
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDITOR = "auditor", _("Auditor")


#: Roles whose holders must sign in with a second factor.
ROLES_REQUIRING_OTP = {Role.COUNTY_ADMIN, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR}


class UserQuerySet(ScopedQuerySet):
    """Staff accounts belong to the subtree of their organisation; an account
    without one (a superuser, an outsider) is in nobody's subtree."""

    scope_fields = ("organisation",)

    def for_user(self, user) -> "UserQuerySet":
        # A superuser account is managed by superusers only, wherever it is placed.
        scoped = super().for_user(user)
        return scoped if sees_everything(user) else scoped.filter(is_superuser=False)


class StaffUserManager(UserManager.from_queryset(UserQuerySet)):
    """Django's user manager (create_user, natural keys) with the scoped queryset."""


class User(AbstractUser):
    """A staff user. ``organisation`` is the root of everything the user may see,
    and places the account itself in the subtree of those who manage it."""

    organisation = models.ForeignKey(
        "orgs.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    must_change_password = models.BooleanField(_("must change password"), default=True)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    #: Replaced by every change of the account's roles, permissions or devices
    #: (``accounts.state``), which keeps them between requests under it.
    access_version = models.PositiveIntegerField(default=0, editable=False)

    objects = StaffUserManager()

    class Meta:
        verbose_name = _("staff user")
        verbose_name_plural = _("staff users")
        permissions = [
            ("manage_staff", _("Can open, change and close the staff accounts of the own subtree")),
            ("grant_roles", _("Can give and take the roles of staff accounts")),
            ("manage_sign_in", _("Can unlock staff accounts and reset their authenticator app")),
        ]

    def get_absolute_url(self) -> str:
        return reverse("accounts:staff-detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        return (self.last_name + self.first_name) or self.username

    def save(self, *args, **kwargs):
        # ``access_version`` is written by ``accounts.state.bump()`` alone; a save of
        # an object read before a bump must not restore the old number.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name != "access_version"
            ]
        super().save(*args, **kwargs)

    def role_names(self) -> set[str]:
        if not hasattr(self, "_role_names"):
            if self.pk is None:
                self._role_names = set()
            else:
                from .state import account_state

                self._role_names = set(account_state(self).role_names)
        return self._role_names

    @property
    def role_labels(self) -> str:
        """The role names for a list (reads prefetched ``groups`` when there are any)."""
        labels = dict(Role.choices)
        return ", ".join(sorted(str(labels.get(g.name, g.name)) for g in self.groups.all()))

    @property
    def status_label(self) -> str:
        return str(_("Active") if self.is_active else _("Deactivated"))

    def has_role(self, role: str) -> bool:
        return role in self.role_names()

    @property
    def requires_otp(self) -> bool:
        return self.is_superuser or bool(self.role_names() & set(ROLES_REQUIRING_OTP))

    def password_expired(self, max_age_days: int) -> bool:
        if self.password_changed_at is None:
            return True
        return timezone.now() - self.password_changed_at > timedelta(days=max_age_days)


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so that the last few are not reused."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="pwhistory_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d %H:%M}"


def role_group(role: str) -> Group:
    group, _created = Group.objects.get_or_create(name=role)
    return group


class DeviceSignInFailures(models.Model):
    """The failed sign-ins of one browser holding a valid device cookie for the account
    (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").

    They lock that browser only (``accounts.lockout``), never the account, so a
    stranger's failures do not keep the owner out and the owner's typos do not
    lock the account. django-axes counts by user name, address and user agent
    only, hence this table. The count lapses AXES_COOLOFF_TIME after the latest
    failure, as django-axes' own counts do.
    """

    nonce = models.CharField(max_length=32)
    username = models.CharField(max_length=150)
    failures = models.PositiveIntegerField(default=0)
    last_failure_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["nonce"], name="device_failures_one_row_per_device")
        ]
        # An administrator's unlock clears the rows of one account.
        indexes = [models.Index(fields=["username"], name="device_failures_username")]

    def __str__(self) -> str:
        return f"{self.username} {self.failures}"
