"""Forms of the skill pages: they validate and normalise, ``services`` saves."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.forms import township_choices
from gonghui.orgs.models import Organisation

from . import selectors
from .models import SkillLevel, SkillRecord, SkillSource

TRADE_LIST_ID = "skill-trades"


class TradeInput(forms.TextInput):
    """A text input offering the trades already in use (a ``<datalist>``): one trade is
    then written one way, which the list's filter and the counts rely on."""

    def __init__(self, attrs=None, suggestions=()):
        super().__init__(attrs={**(attrs or {}), "list": TRADE_LIST_ID, "autocomplete": "off"})
        self.suggestions = list(suggestions)

    def render(self, name, value, attrs=None, renderer=None):
        options = format_html_join("", '<option value="{}">', ((s,) for s in self.suggestions))
        return mark_safe(
            super().render(name, value, attrs, renderer)
            + format_html('<datalist id="{}">{}</datalist>', TRADE_LIST_ID, options)
        )


class SkillRecordForm(forms.ModelForm):
    class Meta:
        model = SkillRecord
        fields = [
            "level",
            "trade",
            "certificate_number",
            "certified_on",
            "issuing_body",
            "note",
        ]
        widgets = {
            "certified_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trade"].widget = TradeInput(suggestions=selectors.trade_suggestions(user))
        self.fields["issuing_body"].help_text = _(
            "The skill-evaluation body or authority named on the certificate (optional)."
        )

    def validate_unique(self):
        # The service refuses a level held twice, with the worker's name in the message.
        pass

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class SkillFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("skill level"), choices=[("", _("All")), *SkillLevel.choices], required=False
    )
    high_skilled = forms.BooleanField(label=_("advanced worker and above"), required=False)
    trade = forms.CharField(label=_("trade"), max_length=60, required=False)
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )
    source = forms.ChoiceField(
        label=_("source"), choices=[("", _("All")), *SkillSource.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("high_skilled"):
            queryset = queryset.filter(level__in=SkillLevel.HIGH_SKILLED)
        if data.get("trade", "").strip():
            queryset = queryset.filter(trade=" ".join(data["trade"].split()))
        if data.get("township"):
            queryset = queryset.filter(person__employer__township=data["township"])
        if data.get("source"):
            queryset = queryset.filter(source=data["source"])
        return queryset
