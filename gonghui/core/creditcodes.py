"""Unified social credit codes (统一社会信用代码), GB 32100-2015.

python-stdnum's ``cn.uscc`` computes the MOD 31-3 check character correctly,
but refuses every code whose first character is a letter (``N…`` rural
collective economic organisations, ``Y…`` other registrars, ``A…`` …), which
GB 32100-2015 §4.1 allows. Its check computation is reused; its verdict is not.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc

#: GB 32100-2015 §4.3: the 31 characters a code may use (no I, O, S, V, Z).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
#: §4.1: the registration authority code is never 0.
AUTHORITY_CHARACTERS = ALPHABET[1:]
#: Union legal persons (工会法人) are registered by the trade unions: authority 8, type 1.
UNION_PREFIX = "81"

_SEPARATORS = {" ", "-", "\u200b", "\u200c", "\u200d", "\ufeff", "\u3000"}


def normalise_credit_code(value: str) -> str:
    """Full-width to half-width, separators and zero-width characters out, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return "".join(ch for ch in value if ch not in _SEPARATORS and not ch.isspace()).upper()


def credit_code_problem(code: str) -> str | None:
    """Why ``code`` (already normalised) is not a valid credit code, or None."""
    if len(code) != 18:
        return _("A unified social credit code has 18 characters; this one has %(n)d.") % {
            "n": len(code)
        }
    bad = [ch for ch in code if ch not in ALPHABET]
    if bad:
        return _("The character “%(ch)s” cannot appear in a unified social credit code.") % {
            "ch": bad[0]
        }
    if code[0] not in AUTHORITY_CHARACTERS:
        return _("The first character (registration authority) cannot be 0.")
    if not code[2:8].isdigit():
        return _("Characters 3 to 8 (the administrative division code) must be digits.")
    if code[17] != uscc.calc_check_digit(code[:17]):
        return _("The check character does not match: please check the code for typing errors.")
    return None


def validate_credit_code(value: str) -> str:
    """Return the normalised code or raise ValidationError with a readable message."""
    code = normalise_credit_code(value)
    problem = credit_code_problem(code)
    if problem:
        raise ValidationError(problem, code="invalid_credit_code")
    return code


def validate_union_credit_code(value: str) -> str:
    code = validate_credit_code(value)
    if not code.startswith(UNION_PREFIX):
        raise ValidationError(
            _("A trade union legal person's credit code begins with 81."),
            code="not_union_credit_code",
        )
    return code


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (demo data, tests)."""
    return first17 + uscc.calc_check_digit(first17)
