"""The worker's micro-wishes in the portal (``/m/wishes/``): their own wishes, posting
one, and withdrawing one. Thin, over ``services``; every read goes through ``mine``.

The fulfilment photo is not shown here: the photo view (``outreach:wish-photo``) is
the console's, scoped to staff, and a worker holds no staff account.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from gonghui.portal import auth
from gonghui.portal.drafts import draft_clear
from gonghui.portal.formkeys import SendOnceFormMixin
from gonghui.portal.mine import mine

from . import services
from .models import Wish, WishStep
from .vocabularies import WishAction, WishStatus

#: The wish form's purpose for its key against a double tap (``portal.formkeys``).
WISH_FORM = "wish"


def _my_wishes(account):
    return mine(account, Wish.objects.select_related("organisation", "donor_employer"))


def _open_wish(account):
    return (
        _my_wishes(account)
        .filter(status__in=[WishStatus.POSTED, WishStatus.CLAIMED])
        .order_by("-created_at", "-pk")
        .first()
    )


class WishListView(auth.WorkerRequiredMixin, TemplateView):
    """The worker's wishes, newest first, each with where it stands."""

    template_name = "outreach/portal/wishes.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        wishes = list(_my_wishes(self.account).order_by("-created_at", "-pk"))
        open_wish = next(
            (w for w in wishes if w.status in (WishStatus.POSTED, WishStatus.CLAIMED)), None
        )
        return super().get_context_data(
            title=_("Micro-wishes"),
            person=person,
            wishes=wishes,
            open_wish=open_wish,
            is_member=person is not None and person.current_union_id is not None,
            **kwargs,
        )


class WishForm(forms.Form):
    text = forms.CharField(
        label=_("What do you wish for?"),
        max_length=services.WORKER_WISH_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A small thing that would help, e.g. a fan for the dormitory."),
    )
    estimated_value = forms.DecimalField(
        label=_("About how much is it worth (yuan)?"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        max_value=services.WORKER_WISH_VALUE_MAX,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    key = forms.CharField(widget=forms.HiddenInput)


class WishNewView(auth.WorkerRequiredMixin, SendOnceFormMixin, FormView):
    """Post a wish: a bound member with no wish open. The form carries an idempotency
    key, so that posting it twice lands on one wish."""

    template_name = "outreach/portal/wish_new.html"
    form_class = WishForm
    form_purpose = WISH_FORM

    def state(self):
        """Why the worker cannot post now ("bind", "member", "open"), or None."""
        person = self.account.person
        if person is None:
            return "bind"
        if person.current_union_id is None:
            return "member"
        if _open_wish(self.account) is not None:
            return "open"
        return None

    def already_sent(self, issued_at):
        sent = self._posted_since(issued_at)
        return redirect("portal-wishes:detail", pk=sent.pk) if sent is not None else None

    def send(self, form, issued_at):
        wish = services.wish_post_by_worker(
            person=self.account.person,
            text=form.cleaned_data["text"],
            estimated_value=form.cleaned_data["estimated_value"],
            issued_at=issued_at,
        )
        draft_clear(self.account, "wish")
        return redirect("portal-wishes:detail", pk=wish.pk)

    def _posted_since(self, issued_at):
        # The worker's own posting is the step without a staff user.
        return (
            _my_wishes(self.account)
            .filter(steps__action=WishAction.POST, steps__by__isnull=True, steps__at__gte=issued_at)
            .order_by("-pk")
            .first()
        )

    def get_context_data(self, **kwargs):
        state = self.state()
        return super().get_context_data(
            title=_("Post a micro-wish"),
            state=state,
            open_wish=_open_wish(self.account) if state == "open" else None,
            max_value=services.WORKER_WISH_VALUE_MAX,
            **kwargs,
        )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you withdraw it?"),
        max_length=300,
        help_text=_("For example: no longer needed."),
    )


class WishDetailView(auth.WorkerRequiredMixin, FormView):
    """One of the worker's wishes: where it stands, and (while nobody has taken it on)
    withdrawing it. Another worker's wish does not exist here (404)."""

    template_name = "outreach/portal/wish_detail.html"
    form_class = WithdrawForm

    def dispatch(self, request, *args, **kwargs):
        self.account = auth.worker_of(request)
        if self.account is not None:
            self.wish = get_object_or_404(_my_wishes(self.account), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        # Sent twice (a double tap): the first withdrew it; the page says so.
        if self.wish.status == WishStatus.WITHDRAWN:
            return redirect("portal-wishes:detail", pk=self.wish.pk)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            services.wish_withdraw_by_worker(
                person=self.account.person, wish=self.wish, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            form.add_error("reason" if hasattr(exc, "error_dict") else None, exc.messages)
            return self.form_invalid(form)
        return redirect("portal-wishes:detail", pk=self.wish.pk)

    def get_context_data(self, **kwargs):
        wish = self.wish
        withdrawal = (
            WishStep.objects.filter(wish=wish, action=WishAction.WITHDRAW).first()
            if wish.status == WishStatus.WITHDRAWN
            else None
        )
        return super().get_context_data(
            title=_("My micro-wish"),
            wish=wish,
            withdrawal=withdrawal,
            may_withdraw=wish.status == WishStatus.POSTED,
            **kwargs,
        )
