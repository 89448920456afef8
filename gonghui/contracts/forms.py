from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.forms import township_choices
from gonghui.orgs.models import Employer, Organisation

from .models import (
    EXPIRY_WARNING_DAYS,
    CollectiveContract,
    ContractKind,
    ContractReach,
    ContractStatus,
)
from .services import COVERING_KINDS

#: What a user is told when a chosen employer is not among theirs: the employer is not named.
NOT_IN_SCOPE = _("Choose an employer in your scope.")


class ContractForm(forms.Form):
    """A contract's terms. The employer (or, for a regional or industry contract, the
    union side and the employers) is chosen among those in the user's scope only."""

    title = forms.CharField(label=_("title"), max_length=200)
    kind = forms.ChoiceField(label=_("kind"), choices=ContractKind.choices)
    reach = forms.ChoiceField(
        label=_("reach"), choices=ContractReach.choices, initial=ContractReach.EMPLOYER
    )
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("For an employer's own contract."),
        error_messages={"invalid_choice": NOT_IN_SCOPE},
    )
    owner = forms.ModelChoiceField(
        label=_("union side"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For a regional or industry contract: the union that signs."),
        error_messages={"invalid_choice": _("Choose a union in your scope.")},
    )
    employers = forms.ModelMultipleChoiceField(
        label=_("employers covered"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("For a regional or industry contract."),
        error_messages={"invalid_choice": NOT_IN_SCOPE, "invalid_pk_value": NOT_IN_SCOPE},
    )
    signed_on = forms.DateField(
        label=_("signed on"),
        required=False,
        widget=DateInput,
        help_text=_("Leave empty while the contract is a draft."),
    )
    starts_on = forms.DateField(label=_("term starts on"), widget=DateInput)
    ends_on = forms.DateField(
        label=_("term ends on"), widget=DateInput, help_text=_("One to three years.")
    )
    wage_increase = forms.DecimalField(
        label=_("agreed wage increase (%)"),
        required=False,
        max_digits=5,
        decimal_places=2,
        min_value=-100,
        max_value=100,
    )
    minimum_wage = forms.DecimalField(
        label=_("minimum wage in the contract (yuan/month)"),
        required=False,
        max_digits=9,
        decimal_places=2,
        min_value=0.01,
    )
    text = forms.FileField(
        label=_("contract text"),
        required=False,
        help_text=_("PDF, Word, JPEG or PNG."),
    )

    def __init__(self, *args, user, instance: CollectiveContract | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance = instance
        employers = Employer.objects.for_user(user).order_by("name", "pk")
        self.fields["employer"].queryset = employers
        self.fields["employers"].queryset = employers
        self.fields["owner"].queryset = (
            Organisation.objects.for_user(user).filter(kind__in=COVERING_KINDS).order_by("path")
        )
        if instance is not None:
            # The reach of a recorded contract does not change.
            del self.fields["reach"]

    def chosen_reach(self) -> str:
        if self.instance is not None:
            return self.instance.reach
        return self.cleaned_data.get("reach") or ContractReach.EMPLOYER

    def clean(self):
        data = super().clean()
        reach = self.chosen_reach()
        if reach == ContractReach.EMPLOYER:
            if not data.get("employer") and "employer" not in self.errors:
                self.add_error("employer", _("Choose the employer."))
            data["owner"] = None
            data["employers"] = []
        else:
            if not data.get("owner") and "owner" not in self.errors:
                self.add_error("owner", _("Choose the union that signs for the employers."))
            if not data.get("employers") and "employers" not in self.errors:
                self.add_error("employers", _("Choose the employers the contract covers."))
            data["employer"] = None
        return data


class FilingForm(forms.Form):
    filed_on = forms.DateField(label=_("filed with the bureau on"), widget=DateInput)


class ObjectionForm(forms.Form):
    objected_on = forms.DateField(label=_("bureau objected on"), widget=DateInput)
    objection = forms.CharField(
        label=_("the bureau's objection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ContractFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("All")), *ContractStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All")), *ContractKind.choices], required=False
    )
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )
    expiring = forms.BooleanField(
        label=_("ending within %(days)s days") % {"days": EXPIRY_WARNING_DAYS}, required=False
    )
    not_filed = forms.BooleanField(label=_("signed, not filed"), required=False)
    filing_overdue = forms.BooleanField(label=_("filing overdue"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)

    def filter(self, queryset, today=None):
        today = today or timezone.localdate()
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.with_status(data["status"], today)
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("township"):
            from .models import ContractEmployer

            queryset = queryset.filter(
                pk__in=ContractEmployer.objects.filter(employer__township=data["township"]).values(
                    "contract_id"
                )
            )
        if data.get("expiring"):
            queryset = queryset.expiring(today)
        if data.get("not_filed"):
            queryset = queryset.not_filed()
        if data.get("filing_overdue"):
            queryset = queryset.filing_overdue(today)
        return queryset
