from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation

from . import selectors
from .models import LATITUDE_RANGE, LONGITUDE_RANGE, OFFERS, OUT_OF_RANGE

COORDINATE_ERRORS = {
    "invalid": _("Enter the coordinate as decimal degrees, e.g. 30.274085."),
    "min_value": OUT_OF_RANGE,
    "max_value": OUT_OF_RANGE,
}


class StationForm(forms.Form):
    """A station's terms; the running organisation is chosen in the user's scope."""

    organisation = forms.ModelChoiceField(
        label=_("running organisation"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose an organisation in your scope.")},
    )
    name = forms.CharField(label=_("name"), max_length=120)
    address = forms.CharField(label=_("address"), max_length=200)
    township = forms.ModelChoiceField(
        label=_("township"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose a township.")},
    )
    latitude = forms.DecimalField(
        label=_("latitude"),
        max_digits=9,
        decimal_places=6,
        min_value=LATITUDE_RANGE[0],
        max_value=LATITUDE_RANGE[1],
        error_messages=COORDINATE_ERRORS,
        help_text=_("Decimal degrees north, as a phone's map shows them (WGS-84)."),
    )
    longitude = forms.DecimalField(
        label=_("longitude"),
        max_digits=9,
        decimal_places=6,
        min_value=LONGITUDE_RANGE[0],
        max_value=LONGITUDE_RANGE[1],
        error_messages=COORDINATE_ERRORS,
        help_text=_("Decimal degrees east."),
    )
    opening_hours = forms.CharField(
        label=_("opening hours"),
        max_length=120,
        required=False,
        help_text=_("For example: every day 7:00–21:00."),
    )
    open_all_day = forms.BooleanField(label=_("open 24 hours"), required=False)
    water = forms.BooleanField(label=_("drinking water"), required=False)
    charging = forms.BooleanField(label=_("phone charging"), required=False)
    microwave = forms.BooleanField(label=_("microwave"), required=False)
    toilet = forms.BooleanField(label=_("toilet"), required=False)
    rest_seats = forms.BooleanField(label=_("rest seats"), required=False)
    first_aid = forms.BooleanField(label=_("first aid kit"), required=False)
    active = forms.BooleanField(
        label=_("active"),
        required=False,
        initial=True,
        help_text=_("Only active stations are shown to workers."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).order_by("path")
        self.fields["township"].queryset = selectors.townships_for(user)


class StationFilterForm(forms.Form):
    township = forms.ModelChoiceField(
        label=_("township"), queryset=Organisation.objects.none(), required=False
    )
    offers = forms.ChoiceField(
        label=_("what it offers"), choices=[("", "—"), *OFFERS], required=False
    )
    active = forms.ChoiceField(
        label=_("active"),
        choices=[("", "—"), ("yes", _("active")), ("no", _("not active"))],
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None:
            self.fields["township"].queryset = selectors.townships_for(user)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("township"):
            queryset = queryset.filter(township=data["township"])
        if data.get("offers"):
            queryset = queryset.filter(**{data["offers"]: True})
        if data.get("active") == "yes":
            queryset = queryset.filter(active=True)
        elif data.get("active") == "no":
            queryset = queryset.filter(active=False)
        return queryset


class VisitForm(forms.Form):
    day = forms.DateField(label=_("day"), widget=DateInput)
    count = forms.IntegerField(
        label=_("visits"),
        min_value=0,
        max_value=100_000,
        error_messages={"min_value": _("A count of visits cannot be negative.")},
        help_text=_("The day's whole count: recording a day again replaces its count."),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"day": timezone.localdate()})
        super().__init__(*args, **kwargs)


class PhotoForm(forms.Form):
    photo = forms.ImageField(label=_("photo"))


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)


class TownshipChoiceForm(forms.Form):
    """The portal's chooser: the townships that have a station."""

    township = forms.TypedChoiceField(
        label=_("township"), coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, townships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].choices = [
            ("", _("All townships")),
            *((t.pk, t.name) for t in townships),
        ]
