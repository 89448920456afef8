from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MessageKind
from .services import TEXTED_KINDS


class SmsPreferencesForm(forms.Form):
    """One checkbox per kind that may go by text message: checked sends it."""

    send = forms.MultipleChoiceField(
        label=_("Send me a text message for"),
        choices=[(kind, MessageKind(kind).label) for kind in TEXTED_KINDS],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Unchecked boxes send nothing, so a form with every box cleared would look like
    # a bare POST: this field is how the page's own form is told from one.
    shown = forms.CharField(widget=forms.HiddenInput, initial="sms")

    def clean_shown(self):
        if self.cleaned_data["shown"] != "sms":
            raise forms.ValidationError(_("Send the form from the settings page."))
        return "sms"
