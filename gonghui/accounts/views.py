"""Sign-in pages (password, second factor, password change, sign-out, "My account")
and the staff-account pages of the administrators of a subtree."""

from datetime import timedelta

import django_otp
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout, update_session_auth_hash, user_login_failed
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models.functions import Concat
from django.shortcuts import get_object_or_404, redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic.edit import FormView

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    StaffPermissionMixin,
)

from . import lockout, totp
from . import services as staff_services
from .devicecookies import device_cookie_set
from .forms import (
    OTPSetupForm,
    OTPVerifyForm,
    PasswordChangeForm,
    StaffAccountForm,
    StaffCreateForm,
    StaffFilterForm,
)
from .middleware import pending_sign_in_step
from .models import Role, User
from .selectors import account_history, manageable_staff, sign_in_failures
from .services import (
    MANAGE_SIGN_IN,
    MANAGE_STAFF,
    sign_in_failures_reset,
    totp_device_confirm,
    user_password_change,
)

#: The secret shown on the set-up page, kept in the session until a code confirms it.
OTP_SETUP_KEY_SESSION_KEY = "accounts_otp_setup_key"


def next_url(request, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The ``next`` page of the request when it is on this site, else ``default``."""
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(default)


def lockout_minutes() -> int:
    return int(get_cool_off().total_seconds() // 60)


class LoginView(auth_views.LoginView):
    """The password step. Django's form passes ``request`` to ``authenticate``, which
    django-axes needs to count failures and refuse a locked account."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    extra_context = {"title": gettext_lazy("Sign in")}

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.get_user()
        if not totp.has_confirmed_device(user):
            # The password was the last step (signals.signed_in): this browser is
            # known to the account from now on.
            device_cookie_set(response, user.get_username())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        failures = getattr(self.request, "axes_failures_since_start", None) or 0
        context.update(
            failure_limit=settings.AXES_FAILURE_LIMIT,
            lockout_minutes=lockout_minutes(),
            attempts_left=max(settings.AXES_FAILURE_LIMIT - failures, 0) if failures else None,
        )
        return context


class LogoutView(auth_views.LogoutView):
    """Sign out (POST only, as in Django)."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have signed out."))
        return response


def locked_out(request, original_response=None, credentials=None, *args, **kwargs):
    """The page django-axes answers with while an account is locked (AXES_LOCKOUT_CALLABLE):
    the account, for browsers without its device cookie; the address, after too
    many failures from it across accounts; or the one browser with a device cookie.

    None of them tells whether the account exists. A user locked out half-way,
    at the second factor, is signed out as well.
    """
    if request.user.is_authenticated:
        logout(request)
    lock = getattr(request, lockout.LOCK_ATTRIBUTE, None) or lockout.ACCOUNT
    titles = {
        lockout.ACCOUNT: _("Account locked"),
        lockout.ADDRESS: _("Sign-in paused"),
        lockout.DEVICE: _("Browser locked"),
    }
    context = {"title": titles[lock], "lock": lock, "lockout_minutes": lockout_minutes()}
    return render(request, "accounts/locked_out.html", context, status=429)


class SignInStepMixin:
    """A page of a sign-in step: the console's menu stays hidden until every step is done."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if pending_sign_in_step(self.request.user):
            context["navigation"] = []
        return context


class PasswordChangeView(LoginRequiredMixin, SignInStepMixin, FormView):
    """Change the own password; forced at first sign-in and once the password is too old."""

    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        try:
            user = user_password_change(
                user=self.request.user,
                new_password=form.cleaned_data["new_password1"],
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error("new_password1", exc)
            return self.form_invalid(form)
        # Keeps this session; every other session of the user ends (its hash no longer matches).
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(next_url(self.request, "accounts:profile"))

    def form_invalid(self, form):
        if form.has_error("old_password", "password_incorrect"):
            # Guessing the current password from a signed-in session is guessing a
            # password all the same: it counts toward the account's lockout.
            user_login_failed.send(
                sender=__name__,
                credentials={"username": self.request.user.get_username()},
                request=self.request,
            )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        user = self.request.user
        reason = None
        if user.must_change_password:
            reason = _("Choose your own password before you continue.")
        elif user.password_expired(settings.PASSWORD_MAX_AGE_DAYS):
            reason = _(
                "Your password is more than %(days)d days old. Choose a new one before you "
                "continue."
            ) % {"days": settings.PASSWORD_MAX_AGE_DAYS}
        return super().get_context_data(
            title=_("Change password"),
            reason=reason,
            **kwargs,
        )


class OTPVerifyView(LoginRequiredMixin, SignInStepMixin, FormView):
    """The second step of signing in: a code from the user's authenticator app."""

    template_name = "accounts/otp_verify.html"
    form_class = OTPVerifyForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(next_url(request))
            if not totp.has_confirmed_device(request.user):
                if request.user.requires_otp:
                    return redirect("accounts:otp-setup")
                return redirect(next_url(request))
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "request": self.request, "user": self.request.user}

    def form_valid(self, form):
        django_otp.login(self.request, form.device)
        sign_in_failures_reset(user=self.request.user, request=self.request)
        response = redirect(next_url(self.request))
        device_cookie_set(response, self.request.user.get_username())
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Two-step verification"), **kwargs)


class OTPSetupView(LoginRequiredMixin, SignInStepMixin, FormView):
    """Add an authenticator app: scan the QR code (or type the secret), confirm with a code.

    Open only while the account has no confirmed device, so a second device can
    only be added by removing the first (a superuser in the Django admin).
    """

    template_name = "accounts/otp_setup.html"
    form_class = OTPSetupForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and totp.has_confirmed_device(request.user):
            messages.info(request, _("Two-step verification is already on for your account."))
            return redirect("accounts:profile")
        return super().dispatch(request, *args, **kwargs)

    def key(self) -> str:
        session = self.request.session
        if not session.get(OTP_SETUP_KEY_SESSION_KEY):
            session[OTP_SETUP_KEY_SESSION_KEY] = totp.new_key()
        return session[OTP_SETUP_KEY_SESSION_KEY]

    def form_valid(self, form):
        try:
            device = totp_device_confirm(
                user=self.request.user,
                key=self.key(),
                token=form.cleaned_data["otp_token"],
                by=self.request.user,
            )
        except ValidationError as exc:
            form.add_error("otp_token", exc)
            return self.form_invalid(form)
        del self.request.session[OTP_SETUP_KEY_SESSION_KEY]
        django_otp.login(self.request, device)
        messages.success(
            self.request,
            _("Two-step verification is on. Every sign-in now asks for a code from your app."),
        )
        return redirect(next_url(self.request, "accounts:profile"))

    def get_context_data(self, **kwargs):
        key = self.key()
        return super().get_context_data(
            title=_("Set up two-step verification"),
            required=self.request.user.requires_otp,
            secret=totp.display_secret(key),
            # The SVG is drawn by the qrcode package from the URL alone: no user text in it.
            qr_svg=mark_safe(totp.qr_svg(totp.provisioning_uri(self.request.user, key))),
            **kwargs,
        )


def profile(request):
    """The "My account" page: organisation, roles, second factor, password age, and the
    person record the account is linked to (for separation of duties in aid)."""
    user = request.user
    labels = dict(Role.choices)
    changed = user.password_changed_at
    # The reverse one-to-one of aid.StaffPerson; absent when nobody has linked one.
    link = getattr(user, "aid_person", None)
    context = {
        "own_person": link.person if link is not None else None,
        "title": _("My account"),
        "roles": sorted(str(labels.get(name, name)) for name in user.role_names()),
        "otp_on": totp.has_confirmed_device(user),
        "otp_required": user.requires_otp,
        "password_changed_at": changed,
        "password_expires_at": changed + timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
        if changed
        else None,
    }
    return render(request, "accounts/profile.html", context)


# --- Staff accounts, managed by the administrators of a subtree ---------------

#: Reaching the staff pages; each action asks its own power (services).
VIEW_STAFF = "accounts.view_user"


class StaffAccountMixin:
    """Every staff page reaches the account through the scope rule: an account
    outside the administrator's subtree is a 404 on every route. The system and
    the security administrator both reach them; each action asks its own power."""

    permission_required = VIEW_STAFF

    def get_account(self) -> User:
        return get_object_or_404(manageable_staff(self.request.user), pk=self.kwargs["pk"])


def temporary_password_page(request, account: User, password: str, title):
    """The one page that shows a temporary password; it is not kept anywhere."""
    response = render(
        request,
        "accounts/staff_password.html",
        {"title": title, "account": account, "password": password},
    )
    response["Cache-Control"] = "no-store"
    return response


class StaffList(ObjectListView):
    model = User
    permission_required = VIEW_STAFF
    title = gettext_lazy("Staff accounts")
    columns = [
        Column("username", gettext_lazy("user name"), link=True),
        Column("display_name", gettext_lazy("name")),
        Column("organisation.name", gettext_lazy("organisation")),
        Column("role_labels", gettext_lazy("roles")),
        Column("status_label", gettext_lazy("status")),
        Column("last_login", gettext_lazy("last sign-in")),
    ]
    search_fields = ("username__icontains", "full_name__icontains")
    filter_form_class = StaffFilterForm
    create_url_name = "accounts:staff-create"
    create_permission = MANAGE_STAFF
    export_stem = "staff-accounts"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation")
            .prefetch_related("groups")
            .order_by("organisation__path", "username")
        )

    def apply_search(self, queryset, term):
        # Chinese names are written family name first, with no space.
        queryset = queryset.annotate(full_name=Concat("last_name", "first_name"))
        return super().apply_search(queryset, term)


