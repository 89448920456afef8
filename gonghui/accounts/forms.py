"""Sign-in forms (the password step, the second factor, the password change) and
the forms of the staff-account pages."""

import math

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.contrib.auth import password_validation, user_login_failed
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp import devices_for_user, verify_token

from .models import Role
from .roles import grantable_roles
from .totp import DIGITS


class OTPTokenField(forms.CharField):
    """A six-digit code; spaces are dropped because apps show the code as "123 456"."""

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code from your authenticator app"))
        super().__init__(
            widget=forms.TextInput(
                attrs={
                    "autocomplete": "one-time-code",
                    "inputmode": "numeric",
                    "pattern": "[0-9 ]*",
                    "autofocus": True,
                }
            ),
            **kwargs,
        )

    def to_python(self, value):
        return "".join(str(value or "").split())

    def validate(self, value):
        super().validate(value)
        if value and not (value.isdigit() and len(value) == DIGITS):
            raise forms.ValidationError(
                _("The code is %(digits)d digits."), code="otp_format", params={"digits": DIGITS}
            )


class OTPVerifyForm(forms.Form):
    """The second step of signing in: a current code from one of the user's devices.

    A wrong code is reported like a wrong password (``user_login_failed``), so
    django-axes counts it toward the account's lockout.
    """

    otp_token = OTPTokenField()

    error_messages = {
        "invalid": _(
            "That code is not right. Enter the code your authenticator app shows now; "
            "if it keeps failing, check that the phone's clock is correct."
        ),
        "locked": _("Too many failed attempts: this account is locked for now."),
    }

    def __init__(self, *args, request, user, **kwargs):
        self.request = request
        self.user = user
        self.device = None
        super().__init__(*args, **kwargs)

    def credentials(self) -> dict:
        return {"username": self.user.get_username()}

    def clean_otp_token(self):
        token = self.cleaned_data["otp_token"]
        if AxesProxyHandler.is_locked(self.request, self.credentials()):
            self.request.axes_locked_out = True
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        checks = [(device, *device.verify_is_allowed()) for device in devices_for_user(self.user)]
        allowed = [device for device, ok, _info in checks if ok]
        if checks and not allowed:
            # django-otp's own back-off after wrong codes: the code was not tried,
            # so it is not counted as a failure.
            until = min(info["locked_until"] for _device, _ok, info in checks)
            seconds = max(1, math.ceil((until - timezone.now()).total_seconds()))
            raise forms.ValidationError(
                ngettext(
                    "Too many wrong codes. Wait %(seconds)d second and try again.",
                    "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                    seconds,
                ),
                code="throttled",
                params={"seconds": seconds},
            )
        for device in allowed:
            verified = verify_token(self.user, device.persistent_id, token)
            if verified is not None:
                self.device = verified
                return token
        user_login_failed.send(
            sender=__name__, credentials=self.credentials(), request=self.request
        )
        if getattr(self.request, "axes_locked_out", False):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class OTPSetupForm(forms.Form):
    """The first code from a newly added authenticator app; the service checks it."""

    otp_token = OTPTokenField()


class PasswordChangeForm(forms.Form):
    """The current password and the new one twice.

    The password rules run in the service (``user_password_change``), once: with
    the production hasher each history check costs a full password hash.
    """

    old_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )
    new_password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    new_password2 = forms.CharField(
        label=_("New password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    error_messages = {
        "password_incorrect": _("Your current password was entered incorrectly."),
        "password_mismatch": _("The two new passwords are not the same."),
    }

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        rules = password_validation.password_validators_help_text_html()
        self.fields["new_password1"].help_text = rules

    def clean_old_password(self):
        old_password = self.cleaned_data["old_password"]
        if not self.user.check_password(old_password):
            raise forms.ValidationError(
                self.error_messages["password_incorrect"], code="password_incorrect"
            )
        return old_password

    def clean_new_password2(self):
        first = self.cleaned_data.get("new_password1")
        second = self.cleaned_data["new_password2"]
        if first and first != second:
            raise forms.ValidationError(
                self.error_messages["password_mismatch"], code="password_mismatch"
            )
        return second


def _organisation_field(user) -> forms.ModelChoiceField:
    from gonghui.orgs.models import Organisation

    return forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.for_user(user).order_by("path"),
    )


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(value, label) for value, label in Role.choices if value in roles]


class StaffAccountForm(forms.Form):
    """Name, organisation and roles of a staff account; the service checks the
    organisation is in scope and the roles are the administrator's to give."""

    last_name = forms.CharField(label=_("family name"), max_length=150)
    first_name = forms.CharField(label=_("given name"), max_length=150, required=False)
    phone = forms.CharField(label=_("phone"), max_length=20, required=False)
    roles = forms.MultipleChoiceField(
        label=_("roles"), choices=(), widget=forms.CheckboxSelectMultiple
    )

    #: The fields of each power (accounts.roles, "the separation of powers").
    DETAILS = ("username", "last_name", "first_name", "phone", "organisation")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(user)
        self.fields["roles"].choices = _role_choices(grantable_roles(user))
        self.order_fields(["username", "last_name", "first_name", "phone", "organisation"])
        # Each holder sees the fields of their own power only: the system administrator
        # the account's details, the security administrator its roles.
        if not user.has_perm("accounts.manage_staff"):
            for name in self.DETAILS:
                self.fields.pop(name, None)
        if not user.has_perm("accounts.grant_roles"):
            del self.fields["roles"]


class StaffCreateForm(StaffAccountForm):
    username = forms.CharField(
        label=_("user name"),
        max_length=150,
        help_text=_("Letters, digits and @ . + - _ only. The user signs in with it."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


#: The staff list's filter value for accounts holding no role.
NO_ROLE = "none"


class StaffFilterForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=None,
        required=False,
        empty_label=_("All organisations"),
    )
    role = forms.ChoiceField(label=_("role"), required=False)
    status = forms.ChoiceField(
        label=_("status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = _organisation_field(user).queryset
        # "none": the accounts the system administrator opened that wait for the
        # security administrator to give them a role (the separation of powers).
        self.fields["role"].choices = [
            ("", _("All roles")),
            *Role.choices,
            (NO_ROLE, _("No role yet")),
        ]

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("organisation"):
            # The organisation and everything under it: a township's list holds its unions' staff.
            queryset = queryset.in_subtree(data["organisation"])
        if data.get("role") == NO_ROLE:
            queryset = queryset.filter(groups__isnull=True)
        elif data.get("role"):
            queryset = queryset.filter(groups__name=data["role"])
        if data.get("status") == "active":
            queryset = queryset.filter(is_active=True)
        elif data.get("status") == "inactive":
            queryset = queryset.filter(is_active=False)
        return queryset
