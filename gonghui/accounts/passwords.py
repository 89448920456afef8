"""Password rules for staff accounts beyond Django's own validators.

Each class is a Django password validator (``AUTH_PASSWORD_VALIDATORS``).
"""

import re

from django.contrib.auth.hashers import check_password, is_password_usable
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class CharacterClassValidator:
    """At least ``min_classes`` of: lower case, upper case, digits, other characters.

    "Other" is anything that is none of the first three: punctuation, spaces, and
    letters without case such as Chinese characters.
    """

    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    @staticmethod
    def classes(password: str) -> int:
        return sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not (c.islower() or c.isupper() or c.isdigit()) for c in password),
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
        phone = getattr(user, "phone", "") or ""
        for value in (
            user.get_username(),
            getattr(user, "last_name", "") + getattr(user, "first_name", ""),
            getattr(user, "first_name", ""),
            getattr(user, "last_name", ""),
            phone,
            # Phone numbers are often stored with spaces or dashes and typed without.
            re.sub(r"\D", "", phone),
        ):
            value = (value or "").strip().lower()
            # Single Chinese characters of a name are too common to refuse on their own.
            if len(value) >= 2 and value in lowered:
                raise ValidationError(self.get_help_text(), code="password_personal_data")

    def get_help_text(self):
        return _("The password must not contain your user name, your name or your phone number.")


class PasswordHistoryValidator:
    """None of the last ``depth`` passwords (the current one included) may be reused.

    The current password is the user's own hash; the ones before it are in
    ``PasswordHistory``, newest first, written by ``remember_replaced_password``
    whenever a password is replaced.
    """

    def __init__(self, depth: int = 5):
        self.depth = depth

    def validate(self, password, user=None):
        if user is None or not user.pk:
            return
        from .models import PasswordHistory

        earlier = PasswordHistory.objects.filter(user=user).values_list("password", flat=True)
        recent = [user.password, *earlier[: self.depth - 1]]
        if any(check_password(password, encoded) for encoded in recent if encoded):
            raise ValidationError(self.get_help_text(), code="password_reused")

    def get_help_text(self):
        return ngettext(
            "The password must differ from your last password.",
            "The password must differ from your last %(n)d passwords.",
            self.depth,
        ) % {"n": self.depth}


def history_depth() -> int:
    """How many passwords the configured PasswordHistoryValidator compares (0 without one)."""
    from django.contrib.auth.password_validation import get_default_password_validators

    depths = [
        validator.depth
        for validator in get_default_password_validators()
        if isinstance(validator, PasswordHistoryValidator)
    ]
    return max(depths, default=0)


def remember_replaced_password(user_id: int, old_hash: str) -> None:
    """Keep the hash of a password that is being replaced, and only as many as the rule needs."""
    from .models import PasswordHistory

    if not is_password_usable(old_hash):
        return
    PasswordHistory.objects.create(user_id=user_id, password=old_hash)
    beyond = list(
        PasswordHistory.objects.filter(user_id=user_id).values_list("pk", flat=True)[
            max(history_depth() - 1, 0) :
        ]
    )
    if beyond:
        PasswordHistory.objects.filter(pk__in=beyond).delete()
