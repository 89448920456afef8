from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gonghui.core.creditcodes import (
    normalise_credit_code,
    validate_credit_code,
    validate_union_credit_code,
)
from gonghui.core.widgets import DateInput

from .models import Employer, Industry, Organisation, OrgKind, Ownership


def township_choices(user):
    """Townships a user may place an employer in: those in scope and the user's own."""
    visible = Organisation.objects.for_user(user).townships()
    if user.is_superuser or not user.organisation_id:
        return visible
    return Organisation.objects.townships().filter(
        Q(pk__in=visible.values("pk")) | Q(pk__in=user.organisation.ancestor_ids())
    )


class OrganisationForm(forms.ModelForm):
    # Longer than 18: spaces and dashes people type are removed before validation.
    credit_code = forms.CharField(
        label=_("union legal person credit code"),
        max_length=40,
        required=False,
        help_text=_("工会法人统一社会信用代码, begins with 81."),
    )

    class Meta:
        model = Organisation
        fields = [
            "code",
            "name",
            "kind",
            "parent",
            "credit_code",
            "address",
            "contact_name",
            "contact_phone",
            "founded_on",
        ]
        widgets = {"founded_on": DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Organisation.objects.for_user(user).exclude(
            kind__in=[OrgKind.GRASSROOTS, OrgKind.JOINT]
        )
        self.fields["parent"].required = not user.is_superuser
        if self.instance.pk:
            # Kind and place in the tree change through the move page only.
            del self.fields["kind"]
            del self.fields["parent"]

    def clean_credit_code(self):
        # Checked here as well as in the service so that the message sits on the field.
        code = normalise_credit_code(self.cleaned_data.get("credit_code"))
        return validate_union_credit_code(code) if code else None

    def validate_unique(self):
        # Uniqueness is checked by the service inside its transaction.
        pass

    def _post_clean(self):
        # The model's own clean() runs in the service; the form only normalises.
        pass


class OrganisationMoveForm(forms.Form):
    parent = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("new parent"))

    def __init__(self, *args, user, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = (
            Organisation.objects.for_user(user)
            .exclude(kind__in=[OrgKind.GRASSROOTS, OrgKind.JOINT])
            .exclude(pk=organisation.pk)
        )


class OrganisationFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All kinds"))] + OrgKind.choices, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("kind"):
            queryset = queryset.filter(kind=self.cleaned_data["kind"])
        return queryset


class EmployerForm(forms.ModelForm):
    credit_code = forms.CharField(label=_("unified social credit code"), max_length=40)

    class Meta:
        model = Employer
        fields = [
            "credit_code",
            "name",
            "industry",
            "ownership",
            "employee_count",
            "township",
            "union",
            "address",
            "legal_representative",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)
        self.fields["union"].queryset = Organisation.objects.for_user(user).unions()
        self.fields["credit_code"].widget.attrs.update(autocomplete="off", spellcheck="false")

    def clean_credit_code(self):
        # Checked here as well as in the service so that the message sits on the field.
        return validate_credit_code(self.cleaned_data.get("credit_code", ""))

    def validate_unique(self):
        pass

    def _post_clean(self):
        pass


class EmployerFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )
    industry = forms.ChoiceField(
        label=_("industry"), choices=[("", _("All industries"))] + Industry.choices, required=False
    )
    ownership = forms.ChoiceField(
        label=_("ownership"), choices=[("", _("All"))] + Ownership.choices, required=False
    )
    has_union = forms.ChoiceField(
        label=_("union"),
        choices=[("", _("All")), ("yes", _("Has a union")), ("no", _("No union yet"))],
        required=False,
    )
    min_employees = forms.IntegerField(label=_("at least employees"), required=False, min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("township"):
            queryset = queryset.filter(township=data["township"])
        if data.get("industry"):
            queryset = queryset.filter(industry=data["industry"])
        if data.get("ownership"):
            queryset = queryset.filter(ownership=data["ownership"])
        if data.get("has_union") == "yes":
            queryset = queryset.filter(union__isnull=False)
        elif data.get("has_union") == "no":
            queryset = queryset.filter(union__isnull=True)
        if data.get("min_employees") is not None:
            queryset = queryset.filter(employee_count__gte=data["min_employees"])
        return queryset
