"""What every response and every log line keep from leaking: the page policy
(Content-Security-Policy, no caching of personal data) and the redaction of ID
numbers, phone numbers, passwords and codes from logs and error reports.

The policy is one fixed header, so it is set here rather than through a library:
no page carries inline script or style (the behaviours live in
``core/static/core/console.js``, the looks in ``console.css``), so no nonce is
needed. Django 6.0 brings its own ``ContentSecurityPolicyMiddleware``; once on it,
``CONTENT_SECURITY_POLICY`` can move to its settings.
"""

from __future__ import annotations

import logging
import re

from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.debug import SafeExceptionReporterFilter

#: Scripts, styles, images and fonts from this site only; no plugins, no framing,
#: forms posted only here, no <base> rewriting. ``data:`` images: the QR codes.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)


class PagePolicyMiddleware:
    """Every response made here (static files are answered before it, by WhiteNoise)
    carries the Content-Security-Policy, and is never stored by a browser or a proxy:
    pages and downloads hold personal data, and a shared office computer's cache or
    back button must not show them to the next person."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        add_never_cache_headers(response)
        patch_cache_control(response, private=True)
        return response


# --- redaction ------------------------------------------------------------------------

#: 18-digit resident ID numbers (the last may be X) and 15-digit old ones.
ID_NUMBER = re.compile(r"(?<!\d)(\d{6})(\d{8}|\d{6})(\d{3}[\dXx]|\d)(?!\d)")
#: Mainland mobile numbers, with or without +86 and separators.
PHONE = re.compile(r"(?<!\d)((?:\+?86[ -]?)?1[3-9]\d)[ -]?(\d{4})[ -]?(\d{4})(?!\d)")
#: Values of keys that are secrets whatever they look like.
SECRET_KEYS = re.compile(
    r"pass|pwd|secret|token|otp|code|key|signature|id_number|idnumber|phone|bank_account",
    re.IGNORECASE,
)
SECRET_ASSIGNMENT = re.compile(
    r"(?P<key>[\w-]*(?:pass|pwd|secret|token|otp|code|id_number|phone|bank_account)[\w-]*)"
    r"(?P<sep>['\"]?\s*[:=]\s*['\"]?)(?P<value>[^\s'\",&;]+)",
    re.IGNORECASE,
)
MASK = "********"


def redact(text: str) -> str:
    """``text`` with every ID number, mobile number and secret value masked."""
    text = SECRET_ASSIGNMENT.sub(lambda m: f"{m['key']}{m['sep']}{MASK}", text)
    text = ID_NUMBER.sub(lambda m: f"{m[1]}{'*' * (len(m[0]) - 10)}{m[0][-4:]}", text)
    return PHONE.sub(lambda m: f"{m[1]}****{m[3]}", text)


class RedactingFilter(logging.Filter):
    """Masks ID numbers, phones and secret values in every log record (its message,
    arguments and traceback text), whoever logged it: the project, Django, a library."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = redact(message), ()
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
            # The text stands in for the exception from here on: formatters print it.
            record.exc_info = None
        return True


class RedactingExceptionReporterFilter(SafeExceptionReporterFilter):
    """Error reports (the debug page, the mails to administrators) hide POST values and
    local variables that are secrets by name or ID numbers and phones by shape."""

    hidden_settings = re.compile(
        SafeExceptionReporterFilter.hidden_settings.pattern + "|DATA_KEY|DATABASE_URL",
        flags=re.IGNORECASE,
    )

    def get_post_parameters(self, request):
        parameters = super().get_post_parameters(request)
        if not parameters:
            return parameters
        cleansed = parameters.copy()
        for key in cleansed:
            if SECRET_KEYS.search(key):
                cleansed[key] = self.cleansed_substitute
            else:
                cleansed.setlist(key, [redact(str(v)) for v in cleansed.getlist(key)])
        return cleansed

    def cleanse_setting(self, key, value):
        value = super().cleanse_setting(key, value)
        # Exactly str: lazy settings objects pass isinstance but are not text yet.
        return redact(value) if type(value) is str else value

    def get_traceback_frame_variables(self, request, tb_frame):
        return [
            (name, self.cleansed_substitute if SECRET_KEYS.search(name) else _redacted(value))
            for name, value in super().get_traceback_frame_variables(request, tb_frame)
        ]


def _redacted(value):
    """A frame variable as the report shows it, with numbers masked (reprs included)."""
    if type(value) is str:
        return redact(value)
    if isinstance(value, int | float | bool | type(None)):
        return value
    return redact(repr(value))
