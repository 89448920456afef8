"""Mainland China mobile numbers.

A number is 11 digits, ``1`` then ``3``–``9`` then 9 digits. Carrier prefix
tables (in libraries and elsewhere) lag behind the numbers the Ministry of
Industry and Information Technology allocates (146, 148, 149 and others were
refused for years), so only that shape is checked: a worker's real number must
never be refused because a table is old.
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext

#: Spaces of every width, dashes, dots, brackets and zero-width characters.
_SEPARATORS = re.compile(r"[\s\-.()\u200b\u200c\u200d\u2060\ufeff]+")
_COUNTRY_PREFIXES = ("+86", "0086")
_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalise_phone(value: str | None) -> str:
    """Full-width to half-width, separators out, the +86 / 0086 country prefix removed."""
    number = _SEPARATORS.sub("", unicodedata.normalize("NFKC", value or ""))
    for prefix in _COUNTRY_PREFIXES:
        if number.startswith(prefix):
            return number[len(prefix) :]
    return number


def parse_phone(value: str | None) -> str:
    """The normalised mobile number, or ValidationError saying what is wrong."""
    number = normalise_phone(value)
    if not number:
        raise ValidationError(gettext("Enter a mobile number."), code="required")
    if not number.isdigit():
        raise ValidationError(
            gettext("A mobile number has digits only (a leading +86 is allowed)."),
            code="phone_structure",
        )
    if len(number) != 11:
        raise ValidationError(
            gettext("A mobile number has 11 digits; this one has %(n)d.") % {"n": len(number)},
            code="phone_length",
        )
    if not _MOBILE.match(number):
        raise ValidationError(
            gettext("A mainland mobile number begins with 13 to 19."), code="phone_prefix"
        )
    return number


def mask_phone(number: str) -> str:
    """138****5678: the first three and the last four digits."""
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 7) + number[-4:]