class StaffDetail(StaffAccountMixin, ObjectDetailView):
    template_name = "accounts/staff_detail.html"
    context_object_name = "account"

    def get_object(self, queryset=None):
        return self.get_account()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        account = self.object
        if "history" in context:
            context["history"] = account_history(account)
        labels = dict(Role.choices)
        context.update(
            title=account.display_name,
            roles=sorted(str(labels.get(name, name)) for name in account.role_names()),
            otp_on=totp.has_confirmed_device(account),
            sign_in_failures=sign_in_failures(account),
            failure_limit=settings.AXES_FAILURE_LIMIT,
            is_self=account.pk == self.request.user.pk,
            powers={
                power.split(".")[1]: True
                for power in staff_services.user_powers(by=self.request.user, user=account)
            },
        )
        return context


class StaffCreate(ServiceFormView):
    permission_required = MANAGE_STAFF
    form_class = StaffCreateForm
    title = gettext_lazy("New staff account")

    form_takes_user = True

    def form_valid(self, form):
        try:
            account, password = staff_services.user_create(
                by=self.request.user, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            return self.refused(form, exc)
        return temporary_password_page(
            self.request, account, password, _("Account “%(name)s” created") % {"name": account}
        )

    def refused(self, form, exc):
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc.args[0] if isinstance(exc, PermissionDenied) else exc)
        return self.form_invalid(form)


