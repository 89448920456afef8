"""The coverage pages' parameters: validated here, counted by the selectors."""

from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.orgs.forms import township_choices
from gonghui.orgs.models import Industry, Organisation

from .selectors import default_threshold

#: A threshold above any real employer's headcount is a typing error.
MAX_THRESHOLD = 100_000


class ThresholdField(forms.IntegerField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("employers with at least … employees"),
            min_value=1,
            max_value=MAX_THRESHOLD,
            required=False,
            **kwargs,
        )


class ThresholdForm(forms.Form):
    """The employee count from which union coverage is counted (usually 25)."""

    min_employees = ThresholdField()

    def threshold(self) -> int:
        if self.is_bound and self.is_valid() and self.cleaned_data["min_employees"]:
            return self.cleaned_data["min_employees"]
        return default_threshold()


class UncoveredFilterForm(ThresholdForm):
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )
    industry = forms.ChoiceField(
        label=_("industry"), choices=[("", _("All industries"))] + Industry.choices, required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)
        # The threshold first: it decides which employers are listed at all.
        self.order_fields(["min_employees", "township", "industry"])

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("township"):
            queryset = queryset.filter(township=data["township"])
        if data.get("industry"):
            queryset = queryset.filter(industry=data["industry"])
        return queryset
