from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Employer, Organisation
from gonghui.people.models import Person, id_hash

from .models import ApplicationStatus, JobPosting


def _this_year() -> int:
    return timezone.localdate().year


class PostingForm(forms.Form):
    employer = forms.ModelChoiceField(label=_("employer"), queryset=Employer.objects.none())
    title = forms.CharField(label=_("job title"), max_length=100)
    pay_min = forms.DecimalField(
        label=_("monthly pay from (yuan)"), max_digits=10, decimal_places=2, min_value=0
    )
    pay_max = forms.DecimalField(
        label=_("monthly pay up to (yuan)"), max_digits=10, decimal_places=2, min_value=0
    )
    headcount = forms.IntegerField(label=_("positions"))
    location = forms.CharField(label=_("place of work"), max_length=200)
    campaign_year = forms.IntegerField(label=_("campaign year"), initial=_this_year)
    description = forms.CharField(label=_("description"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, posting: JobPosting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if posting is not None:
            # The employer of a posting does not change; a new posting is entered instead.
            del self.fields["employer"]
        else:
            self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name")


class ApplicationForm(forms.Form):
    """A worker applying for a posting, found by the ID number among the people in scope."""

    id_number = forms.CharField(label=_("worker's ID number"), max_length=30)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_id_number(self):
        try:
            number = parse_id_number(self.cleaned_data["id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        person = Person.objects.for_user(self.user).filter(id_hash=id_hash(number)).first()
        if person is None:
            raise ValidationError(
                _("No registered person in your scope has this ID number; register them first.")
            )
        self.cleaned_data["person"] = person
        return number


class AdvanceForm(forms.Form):
    to_status = forms.ChoiceField(label=_("outcome"), choices=ApplicationStatus.choices)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class FairForm(forms.Form):
    organiser = forms.ModelChoiceField(label=_("organiser"), queryset=Organisation.objects.none())
    name = forms.CharField(label=_("name"), max_length=200)
    held_on = forms.DateField(label=_("date"), widget=DateInput)
    place = forms.CharField(label=_("place"), max_length=200)
    campaign_year = forms.IntegerField(label=_("campaign year"), initial=_this_year)
    employers = forms.ModelMultipleChoiceField(
        label=_("employers attending"), queryset=Employer.objects.none(), required=False
    )
    attendance = forms.IntegerField(label=_("workers attending"), initial=0, min_value=0)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.for_user(user)
        self.fields["employers"].queryset = Employer.objects.for_user(user).order_by("name")


class AttendanceForm(forms.Form):
    attendance = forms.IntegerField(label=_("workers attending"), min_value=0)


class SummaryForm(forms.Form):
    year = forms.IntegerField(label=_("campaign year"), min_value=2000, max_value=2100)
