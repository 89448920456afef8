from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation, OrgKind

from .models import OfferStatus


class OfferForm(forms.Form):
    """An offer's terms; the publishing union among the county and township unions in
    the user's scope."""

    union = forms.ModelChoiceField(
        label=_("publishing union"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose a union in your scope.")},
    )
    merchant_name = forms.CharField(label=_("merchant"), max_length=200)
    merchant_address = forms.CharField(label=_("merchant's address"), max_length=300)
    merchant_phone = forms.CharField(label=_("merchant's phone"), max_length=30, required=False)
    title = forms.CharField(label=_("what is offered"), max_length=200)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)
    price = forms.CharField(
        label=_("discount or price"),
        max_length=100,
        help_text=_("For example: 20 percent off, or 99 yuan."),
    )
    valid_from = forms.DateField(label=_("valid from"), widget=DateInput)
    valid_until = forms.DateField(label=_("valid until"), widget=DateInput)
    quantity = forms.IntegerField(label=_("quantity"), min_value=1, max_value=1_000_000)
    per_member_limit = forms.IntegerField(
        label=_("claims per member"), min_value=1, max_value=100, initial=1
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = (
            Organisation.objects.for_user(user)
            .filter(kind__in=(OrgKind.COUNTY, OrgKind.TOWNSHIP))
            .order_by("path")
        )


class OfferFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", "—"), *OfferStatus.choices], required=False
    )
    validity = forms.ChoiceField(
        label=_("validity"),
        choices=[
            ("", "—"),
            ("current", _("Valid today")),
            ("upcoming", _("Not yet valid")),
            ("ended", _("Ended")),
        ],
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data
        today = timezone.localdate()
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        validity = data.get("validity")
        if validity == "current":
            queryset = queryset.filter(valid_from__lte=today, valid_until__gte=today)
        elif validity == "upcoming":
            queryset = queryset.filter(valid_from__gt=today)
        elif validity == "ended":
            queryset = queryset.filter(valid_until__lt=today)
        return queryset


class StatusForm(forms.Form):
    action = forms.ChoiceField(choices=[("publish", _("Publish")), ("withdraw", _("Withdraw"))])


class ClaimForm(forms.Form):
    """The member's tap on "claim": only the key of ``SendOnceFormMixin``."""

    key = forms.CharField(widget=forms.HiddenInput, required=False)


class RedeemForm(forms.Form):
    """The merchant's counter: the offer's PIN and the member's code, typed or read by
    the camera (``portal/scan.js`` fills the field named ``token``)."""

    pin = forms.CharField(
        label=_("Offer PIN"),
        max_length=20,
        widget=forms.PasswordInput(
            render_value=True, attrs={"inputmode": "numeric", "autocomplete": "off"}
        ),
        error_messages={"required": _("Type the offer's PIN.")},
    )
    token = forms.CharField(
        label=_("Claim code"),
        max_length=64,
        help_text=_("Scan the QR code on the member's phone, or type the code under it."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "mono",
            }
        ),
        error_messages={"required": _("Type the claim code.")},
    )
