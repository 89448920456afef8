"""Password rules for staff accounts beyond Django's own validators."""

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters."""

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )

    def validate(self, password, user=None):
        if self.classes(password) < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self):
        return _(
            "The password must use at least %(n)d of: lower-case letters, upper-case letters, "
            "digits, other characters."
        ) % {"n": self.min_classes}


class PersonalDataValidator:
    """The password may not contain the user's own username, name or phone number."""

    def validate(self, password, user=None):
        if user is None:
            return
        lowered = password.lower()
        for value in (
            user.username,
            getattr(user, "last_name", "") + getattr(user, "first_name", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            getattr(user, "phone", ""),
        ):
            value = (value or "").strip().lower()
            # Single Chinese characters of a name are too common to refuse on their own.
            if len(value) >= 2 and value in lowered:
                raise ValidationError(self.get_help_text(), code="password_personal_data")

    def get_help_text(self):
        return _("The password must not contain your user name, your name or your phone number.")


class PasswordHistoryValidator:
    """None of the last ``depth`` passwords (the current one included) may be reused."""

    def __init__(self, depth: int = 5):
        self.depth = depth

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        from .models import PasswordHistory

        recent = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.depth
            ]
        )
        if user.password:
            recent.append(user.password)
        if any(check_password(password, encoded) for encoded in recent):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return ngettext(
            "The password must differ from your last password.",
            "The password must differ from your last %(n)d passwords.",
            self.depth,
        ) % {"n": self.depth}
