"""The worker's activity pages in the portal (``/m/activities/``): the activities they
may join, joining and cancelling (a double tap makes one sign-up: the database keeps
one active sign-up per worker and activity), their own sign-ups with their place on
the waiting list, and checking in with the organiser's code. Thin, over ``services``.

Sign-ups are read through ``mine()``, so another worker's does not exist here (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from gonghui.portal import auth
from gonghui.portal.mine import mine

from . import selectors, services
from .forms import CodeForm
from .models import ACTIVE, Activity, SignUp, SignUpStatus


def _my_signups(account):
    return mine(account, SignUp.objects.select_related("activity__organiser"))


def _visible(account, pk: int) -> Activity:
    """An activity the worker may see: one offered to them, or one they signed up for."""
    person = account.person
    activity = selectors.activities_for_worker(person).filter(pk=pk).first()
    if activity is None:
        signup = _my_signups(account).filter(activity_id=pk).first()
        if signup is None:
            raise Http404
        activity = signup.activity
    return activity


def _said(signup: SignUp) -> str:
    """What the worker is told after signing up."""
    if signup.status == SignUpStatus.WAITING:
        return _(
            "All places are taken: you are number %(place)s on the waiting list. If a place "
            "becomes free it is yours at once, and you are told."
        ) % {"place": services.waiting_place(signup)}
    return _("You have a place. You are reminded the day before.")


class ActivityListView(auth.WorkerRequiredMixin, TemplateView):
    """The activities the worker may join now, then their own sign-ups."""

    template_name = "activities/portal/list.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(title=_("Activities"), person=person, **kwargs)
        if person is None:
            return context
        signups = list(_my_signups(self.account).order_by("-activity__starts_at", "-pk")[:50])
        joined = {s.activity_id for s in signups if s.status in ACTIVE}
        context["open"] = [
            a for a in selectors.joinable_for_worker(person)[:30] if a.pk not in joined
        ]
        for signup in signups:
            signup.place = services.waiting_place(signup)
        context["signups"] = signups
        return context


class ActivityView(auth.WorkerRequiredMixin, TemplateView):
    template_name = "activities/portal/activity.html"

    def get_context_data(self, **kwargs):
        activity = _visible(self.account, self.kwargs["pk"])
        person = self.account.person
        signup = _my_signups(self.account).active().filter(activity=activity).first()
        if signup is not None:
            signup.place = services.waiting_place(signup)
        now = timezone.now()
        return super().get_context_data(
            title=activity.title,
            activity=activity,
            signup=signup,
            problem=None if signup else services.signup_problem(activity, person),
            may_cancel=signup is not None
            and signup.status in (SignUpStatus.SIGNED_UP, SignUpStatus.WAITING)
            and now < activity.starts_at,
            may_check_in=signup is not None and signup.status == SignUpStatus.SIGNED_UP,
            **kwargs,
        )


class JoinView(auth.WorkerRequiredMixin, View):
    """Sign the worker up. A second post (a double tap) finds the first one's sign-up."""

    def post(self, request, pk: int):
        if self.account.person is None:
            raise Http404
        activity = _visible(self.account, pk)
        already = _my_signups(self.account).active().filter(activity=activity).first()
        if already is None:
            try:
                already = services.signup_join(activity=activity, person=self.account.person)
            except ValidationError as exc:
                already = _my_signups(self.account).active().filter(activity=activity).first()
                if already is None:
                    messages.error(request, " ".join(exc.messages))
                    return redirect("portal-activities:detail", pk=pk)
        messages.success(request, _said(already))
        return redirect("portal-activities:detail", pk=pk)


class CancelView(auth.WorkerRequiredMixin, View):
    def post(self, request, pk: int):
        signup = get_object_or_404(_my_signups(self.account), pk=pk)
        try:
            services.signup_cancel(signup=signup)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your sign-up is cancelled."))
        return redirect("portal-activities:detail", pk=signup.activity_id)


class CheckInView(auth.WorkerRequiredMixin, TemplateView):
    """The worker types the code the organiser shows, or scans its QR, which opens this
    page with the code filled in (it is still sent by the worker's tap)."""

    template_name = "activities/portal/check_in.html"

    def get_context_data(self, **kwargs):
        activity = _visible(self.account, self.kwargs["pk"])
        form = kwargs.pop("form", None) or CodeForm(
            initial={"code": self.request.GET.get("code", "")[:12]}
        )
        return super().get_context_data(title=_("Check in"), activity=activity, form=form, **kwargs)

    def post(self, request, pk: int):
        activity = _visible(self.account, pk)
        form = CodeForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        result = services.checkin_by_code(
            activity=activity, person=self.account.person, code=form.cleaned_data["code"]
        )
        if not result.ok:
            form.add_error("code", result.message)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(request, result.message)
        return redirect("portal-activities:detail", pk=pk)
