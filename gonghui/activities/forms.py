from django import forms
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateTimeInput
from gonghui.orgs.models import Organisation

from .models import ActivityKind, ActivityStatus, Audience


class ActivityForm(forms.Form):
    """An activity's terms; the organiser is chosen among the unions in the user's scope."""

    organiser = forms.ModelChoiceField(
        label=_("organiser"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose a union in your scope.")},
    )
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput)
    place = forms.CharField(label=_("place"), max_length=200)
    capacity = forms.IntegerField(label=_("places"), min_value=1, max_value=100_000)
    audience = forms.ChoiceField(
        label=_("who may join"), choices=Audience.choices, initial=Audience.SUBTREE
    )
    signup_opens_at = forms.DateTimeField(label=_("sign-up opens at"), widget=DateTimeInput)
    signup_closes_at = forms.DateTimeField(
        label=_("sign-up closes at"),
        widget=DateTimeInput,
        help_text=_("No later than the activity starts."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.for_user(user).order_by("path")


class ActivityFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *ActivityStatus.choices], required=False
    )
    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", "—"), *ActivityKind.choices], required=False
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (ActivityStatus.OPEN, _("Open for sign-up")),
            (ActivityStatus.CANCELLED, _("Cancel the activity")),
            (ActivityStatus.HELD, _("Mark as held")),
        ]
    )


class CardForm(forms.Form):
    """The member's card code, read by the camera (``portal/scan.js``) or typed."""

    token = forms.CharField(
        label=_("Card code"),
        max_length=200,
        help_text=_("Scan the QR code on the worker's phone, or type the code printed under it."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "none", "spellcheck": "false"}
        ),
    )


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("photo"))
    caption = forms.CharField(label=_("caption"), max_length=200, required=False)


class CodeForm(forms.Form):
    """The code the organiser shows at the door, typed by the worker."""

    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)
