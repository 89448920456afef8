"""Who is signed into the portal: the one place a request's worker is found.

The session is a cookie of its own (``COOKIE``), sent only to ``/m/``: a worker is
never signed into the console (``request.user`` stays anonymous there), and a staff
member's console session is not a worker's. Every portal page reads the worker's
records through ``mine.py``, from the account found here.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from . import services

COOKIE = "gonghui_portal"
COOKIE_PATH = "/m/"


def worker_of(request):
    """The signed-in worker's account, or None (read once per request)."""
    if not hasattr(request, "_portal_account"):
        request._portal_account = services.session_account(request.COOKIES.get(COOKIE))
    return request._portal_account


def sign_in(response, account):
    """Start a session for ``account`` and hand its cookie to the phone."""
    token = services.session_start(account)
    response.set_cookie(
        COOKIE,
        token,
        max_age=settings.PORTAL_SESSION_DAYS * 24 * 3600,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


def sign_out(request, response):
    services.session_end(request.COOKIES.get(COOKIE))
    response.delete_cookie(COOKIE, path=COOKIE_PATH, samesite="Lax")
    return response


class WorkerRequiredMixin:
    """A portal page for a signed-in worker; anyone else is sent to sign in."""

    def dispatch(self, request, *args, **kwargs):
        self.account = worker_of(request)
        if self.account is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('portal:sign-in')}?{query}")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(account=self.account, **kwargs)
