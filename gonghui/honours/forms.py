"""Forms of the honours pages: they validate and normalise; services write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Employer
from gonghui.people.models import Person

from .models import (
    ActivityKind,
    CareKind,
    ConditionKind,
    Frequency,
    HolderKind,
    Title,
    TitleLevel,
)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


def _date(label, **kwargs):
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class HolderForm(forms.Form):
    """A title and its holder: a person, or an employer (and a team's name)."""

    title = forms.ModelChoiceField(label=_("title"), queryset=Title.objects.filter(active=True))
    year = forms.IntegerField(label=_("year"), min_value=1950, max_value=2100)
    person = forms.ModelChoiceField(
        label=_("person"), queryset=Person.objects.none(), required=False
    )
    employer = forms.ModelChoiceField(
        label=_("organisation"), queryset=Employer.objects.none(), required=False
    )
    team_name = forms.CharField(label=_("team"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.for_user(user)
        self.fields["employer"].queryset = Employer.objects.for_user(user)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["person"].widget = forms.NumberInput()
        self.fields["person"].help_text = _("The person's number in the system (from their file).")

    def clean(self):
        data = super().clean()
        title = data.get("title")
        if title is not None:
            if title.holder_kind == HolderKind.PERSON and not data.get("person"):
                self.add_error("person", _("Choose the person."))
            if title.holder_kind != HolderKind.PERSON and not data.get("employer"):
                self.add_error("employer", _("Choose the organisation."))
        return data


class NominationForm(HolderForm):
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea)
    deeds = forms.CharField(
        label=_("summary of deeds"),
        widget=forms.Textarea,
        help_text=_("Shown on the public notice: no ID numbers or phone numbers."),
    )
    evidence = MultipleFileField(label=_("evidence files"), required=False)


class HoldingForm(HolderForm):
    conferred_on = _date(_("conferred on"))
    document_number = forms.CharField(label=_("document number"), max_length=100, required=False)


class ResubmitForm(forms.Form):
    reasons = forms.CharField(label=_("reasons"), widget=forms.Textarea)
    deeds = forms.CharField(label=_("summary of deeds"), widget=forms.Textarea)
    evidence = MultipleFileField(label=_("evidence files"), required=False)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Approve")), ("return", _("Return"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class NoticeForm(forms.Form):
    starts_on = _date(_("notice starts on"), required=False)


class ObjectionRecordForm(forms.Form):
    received_on = _date(_("received on"))
    raised_by = forms.CharField(label=_("raised by"), max_length=100, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea)


class ObjectionAnswerForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("answer"),
        choices=[("0", _("Dismissed")), ("1", _("Upheld: the nomination fails"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )
    answer = forms.CharField(label=_("reasons"), widget=forms.Textarea)


class ConfirmForm(forms.Form):
    document_number = forms.CharField(label=_("document number"), max_length=100, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)


class PublicObjectionForm(forms.Form):
    """The public page's objection: what is wrong, and optionally who and how to reply."""

    content = forms.CharField(label=_("your objection"), widget=forms.Textarea, max_length=5000)
    raised_by = forms.CharField(label=_("your name (optional)"), max_length=100, required=False)
    contact = forms.CharField(
        label=_("how to reach you (optional)"), max_length=100, required=False
    )


class TitleForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=50)
    level = forms.ChoiceField(label=_("level"), choices=TitleLevel.choices)
    holder_kind = forms.ChoiceField(label=_("held by"), choices=HolderKind.choices)
    active = forms.BooleanField(label=_("in use"), required=False, initial=True)


class NoticeSettingsForm(forms.Form):
    notice_days = forms.IntegerField(
        label=_("notice days (working days)"), min_value=1, max_value=60
    )


class CareRuleForm(forms.Form):
    title = forms.ModelChoiceField(
        label=_("title"), queryset=Title.objects.filter(holder_kind=HolderKind.PERSON)
    )
    kind = forms.ChoiceField(label=_("kind"), choices=CareKind.choices)
    frequency = forms.ChoiceField(label=_("how often"), choices=Frequency.choices)
    amount = forms.DecimalField(label=_("amount (yuan)"), required=False, min_value=0)
    active = forms.BooleanField(label=_("in use"), required=False, initial=True)


class CareGivenForm(forms.Form):
    due = forms.ChoiceField(label=_("care owed"))
    given_on = _date(_("given on"))
    amount = forms.DecimalField(label=_("amount (yuan)"), required=False, min_value=0)
    what = forms.CharField(label=_("what was given"), max_length=200, required=False)

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["due"].choices = choices
        self.fields["given_on"].initial = timezone.localdate()


class ConditionForm(forms.Form):
    kind = forms.ChoiceField(label=_("condition"), choices=ConditionKind.choices)
    since = _date(_("since"))
    note = forms.CharField(label=_("note"), max_length=200, required=False)


class ConditionEndForm(forms.Form):
    until = _date(_("until"))


class StoryForm(forms.Form):
    person = forms.IntegerField(
        label=_("model worker"), help_text=_("The person's number in the system.")
    )
    headline = forms.CharField(label=_("headline"), max_length=100)
    text = forms.CharField(label=_("text"), widget=forms.Textarea)
    photo = forms.ImageField(label=_("photo"), required=False)


class PublishForm(forms.Form):
    publish = forms.TypedChoiceField(
        label=_("publish"),
        choices=[("1", _("Publish")), ("0", _("Withdraw"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


class ActivityForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=ActivityKind.choices)
    people = forms.CharField(
        label=_("model workers"), help_text=_("Their numbers in the system, separated by commas.")
    )
    place = forms.CharField(label=_("place"), max_length=200)
    held_on = _date(_("held on"))
    note = forms.CharField(label=_("note"), widget=forms.Textarea, required=False)

    def clean_people(self):
        raw = self.cleaned_data["people"].replace("，", ",")
        try:
            return [int(part) for part in raw.split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("Enter numbers separated by commas.")) from None


class HoldingFilterForm(forms.Form):
    title = forms.ModelChoiceField(label=_("title"), queryset=Title.objects.all(), required=False)
    level = forms.ChoiceField(
        label=_("level"), choices=[("", "—"), *TitleLevel.choices], required=False
    )
    year = forms.IntegerField(label=_("year"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("title"):
            queryset = queryset.filter(title=data["title"])
        if data.get("level"):
            queryset = queryset.filter(title__level=data["level"])
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        return queryset


class CareFilterForm(forms.Form):
    overdue = forms.BooleanField(label=_("care overdue"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("overdue"):
            from .care import overdue_person_ids

            ids = overdue_person_ids(queryset.values_list("pk", flat=True), timezone.localdate())
            queryset = queryset.filter(pk__in=ids)
        return queryset
