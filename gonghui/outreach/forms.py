"""Forms of the outreach pages: they validate and normalise, services save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.accounts.models import User
from gonghui.accounts.selectors import active_staff
from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person, id_hash

from .vocabularies import Occasion, WishStatus


def _blank(choices, label):
    return [("", label), *choices]


class PersonByIdNumberMixin:
    """A ``person_id_number`` field resolved to a person in the user's scope.

    A person chosen already (the form opened from their file) is fixed and
    the field is left out; the ID number is never written into the page.
    """

    person_required = False

    def setup_person(self, user, person: Person | None, current: Person | None) -> None:
        self.user = user
        self.fixed_person = person
        self.current_person = current
        if person is not None:
            del self.fields["person_id_number"]
            return
        field = self.fields["person_id_number"]
        field.required = self.person_required and current is None
        field.widget.attrs.update(autocomplete="off", spellcheck="false")
        if current is not None:
            field.help_text = _("Now %(name)s (%(masked)s). Leave empty to keep them.") % {
                "name": current.name,
                "masked": current.masked_id_number(),
            }

    def clean_person_id_number(self):
        value = (self.cleaned_data.get("person_id_number") or "").strip()
        if not value:
            return None
        number = parse_id_number(value).number
        person = Person.objects.for_user(self.user).filter(id_hash=id_hash(number)).first()
        if person is None:
            raise ValidationError(_("Nobody with this ID number is registered in your scope."))
        return person

    def chosen_person(self) -> Person | None:
        if self.fixed_person is not None:
            return self.fixed_person
        return self.cleaned_data.get("person_id_number") or self.current_person


class DeliveryForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    campaign_name = forms.CharField(label=_("campaign"), max_length=100)
    campaign_year = forms.IntegerField(label=_("campaign year"), min_value=2000, max_value=2100)
    delivered_on = forms.DateField(label=_("delivered on"), widget=DateInput)
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=Employer.objects.none(),
        required=False,
        help_text=_("Or name an outdoor site below."),
    )
    site_name = forms.CharField(label=_("outdoor site"), max_length=200, required=False)
    workers_reached = forms.IntegerField(label=_("workers reached"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args, user, delivery=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Defaults of a new delivery; an edit's stored values come from the view.
        self.fields["organisation"].initial = user.organisation_id
        self.fields["campaign_year"].initial = timezone.localdate().year
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)
        self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name")


class GoodsLineForm(forms.Form):
    item = forms.CharField(label=_("item"), max_length=100)
    quantity = forms.DecimalField(label=_("quantity"), max_digits=10, decimal_places=2)
    unit = forms.CharField(label=_("unit"), max_length=20, required=False)
    unit_value = forms.DecimalField(label=_("unit value (yuan)"), max_digits=12, decimal_places=2)


GoodsLineFormSet = forms.formset_factory(GoodsLineForm, extra=3)


def goods_initial(delivery) -> list[dict]:
    return [
        {
            "item": line.item,
            "quantity": line.quantity,
            "unit": line.unit,
            "unit_value": line.unit_value,
        }
        for line in delivery.lines.all()
    ]


class StaffChoiceField(forms.ModelMultipleChoiceField):
    """Staff accounts named as people: the name (the login name where the account
    has none) and the organisation, as a visit record reads."""

    def label_from_instance(self, obj):
        return _("%(name)s (%(organisation)s)") % {
            "name": obj.display_name,
            "organisation": obj.organisation.name,
        }


class VisitForm(PersonByIdNumberMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput)
    occasion = forms.ChoiceField(label=_("occasion"), choices=Occasion.choices)
    person_id_number = forms.CharField(
        label=_("ID number of the person visited"),
        max_length=40,
        required=False,
        help_text=_("Links the visit to the person's file. Or write a household or name below."),
    )
    visited_name = forms.CharField(
        label=_("household or name visited"), max_length=100, required=False
    )
    visitors = StaffChoiceField(
        label=_("staff visitors"), queryset=User.objects.none(), required=False
    )
    visitor_names = forms.CharField(label=_("other visitors"), max_length=200, required=False)
    goods = forms.CharField(label=_("goods given"), max_length=200, required=False)
    goods_value = forms.DecimalField(
        label=_("value of goods (yuan)"), max_digits=12, decimal_places=2, initial=0
    )
    cash = forms.DecimalField(
        label=_("cash given (yuan)"), max_digits=12, decimal_places=2, initial=0
    )
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user, person=None, visit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The default of a new visit; an edit's stored values come from the view.
        self.fields["organisation"].initial = user.organisation_id
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)
        # Only the staff of the user's subtree, those the service accepts as visitors.
        self.fields["visitors"].queryset = (
            active_staff(user)
            .select_related("organisation")
            .order_by("organisation__path", "last_name", "first_name", "username")
        )
        self.setup_person(user, person, visit.person if visit is not None else None)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("person_id_number", None)
        data["person"] = self.chosen_person()
        return data


class WishForm(PersonByIdNumberMixin, forms.Form):
    person_required = True

    organisation = forms.ModelChoiceField(
        label=_("posted by"), queryset=Organisation.objects.none()
    )
    person_id_number = forms.CharField(label=_("ID number of the worker"), max_length=40)
    text = forms.CharField(
        label=_("wish"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )
    estimated_value = forms.DecimalField(
        label=_("estimated value (yuan)"), max_digits=12, decimal_places=2
    )

    def __init__(self, *args, user, person=None, wish=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The default of a new wish; an edit's stored values come from the view.
        self.fields["organisation"].initial = user.organisation_id
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)
        self.setup_person(user, person, wish.person if wish is not None else None)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("person_id_number", None)
        data["person"] = self.chosen_person()
        return data


class ClaimForm(forms.Form):
    donor_name = forms.CharField(
        label=_("donor"),
        max_length=100,
        required=False,
        help_text=_("A person or a unit not on the employer register."),
    )
    donor_employer = forms.ModelChoiceField(
        label=_("donor unit"), queryset=Employer.objects.none(), required=False
    )
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["donor_employer"].queryset = Employer.objects.for_user(user).order_by("name")


class FulfilForm(forms.Form):
    fulfilled_on = forms.DateField(label=_("fulfilled on"), widget=DateInput)
    delivered = forms.CharField(label=_("what was delivered"), max_length=300)
    photo = forms.FileField(
        label=_("photo"),
        required=False,
        help_text=_("A JPEG or PNG image, optional."),
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png"}),
    )
    comment = forms.CharField(label=_("comment"), max_length=300, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=300)


def _year_choices():
    this_year = timezone.localdate().year
    return [("", _("All years"))] + [(y, y) for y in range(this_year, this_year - 10, -1)]


class DeliveryFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("campaign year"), coerce=int, required=False)
    organisation = forms.ModelChoiceField(
        label=_("organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["organisation"].queryset = Organisation.objects.for_user(user)

    def filter(self, queryset):
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(campaign_year=self.cleaned_data["year"])
        if self.cleaned_data.get("organisation"):
            queryset = queryset.filter(organisation=self.cleaned_data["organisation"])
        return queryset


class VisitFilterForm(forms.Form):
    occasion = forms.ChoiceField(
        label=_("occasion"), choices=_blank(Occasion.choices, _("All occasions")), required=False
    )
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()

    def filter(self, queryset):
        if self.cleaned_data.get("occasion"):
            queryset = queryset.filter(occasion=self.cleaned_data["occasion"])
        if self.cleaned_data.get("year"):
            queryset = queryset.filter(visited_on__year=self.cleaned_data["year"])
        return queryset


class WishFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=_blank(WishStatus.choices, _("All")), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100, required=False)

    def chosen_year(self) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return self.cleaned_data["year"]
        return timezone.localdate().year
