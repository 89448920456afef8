from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.core.phones import parse_phone
from gonghui.orgs.models import Employer


class EmployerByNameField(forms.CharField):
    """An employer a worker names as their labour contract does: its full name or its
    unified social credit code (a worker knows these, not the console's records)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(**kwargs)

    def clean(self, value) -> Employer | None:
        text = " ".join(super().clean(value).split())
        if not text:
            return None
        found = list(
            Employer.objects.filter(credit_code=text.upper())[:2]
            or Employer.objects.filter(name=text)[:2]
        )
        if len(found) != 1:
            raise ValidationError(
                _(
                    "No single employer has this name or code. Check the name on your "
                    "labour contract, or ask your union."
                )
            )
        return found[0]


class PhoneForm(forms.Form):
    phone = forms.CharField(
        label=_("Mobile number"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"inputmode": "tel", "autocomplete": "tel", "placeholder": "13800000000"}
        ),
    )

    def clean_phone(self):
        return parse_phone(self.cleaned_data["phone"])


class CodeForm(PhoneForm):
    code = forms.CharField(
        label=_("Code from the text message"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9 ]*"}
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget = forms.HiddenInput()


class BindForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=50)
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=30,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    employer = EmployerByNameField(
        label=_("Your employer"),
        required=False,
        help_text=_(
            "The full name on your labour contract, or its unified social credit code. "
            "Needed when the union has no file of you yet."
        ),
    )


class RefuseForm(forms.Form):
    comment = forms.CharField(label=_("Why (the worker reads this)"), max_length=200)


class CorrectionForm(forms.Form):
    text = forms.CharField(
        label=_("What is wrong, and what is right"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (the worker reads this)"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
