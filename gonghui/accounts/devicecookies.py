"""Device cookies (OWASP, "Slow Down Online Guessing Attacks with Device Cookies").

A browser that finished a sign-in to an account, second factor included, keeps
a cookie signed with the server key naming the account and a random nonce. A
sign-in attempt to that account from that browser is counted against the
nonce only (``accounts.lockout``), so a stranger locking the account out for
unknown browsers does not keep its owner out.

Each account has a cookie of its own, named by a keyed hash of the user name
(a shared office computer keeps one per colleague, and the names do not show
who signed in there). The signature carries its time: an older cookie than
SIGN_IN_DEVICE_COOKIE_DAYS is ignored, whatever the browser sends.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.utils.crypto import salted_hmac

_SALT = "gonghui.accounts.devicecookies"


def max_age() -> timedelta:
    return timedelta(days=settings.SIGN_IN_DEVICE_COOKIE_DAYS)


def cookie_name(username: str) -> str:
    return "device_" + salted_hmac(_SALT + ".name", username).hexdigest()[:16]


def device_cookie_value(username: str, nonce: str) -> str:
    """The signed value naming ``username`` and ``nonce``."""
    return signing.dumps({"u": username, "n": nonce}, salt=_SALT)


def device_cookie_set(response: HttpResponse, username: str) -> str:
    """Give the browser a new device cookie for ``username``; returns its nonce.

    Called when a sign-in has passed every step: each complete sign-in replaces
    the cookie, so a browser's failures before it are left behind with the old nonce.
    """
    nonce = secrets.token_hex(16)
    response.set_cookie(
        cookie_name(username),
        device_cookie_value(username, nonce),
        max_age=int(max_age().total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        # Only the site's own sign-in pages need it.
        samesite="Strict",
    )
    return nonce


def trusted_device(request: HttpRequest | None, username: str | None) -> str | None:
    """The nonce of the request's device cookie for ``username``, or None when the
    request holds none that is valid: missing, tampered with, expired, or naming
    another account."""
    if request is None or not username:
        return None
    value = request.COOKIES.get(cookie_name(username))
    if not value:
        return None
    try:
        payload = signing.loads(value, salt=_SALT, max_age=max_age())
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(payload, dict) or payload.get("u") != username:
        return None
    nonce = payload.get("n")
    return nonce if isinstance(nonce, str) and nonce else None
