"""Forms of the aid pages: they validate and normalise, services save."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation
from gonghui.people.forms import WorkerChoiceForm
from gonghui.people.models import Person

from . import duties
from .models import Campaign, PrivacyNotice
from .vocabularies import (
    AidStatus,
    CampaignStatus,
    ConsentKind,
    DiagnosisCategory,
    EvidenceKind,
    Fact,
    ProgrammeKind,
)

BANK_ACCOUNT = re.compile(r"^\d{8,30}$")


def money(label, required=False, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, max_digits=12, decimal_places=2, min_value=0, required=required, **kwargs
    )


class FactsForm(forms.Form):
    """The amount and the facts an application carries (the programme says which it needs)."""

    amount_requested = money(_("amount asked (yuan)"), required=True)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))
    child_name = forms.CharField(label=_("child's name"), max_length=50, required=False)
    school = forms.CharField(label=_("school"), max_length=100, required=False)
    admission_year = forms.IntegerField(
        label=_("admission year"), min_value=1950, max_value=2100, required=False
    )
    diagnosis_category = forms.ChoiceField(
        label=_("diagnosis category"),
        choices=[("", "—"), *DiagnosisCategory.choices],
        required=False,
        help_text=_("Health facts only after the worker's consent is recorded."),
    )
    total_cost = money(_("total medical cost"))
    insurance_reimbursement = money(_("insurance reimbursement"))
    per_capita_income = money(
        _("household monthly income per person"),
        help_text=_("Income facts only after the worker's consent is recorded."),
    )
    bank_name = forms.CharField(label=_("bank"), max_length=100, required=False)
    bank_account = forms.CharField(
        label=_("bank account"),
        max_length=40,
        required=False,
        help_text=_("8 to 30 digits; spaces are removed."),
    )
    consents = forms.ModelMultipleChoiceField(
        label=_("the worker's consent, given now"),
        queryset=PrivacyNotice.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Tick each notice read to the worker and agreed to: health and income facts are "
            "collected only with the worker's separate consent. A consent already on file "
            "stands."
        ),
    )

    def __init__(
        self,
        *args,
        user=None,
        stored_account: str = "",
        account_locked=False,
        consented_kinds=(),
        **kwargs,
    ):
        """``stored_account``: the masked account already on the record, which the
        field never shows in full: left empty, it is kept. ``account_locked``: the
        account can no longer change (the application is paid). ``consented_kinds``:
        the kinds of consent the worker has given already, not offered again."""
        self.user = user
        super().__init__(*args, **kwargs)
        notices = PrivacyNotice.objects.in_force().exclude(kind__in=consented_kinds)
        if notices.exists():
            self.fields["consents"].queryset = notices
        else:
            del self.fields["consents"]
        field = self.fields["bank_account"]
        if account_locked:
            field.disabled = True
            field.widget.attrs["placeholder"] = stored_account
            field.help_text = _("The bank account of a paid application cannot be changed.")
        elif stored_account:
            field.widget.attrs["placeholder"] = stored_account
            field.help_text = _(
                "Stored: %(account)s. Leave empty to keep it, or enter a new account "
                "(8 to 30 digits; spaces are removed)."
            ) % {"account": stored_account}

    def clean_bank_account(self):
        account = self.cleaned_data["bank_account"].replace(" ", "")
        if account and not BANK_ACCOUNT.match(account):
            raise forms.ValidationError(_("A bank account number is 8 to 30 digits."))
        return account


def open_campaigns(user):
    return (
        Campaign.objects.for_user(user)
        .filter(status=CampaignStatus.OPEN)
        .select_related("programme")
    )


class DraftForm(FactsForm):
    """A draft's facts and its campaign, which may still change (``_move_draft``)."""

    campaign = forms.ModelChoiceField(label=_("campaign"), queryset=Campaign.objects.none())

    field_order = ["campaign"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["campaign"].queryset = open_campaigns(user)


class ApplicationForm(DraftForm, WorkerChoiceForm):
    """A new application: a draft's campaign and facts, and the worker chosen in the
    user's scope."""

    field_order = ["campaign", "worker", "person"]


class DecideForm(forms.Form):
    APPROVE, RETURN, REJECT = "approve", "return", "reject"
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[
            (APPROVE, _("Approve")),
            (RETURN, _("Return for more information")),
            (REJECT, _("Reject")),
        ],
        widget=forms.RadioSelect,
    )
    amount = money(
        _("approved amount (yuan)"),
        help_text=_("Leave empty to keep the amount; it may only go down."),
    )
    comment = forms.CharField(
        label=_("comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class EmptyForm(forms.Form):
    pass


class PayForm(forms.Form):
    reference = forms.CharField(label=_("bank reference"), max_length=60, required=False)


class ConsentForm(forms.Form):
    notice = forms.ModelChoiceField(
        label=_("notice read to the worker"),
        queryset=PrivacyNotice.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        help_text=_("The worker consents to the facts of this notice, in this version."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["notice"].queryset = PrivacyNotice.objects.in_force()


class PrivacyNoticeForm(forms.Form):
    kind = forms.ChoiceField(label=_("consent to"), choices=ConsentKind.choices)
    version = forms.CharField(label=_("version"), max_length=40)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 8}))
    in_force_from = forms.DateField(label=_("in force from"), widget=DateInput)


class ProgrammeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=ProgrammeKind.choices)
    max_amount = money(_("maximum per grant"))
    income_threshold = money(_("income threshold"))
    medical_share = forms.DecimalField(
        label=_("share of out-of-pocket cost paid"),
        max_digits=4,
        decimal_places=3,
        min_value=0,
        max_value=1,
        required=False,
    )
    grants_per_year = forms.IntegerField(
        label=_("grants per person per year"), min_value=1, initial=1
    )
    needy_only = forms.BooleanField(label=_("for registered needy workers only"), required=False)
    dual_approval_above = money(_("two county approvers above"))
    required_facts = forms.MultipleChoiceField(
        label=_("required facts"),
        choices=Fact.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Left empty: what the kind of programme needs."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def rules(self) -> dict:
        data = dict(self.cleaned_data)
        if not data["required_facts"]:
            data.pop("required_facts")
        return data


class CampaignForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("programme"), queryset=None)
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    organisation = forms.ModelChoiceField(label=_("run by"), queryset=Organisation.objects.none())
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput)
    status = forms.ChoiceField(label=_("status"), choices=CampaignStatus.choices)

    def __init__(self, *args, user, **kwargs):
        from .models import Programme

        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.all()
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).exclude(
            kind__in=("grassroots", "joint")
        )


class FundForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    budget = money(_("budget (yuan)"), required=True)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)


class ApplicationFilterForm(forms.Form):
    AWAITING = "awaiting"
    show = forms.ChoiceField(
        label=_("show"),
        choices=[("", _("All applications")), (AWAITING, _("Awaiting my decision"))],
        required=False,
    )
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *AidStatus.choices], required=False
    )
    year = forms.IntegerField(label=_("year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.has_perm("aid.approve_aidapplication"):
            del self.fields["show"]

    @property
    def awaiting(self) -> bool:
        return "show" in self.fields and self.cleaned_data.get("show") == self.AWAITING

    @property
    def awaiting_refused(self) -> bool:
        """Asked for the applications awaiting the user's decision without the right to
        decide: none await them, and the list says so instead of listing everything."""
        return "show" not in self.fields and self.data.get("show") == self.AWAITING

    def filter(self, queryset):
        if self.awaiting_refused:
            return queryset.none()
        if self.awaiting:
            # Only what the user may decide on now (separation of duties included).
            queryset = duties.awaiting_decision(self.user, queryset)
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(year=self.cleaned_data["year"])
        return queryset


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)


class MarkPaidForm(forms.Form):
    applications = forms.ModelMultipleChoiceField(
        label=_("applications"), queryset=None, widget=forms.CheckboxSelectMultiple
    )
    reference = forms.CharField(label=_("bank reference"), max_length=60, required=False)

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = queryset


#: The most applications one bulk approval handles.
BULK_APPROVAL_MAX = 1000


class IdListField(forms.Field):
    """Primary keys posted as repeated values of one name (checkboxes)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[int]:
        if not value:
            return []
        try:
            return sorted({int(item) for item in value})
        except (TypeError, ValueError):
            raise forms.ValidationError(_("Choose applications from the list.")) from None


class BulkApproveForm(forms.Form):
    """Approve the applications ticked on a page, or all awaiting the user that match the
    list's filter; ``query`` carries that filter (the list's query string)."""

    SELECTED, MATCHING = "selected", "matching"
    target = forms.ChoiceField(
        choices=[
            (SELECTED, _("the selected applications")),
            (MATCHING, _("all applications awaiting me that match the filter")),
        ]
    )
    applications = IdListField(required=False)
    query = forms.CharField(required=False, max_length=2000, widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("comment"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm = forms.BooleanField(
        label=_("I have checked these applications and approve them at my level."),
        error_messages={"required": _("Confirm the approval by ticking the box.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("target") == self.SELECTED:
            chosen = data.get("applications") or []
            if not chosen:
                self.add_error("applications", _("Select at least one application."))
            elif len(chosen) > BULK_APPROVAL_MAX:
                self.add_error(
                    "applications",
                    _("At most %(max)s applications can be approved at once.")
                    % {"max": BULK_APPROVAL_MAX},
                )
        return data


class StaffPersonForm(forms.Form):
    """The person a staff account belongs to, chosen among the people in the user's scope."""

    person = forms.ModelChoiceField(
        label=_("person"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose a person found in your scope.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.for_user(user)


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=EvidenceKind.choices)
    upload = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG."))
