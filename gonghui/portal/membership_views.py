"""The worker's membership pages (``/m/membership/``: the card, joining) and the
console's card check (``/scan/``). Thin, over ``membership``."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView

from gonghui.core.views import StaffPermissionMixin, is_htmx
from gonghui.people.models import JoinApplication, JoinStatus
from gonghui.people.vocabularies import JoinChannel, NewFormGroup

from . import auth, membership
from .formkeys import SendOnceFormMixin
from .forms import EmployerByNameField
from .mine import mine

#: Checking a card names its holder: those who may read the members' files check
#: cards (a permission already held by county administrators, staff, grassroots
#: chairs and the read-only leaders; models of this app declare none of their own).
CHECK_CARDS = "people.view_person"


def _latest_application(account):
    return (
        mine(account, JoinApplication.objects.select_related("union"))
        .order_by("-submitted_at", "-pk")
        .first()
    )


def _pending_application(account):
    return (
        mine(account, JoinApplication.objects.filter(status=JoinStatus.PENDING))
        .select_related("union")
        .first()
    )


# --- The electronic card ------------------------------------------------------------------


class CardView(auth.WorkerRequiredMixin, TemplateView):
    """The card, with a QR code of a fresh token at every load (the refresh)."""

    template_name = "portal/card.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(person=person, title=_("Membership card"), **kwargs)
        if person is None or person.current_union_id is None:
            context["pending"] = _pending_application(self.account)
            return context
        token = membership.card_token(person)
        context.update(
            union=person.current_union,
            token=token,
            # Made here from the token alone; the SVG holds nothing typed by anyone.
            qr=mark_safe(  # noqa: S308
                membership.card_qr_svg(token, label=_("QR code of your membership card"))
            ),
            token_groups=membership.token_groups(token),
            minutes=membership.CARD_TOKEN_MINUTES,
            valid_until=timezone.localtime() + timedelta(minutes=membership.CARD_TOKEN_MINUTES),
        )
        return context


# --- The card check on the console -------------------------------------------------------


class CardCheckForm(forms.Form):
    token = forms.CharField(
        label=_("Card code"),
        max_length=200,
        help_text=_("Scan the QR code on the worker's phone, or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class CardCheckView(StaffPermissionMixin, FormView):
    template_name = "portal/scan.html"
    form_class = CardCheckForm
    permission_required = CHECK_CARDS

    def form_valid(self, form):
        checked = membership.card_check(by=self.request.user, token=form.cleaned_data["token"])
        if is_htmx(self.request):
            return self._answer(checked=checked)
        # A new, empty form for the next card; the answer stands above it.
        return self.render_to_response(self.get_context_data(form=CardCheckForm(), checked=checked))

    def form_invalid(self, form):
        if is_htmx(self.request):
            return self._answer(form=form)
        return super().form_invalid(form)

    def _answer(self, **context):
        """The answer alone, for the page's htmx (the camera keeps running)."""
        return TemplateResponse(
            self.request, "portal/_scan_result.html", {"results": membership.CardCheck, **context}
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Check a membership card"), results=membership.CardCheck, **kwargs
        )


# --- Joining --------------------------------------------------------------------------------


class EmployerOnFileField(EmployerByNameField):
    """The employer a worker names, where the file's own employer needs no typing: left
    as shown (or emptied), it is the file's, even if another employer shares its name."""

    on_file = None

    def clean(self, value):
        text = " ".join((value or "").split())
        if self.on_file is not None and text in ("", self.on_file.name):
            return self.on_file
        employer = super().clean(value)
        if employer is None:
            raise ValidationError(_("Name your employer."), code="required")
        return employer


class JoinForm(forms.Form):
    employer = EmployerOnFileField(
        label=_("Your employer"),
        required=False,
        help_text=_("The full name on your labour contract, or its unified social credit code."),
    )
    new_form_group = forms.ChoiceField(
        label=_("Do you work as one of these?"),
        choices=[("", _("None of these")), *NewFormGroup.choices],
        required=False,
        help_text=_(
            "Couriers, riders, drivers and the other new forms of work join the "
            "township's joint union."
        ),
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, on_file=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].on_file = on_file
        if on_file is not None:
            self.fields["employer"].initial = on_file.name


class JoinView(auth.WorkerRequiredMixin, SendOnceFormMixin, FormView):
    """Apply to join: bound, not a member, no application waiting. The form carries an
    idempotency key, so that posting it twice lands on one application."""

    template_name = "portal/join.html"
    form_class = JoinForm
    form_purpose = membership.JOIN_FORM

    def state(self):
        """Why the worker cannot apply now ("bind", "member", "pending"), or None."""
        person = self.account.person
        if person is None:
            return "bind"
        if person.current_union_id is not None:
            return "member"
        if _pending_application(self.account) is not None:
            return "pending"
        return None

    def already_sent(self, issued_at):
        return redirect("membership:join-done") if self._sent_since(issued_at) else None

    def send(self, form, issued_at):
        membership.portal_join_submit(
            account=self.account,
            employer=form.cleaned_data["employer"],
            new_form_group=form.cleaned_data["new_form_group"],
            issued_at=issued_at,
        )
        return redirect("membership:join-done")

    def _sent_since(self, issued_at) -> bool:
        return mine(
            self.account,
            JoinApplication.objects.filter(channel=JoinChannel.PORTAL, submitted_at__gte=issued_at),
        ).exists()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["on_file"] = self.account.person.employer if self.account.person else None
        return kwargs

    def get_initial(self):
        # The file's own group, where the union recorded one, is the worker's answer already.
        person = self.account.person
        group = person.new_form_group if person is not None else ""
        return {**super().get_initial(), "new_form_group": group}

    def get_context_data(self, **kwargs):
        state = self.state()
        return super().get_context_data(
            title=_("Join the union"),
            state=state,
            person=self.account.person,
            pending=_pending_application(self.account) if state == "pending" else None,
            **kwargs,
        )


class JoinDoneView(auth.WorkerRequiredMixin, TemplateView):
    """The next step after applying: which union decides, and that a message will come."""

    template_name = "portal/join_done.html"

    def get(self, request, *args, **kwargs):
        self.application = _latest_application(self.account)
        if self.application is None:
            return redirect("membership:join")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Application sent"), application=self.application, **kwargs
        )
