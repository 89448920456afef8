"""Rights cases in the worker portal (``/m/rights/``): the worker's own cases, lodging
one (named or anonymous) with photos of evidence, and following it.

Thin, over ``services.case_lodge_by_worker`` and ``tracking.worker_view``. A case is
the worker's when it names their file (``portal.mine``); an anonymous case names no
one, so it is found again only by its tracking code (``/track/``). The page after
lodging reads the case from a signed cookie of the worker's phone, bound to the
account: nothing on the server links an anonymous case to whoever lodged it.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView

from gonghui.portal import auth
from gonghui.portal.drafts import draft_clear
from gonghui.portal.formkeys import KeyedFormMixin
from gonghui.portal.forms import EmployerByNameField
from gonghui.portal.mine import mine

from . import services, tracking
from .models import GROUP_SIZE, Case, CaseKind, Category

#: The lodging form's purpose for its key against a double tap (``portal.formkeys``)
#: and its server-kept draft (``portal.drafts``).
LODGE_FORM = "rights-case"
#: The signed cookie naming the case just lodged, for the page after lodging.
LODGED_COOKIE = "gonghui_rights_lodged"
LODGED_COOKIE_PATH = "/m/rights/"
LODGED_SALT = "gonghui.rights.lodged"
#: Long enough to come back to the code after closing the page, short on a shared phone.
LODGED_MAX_AGE = 24 * 3600

#: One line each saying what the kind is, in the worker's words.
KIND_HELP = {
    CaseKind.LEGAL_AID: gettext_lazy(
        "A lawyer of the union advises you or takes your case to arbitration or court, free."
    ),
    CaseKind.MEDIATION: gettext_lazy(
        "The union sits down with you and your employer to reach an agreement."
    ),
    CaseKind.COMPLAINT: gettext_lazy(
        "Tell the union about something wrong, at your workplace or in how you were treated."
    ),
}


def _my_cases(account):
    return mine(account, Case.objects.select_related("organisation"))


class CaseEmployerField(EmployerByNameField):
    """The employer a worker names; left as shown, the employer on their file."""

    on_file = None

    def clean(self, value):
        text = " ".join((value or "").split())
        if self.on_file is not None and text == self.on_file.name:
            return self.on_file
        return super().clean(value)


class LodgeForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=CaseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what you need.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("What is it about?"),
        choices=[("", "—"), *Category.choices],
        error_messages={"required": gettext_lazy("Choose what it is about.")},
    )
    employer = CaseEmployerField(
        label=gettext_lazy("Your employer"),
        required=False,
        help_text=gettext_lazy(
            "The full name on your labour contract, or its unified social credit code. "
            "Needed for legal aid and mediation; for a complaint, if it is about an employer."
        ),
    )
    summary = forms.CharField(
        label=gettext_lazy("What happened, and what do you ask for?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("For example: three months' wages not paid; I ask to be paid."),
        error_messages={"required": gettext_lazy("Say what happened and what you ask for.")},
    )
    amount_in_dispute = forms.DecimalField(
        label=gettext_lazy("Money in dispute, in yuan (optional)"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}),
    )
    workers_involved = forms.IntegerField(
        label=gettext_lazy("How many workers share this claim, you included?"),
        min_value=1,
        max_value=100_000,
        initial=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
        help_text=gettext_lazy(
            "Ten or more make a group case: the county federation is told at once."
        ),
        error_messages={"required": gettext_lazy("Say how many workers share the claim.")},
    )
    anonymous = forms.BooleanField(
        label=gettext_lazy("Stay anonymous"),
        required=False,
        help_text=gettext_lazy(
            "The case then names no one: the union does not learn who lodged it, and you "
            "follow it only with its tracking code. The union cannot call you back."
        ),
    )
    key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, person=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.linked = person is not None
        if person is None:
            # An account not linked to a file lodges only anonymously (services say why).
            self.fields["anonymous"].disabled = True
            self.fields["anonymous"].initial = True
        elif person.employer_id is not None:
            self.fields["employer"].on_file = person.employer
            self.fields["employer"].initial = person.employer.name

    def kinds(self):
        """Each kind's radio with the line saying what it is."""
        return [(radio, KIND_HELP[radio.data["value"]]) for radio in self["kind"]]

    def other_fields(self):
        return [self[name] for name in self.fields if name not in ("kind", "key", "anonymous")]


