"""ISBNs (GB/T 5795-2006, ISO 2108), checked and converted by python-stdnum.

A book's ISBN is stored as the 13 digits of its ISBN-13 (an ISBN-13 is an EAN-13
whose check digit is the EAN's); an ISBN-10 given is stored as its ISBN-13.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum import ean
from stdnum import isbn as stdnum_isbn
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumError

#: What an ISBN typed or scanned may hold besides its digits ("ISBN 978-7-…").
_ISBN_LIKE = re.compile(r"^(?:ISBN[:：]?\s*)?[0-9Xx\-\s]{10,17}$", re.IGNORECASE)


def isbn_normalise(value: str) -> str:
    """An ISBN-10 or ISBN-13 (with or without hyphens or spaces) as ISBN-13 digits, ""
    for nothing given; ValidationError with a message for the user when it is not a
    valid ISBN."""
    text = (value or "").strip()
    if not text:
        return ""
    text = re.sub(r"^ISBN[:：]?\s*", "", text, flags=re.IGNORECASE)
    try:
        checked = stdnum_isbn.validate(text)
    except InvalidChecksum:
        raise ValidationError(
            _("The ISBN %(isbn)s has a wrong check digit: check it against the book's cover.")
            % {"isbn": value.strip()},
            code="isbn_checksum",
        ) from None
    except StdnumError:
        raise ValidationError(
            _("%(isbn)s is not an ISBN: an ISBN has 10 or 13 digits (the last of 10 may be X).")
            % {"isbn": value.strip()},
            code="isbn_invalid",
        ) from None
    return stdnum_isbn.to_isbn13(checked)


def isbn_term(term: str) -> str | None:
    """The ISBN-13 of a search ``term`` if it is a valid ISBN-10 or -13 (any spelling)."""
    if not _ISBN_LIKE.match(term):
        return None
    digits = re.sub(r"[^0-9Xx]", "", term)
    if not stdnum_isbn.is_valid(digits):
        return None
    return stdnum_isbn.to_isbn13(digits)


def isbn13_complete(body: str) -> str:
    """The ISBN-13 of its first 12 digits, the check digit computed (EAN-13's)."""
    return body + ean.calc_check_digit(body)