class StaffUpdate(StaffAccountMixin, StaffCreate):
    form_class = StaffAccountForm
    permission_required = VIEW_STAFF

    def get_object(self):
        return self.get_account()

    def get_initial(self):
        account = self.object
        return {
            "last_name": account.last_name,
            "first_name": account.first_name,
            "phone": account.phone,
            "organisation": account.organisation_id,
            "roles": sorted(account.role_names()),
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit %(name)s") % {"name": self.object}, **kwargs)

    def form_valid(self, form):
        try:
            self.object = staff_services.user_update(
                by=self.request.user, user=self.object, **form.cleaned_data
            )
        except (ValidationError, PermissionDenied) as exc:
            return self.refused(form, exc)
        messages.success(self.request, _("Changes saved."))
        return redirect(self.object.get_absolute_url())


class StaffAction(StaffAccountMixin, StaffPermissionMixin, View):
    """POST only: one service call on the account; a refusal is shown on its page."""

    def post(self, request, pk):
        account = self.get_account()
        try:
            return self.act(account)
        except (ValidationError, PermissionDenied) as exc:
            for message in exc.messages if isinstance(exc, ValidationError) else exc.args:
                messages.error(request, message)
        return redirect(account.get_absolute_url())

    def act(self, account: User):  # pragma: no cover - every subclass defines it
        raise NotImplementedError


class StaffDeactivate(StaffAction):
    permission_required = MANAGE_STAFF

    def act(self, account):
        staff_services.user_deactivate(by=self.request.user, user=account)
        messages.success(
            self.request,
            _("“%(name)s” is deactivated and can no longer sign in.") % {"name": account},
        )
        return redirect(account.get_absolute_url())


class StaffReactivate(StaffAction):
    permission_required = MANAGE_STAFF

    def act(self, account):
        staff_services.user_reactivate(by=self.request.user, user=account)
        messages.success(self.request, _("“%(name)s” can sign in again.") % {"name": account})
        return redirect(account.get_absolute_url())


class StaffPasswordReset(StaffAction):
    permission_required = MANAGE_STAFF

    def act(self, account):
        account, password = staff_services.user_password_reset(by=self.request.user, user=account)
        return temporary_password_page(
            self.request,
            account,
            password,
            _("New temporary password for “%(name)s”") % {"name": account},
        )


class StaffTOTPReset(StaffAction):
    permission_required = MANAGE_SIGN_IN

    def act(self, account):
        staff_services.user_totp_reset(by=self.request.user, user=account)
        messages.success(
            self.request,
            _(
                "The authenticator app of “%(name)s” is removed. They set up a new one at their "
                "next sign-in."
            )
            % {"name": account},
        )
        return redirect(account.get_absolute_url())


class StaffUnlock(StaffAction):
    permission_required = MANAGE_SIGN_IN

    def act(self, account):
        staff_services.user_unlock(by=self.request.user, user=account)
        messages.success(
            self.request,
            _("The failed sign-ins of “%(name)s” are cleared; they can sign in now.")
            % {"name": account},
        )
        return redirect(account.get_absolute_url())
