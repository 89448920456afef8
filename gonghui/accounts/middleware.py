"""Session limits and the steps every sign-in must finish before the console opens."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.contrib.messages.storage import default_storage
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from gonghui.core.views import is_htmx

from .state import account_state

#: Session key holding the Unix time of the sign-in (set on ``user_logged_in``).
SIGNED_IN_AT_SESSION_KEY = "accounts_signed_in_at"
#: Session key holding the Unix time the session's idle expiry was last moved forward.
RENEWED_AT_SESSION_KEY = "accounts_renewed_at"
#: The idle expiry is moved forward at most this often: writing the session on
#: every request would make every page, and every poll of a job's progress, a
#: database write.
RENEW_EVERY_SECONDS = 60

#: Pages open while a sign-in step is pending: the steps themselves (their views
#: check which step is due), signing out and choosing the language.
OPEN_DURING_SIGN_IN = {
    "accounts:otp-verify",
    "accounts:otp-setup",
    "accounts:logout",
    "set_language",
}


def _redirect(request, response: HttpResponseRedirect) -> HttpResponse:
    """A redirect; for an htmx request, one that htmx follows as a whole page."""
    if is_htmx(request):
        return HttpResponse(headers={"HX-Redirect": response.url})
    return response


def pending_sign_in_step(user) -> str | None:
    """The URL name of the step ``user`` must finish next, or None when signed in fully.

    The second factor comes first: a forced password change before it would let
    someone holding only the password replace it.
    """
    if not user.is_verified():
        if account_state(user).has_device:
            return "accounts:otp-verify"
        if user.requires_otp:
            return "accounts:otp-setup"
    if user.must_change_password or user.password_expired(settings.PASSWORD_MAX_AGE_DAYS):
        return "accounts:password-change"
    return None


class SessionLimitsMiddleware:
    """Signs a user out once the session is SESSION_MAX_HOURS old, however active it was,
    and keeps an active session from reaching its idle limit.

    The idle limit is SESSION_COOKIE_AGE after the session was last saved (the
    session store does not load an expired session). A signed-in user's request
    saves it again when it was last renewed RENEW_EVERY_SECONDS ago or more, so a
    session ends between SESSION_COOKIE_AGE minus a minute and SESSION_COOKIE_AGE
    after the last request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and self._too_old(request):
            logout(request)
            response = _redirect(request, redirect_to_login(request.get_full_path()))
            # MessageMiddleware comes after this one and so does not see this response.
            storage = default_storage(request)
            storage.add(
                messages.INFO,
                _(
                    "You have been signed out because a session lasts at most %(hours)d hours. "
                    "Please sign in again."
                )
                % {"hours": settings.SESSION_MAX_HOURS},
            )
            storage.update(response)
            return response
        if request.user.is_authenticated:
            self._renew(request)
        return self.get_response(request)

    @staticmethod
    def _renew(request) -> None:
        now = timezone.now().timestamp()
        # Signing in saved the session: that was its first renewal.
        renewed = request.session.get(
            RENEWED_AT_SESSION_KEY, request.session.get(SIGNED_IN_AT_SESSION_KEY, 0)
        )
        if now - renewed >= RENEW_EVERY_SECONDS:
            request.session[RENEWED_AT_SESSION_KEY] = now  # marks the session to be saved

    @staticmethod
    def _too_old(request) -> bool:
        started = request.session.get(SIGNED_IN_AT_SESSION_KEY)
        if started is None:
            # Every sign-in sets it; a session without it did not come from one.
            return True
        return timezone.now().timestamp() - started > settings.SESSION_MAX_HOURS * 3600


class SignInRequirementsMiddleware:
    """Sends a signed-in user to the pending sign-in step before any other page:
    the second factor (verify, or set up where the role requires it), then a
    forced or expired password change."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.user.is_authenticated:
            return None
        view_name = request.resolver_match.view_name if request.resolver_match else ""
        if view_name in OPEN_DURING_SIGN_IN:
            return None
        step = pending_sign_in_step(request.user)
        if step is None or step == view_name:
            return None
        url = reverse(step)
        if request.method == "GET":
            url += "?" + urlencode({"next": request.get_full_path()})
        return _redirect(request, HttpResponseRedirect(url))