def _photos(request) -> list:
    return request.FILES.getlist("photos")


class CaseListView(auth.WorkerRequiredMixin, TemplateView):
    """The worker's own cases, newest first, and the way to lodge one."""

    template_name = "rights/portal/mine.html"

    def get_context_data(self, **kwargs):
        cases = list(_my_cases(self.account).order_by("-received_at", "-pk"))
        return super().get_context_data(
            title=_("Help with a dispute"), cases=cases, person=self.account.person, **kwargs
        )


class CaseNewView(auth.WorkerRequiredMixin, KeyedFormMixin, FormView):
    """Lodge a case. Works without JavaScript; what was typed comes back after an error
    (and is kept on the server as a draft while typing); sent twice, it is one case."""

    template_name = "rights/portal/new.html"
    form_class = LodgeForm
    form_purpose = LODGE_FORM

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "person": self.account.person}

    def post(self, request, *args, **kwargs):
        key = request.POST.get("key", "")
        if self.form_key_issued_at() is not None:
            earlier = services.case_lodged_with(key)
            if earlier is not None:  # a double tap: where the first sending landed
                return _to_lodged(self.account, earlier)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if self.form_key_issued_at() is None:
            form.add_error(None, _("This form was out of date. Check it and send it again."))
            return self.form_invalid(form)
        data = form.cleaned_data
        try:
            case, _made = services.case_lodge_by_worker(
                person=self.account.person,
                form_key=data["key"],
                kind=data["kind"],
                category=data["category"],
                summary=data["summary"],
                employer=data["employer"],
                amount_in_dispute=data["amount_in_dispute"],
                workers_involved=data["workers_involved"],
                anonymous=data["anonymous"] or self.account.person is None,
                photos=_photos(self.request),
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
        draft_clear(self.account, LODGE_FORM)
        return _to_lodged(self.account, case)

    def form_invalid(self, form):
        if _photos(self.request):
            form.add_error(
                None, _("Choose your photos again: a page shown again cannot keep them.")
            )
        return super().form_invalid(form)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Ask the union for help"),
            person=self.account.person,
            max_photos=services.MAX_PORTAL_PHOTOS,
            group_size=GROUP_SIZE,
            draft_key=LODGE_FORM,
            **kwargs,
        )


def _to_lodged(account, case: Case):
    response = redirect("portal-rights:lodged")
    response.set_signed_cookie(
        LODGED_COOKIE,
        f"{account.pk}:{case.pk}",
        salt=LODGED_SALT,
        max_age=LODGED_MAX_AGE,
        path=LODGED_COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
    return response


class CaseLodgedView(auth.WorkerRequiredMixin, TemplateView):
    """After lodging: the tracking code in large type, what happens next and by when,
    and the case itself when it names the worker."""

    template_name = "rights/portal/lodged.html"

    def get(self, request, *args, **kwargs):
        try:
            value = request.get_signed_cookie(
                LODGED_COOKIE, salt=LODGED_SALT, max_age=LODGED_MAX_AGE
            )
        except (KeyError, signing.BadSignature):
            return redirect("portal-rights:mine")
        account_pk, _sep, case_pk = value.partition(":")
        self.case = None
        if account_pk == str(self.account.pk) and case_pk.isdigit():
            self.case = Case.objects.filter(pk=case_pk).first()
        if self.case is None:  # another account's cookie on a shared phone
            return redirect("portal-rights:mine")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.case
        return super().get_context_data(
            title=_("Your case was sent"),
            case=case,
            code=tracking.grouped(case.tracking_code),
            is_mine=_my_cases(self.account).filter(pk=case.pk).exists(),
            **kwargs,
        )


class CaseDetailView(auth.WorkerRequiredMixin, TemplateView):
    """One of the worker's cases; another worker's (or an anonymous one) is a 404."""

    template_name = "rights/portal/detail.html"

    def get_context_data(self, **kwargs):
        case = get_object_or_404(
            _my_cases(self.account).select_related("employer"), pk=self.kwargs["pk"]
        )
        return super().get_context_data(
            title=_("My case"),
            view=tracking.worker_view(case, signed_in_worker=True),
            code=tracking.grouped(case.tracking_code),
            **kwargs,
        )
