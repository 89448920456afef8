"""Forms of the studio and mentoring pages: they validate and normalise, services save.

A person is chosen by their ID number among the files the user sees (as the
congress's delegates are): a list of every worker in a township would be neither
usable nor private.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.orgs.forms import township_choices
from gonghui.orgs.models import Employer, Industry, Organisation
from gonghui.people.models import Person, id_hash

from .levels import level_choices
from .models import FIRST_YEAR, AchievementKind, MentoringStatus, Studio, StudioLevel

NOT_IN_SCOPE = _("Choose an employer in your scope.")


def person_by_id_number(user, value: str) -> Person | None:
    """The file in ``user``'s scope with this ID number; None for an empty value."""
    value = (value or "").strip()
    if not value:
        return None
    # The parser's own message says what is wrong with the number.
    number = parse_id_number(value).number
    person = Person.objects.for_user(user).filter(id_hash=id_hash(number)).first()
    if person is None:
        raise ValidationError(_("Nobody with this ID number has a file in your scope."))
    return person


def _id_field(label, *, required=True, help_text=""):
    field = forms.CharField(label=label, max_length=18, required=required, help_text=help_text)
    field.widget.attrs.update(autocomplete="off", spellcheck="false")
    return field


def _now(person) -> str:
    return _("Now %(name)s (%(masked)s). Leave empty to keep them.") % {
        "name": person.name,
        "masked": person.masked_id_number(),
    }


class PhotosInput(forms.ClearableFileInput):
    """One file input that takes several photos (Django's documented pattern)."""

    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several uploads from one input, as a list (the service checks each is a photo)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", PhotosInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class StudioForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    employer = forms.ModelChoiceField(
        label=_("employer"),
        queryset=Employer.objects.none(),
        error_messages={"invalid_choice": NOT_IN_SCOPE},
    )
    leader_id_number = _id_field(
        _("ID number of the leader"),
        help_text=_("A model worker or craftsman with a file in your scope."),
    )
    level = forms.ChoiceField(label=_("level"), choices=StudioLevel.choices)
    founded_on = forms.DateField(label=_("founded on"), widget=DateInput)
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args, user, instance: Studio | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.instance = user, instance
        self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name", "pk")
        if instance is not None:
            # A studio of another employer is another studio.
            del self.fields["employer"]
            self.fields["leader_id_number"].required = False
            self.fields["leader_id_number"].help_text = _now(instance.leader)

    def clean_leader_id_number(self):
        person = person_by_id_number(self.user, self.cleaned_data.get("leader_id_number"))
        if person is None and self.instance is not None:
            return self.instance.leader
        return person

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["leader"] = data.pop("leader_id_number")
        return data


class MemberForm(forms.Form):
    person_id_number = _id_field(_("ID number of the member"))
    joined_on = forms.DateField(label=_("joined on"), widget=DateInput)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_person_id_number(self):
        return person_by_id_number(self.user, self.cleaned_data.get("person_id_number"))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["person"] = data.pop("person_id_number")
        return data


class LeaveForm(forms.Form):
    left_on = forms.DateField(label=_("left on"), widget=DateInput)


class AchievementForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=AchievementKind.choices)
    title = forms.CharField(label=_("title"), max_length=200)
    patent_number = forms.CharField(
        label=_("patent number"),
        max_length=30,
        required=False,
        help_text=_(
            "Required for a patent: ZL, the application number, a dot and the check "
            "character, e.g. ZL202310123456.7."
        ),
    )
    year = forms.IntegerField(label=_("year"), min_value=FIRST_YEAR)
    benefit = forms.DecimalField(
        label=_("economic benefit claimed (yuan)"),
        max_digits=14,
        decimal_places=2,
        initial=0,
        help_text=_("Zero or more."),
    )
    description = forms.CharField(
        label=_("description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    credited = forms.ModelMultipleChoiceField(
        label=_("people credited"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Members of the studio."),
    )
    published = forms.BooleanField(label=_("published to the showcase"), required=False)
    photos = PhotosField(label=_("photos"), required=False, help_text=_("JPEG or PNG."))

    def __init__(self, *args, user, studio: Studio, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["credited"].queryset = (
            Person.objects.for_user(user)
            .filter(studio_memberships__studio=studio)
            .distinct()
            .order_by("name", "pk")
        )


class PairForm(forms.Form):
    mentor_id_number = _id_field(_("ID number of the mentor"))
    apprentice_id_number = _id_field(_("ID number of the apprentice"))
    trade = forms.CharField(label=_("trade"), max_length=100)
    studio = forms.ModelChoiceField(
        label=_("studio"),
        queryset=Studio.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("Choose a studio in your scope.")},
    )
    starts_on = forms.DateField(label=_("agreement starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("agreement ends on"), widget=DateInput)
    goals = forms.CharField(label=_("goals"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["studio"].queryset = Studio.objects.for_user(user).order_by("name", "pk")

    def clean_mentor_id_number(self):
        return person_by_id_number(self.user, self.cleaned_data.get("mentor_id_number"))

    def clean_apprentice_id_number(self):
        return person_by_id_number(self.user, self.cleaned_data.get("apprentice_id_number"))

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["mentor"] = data.pop("mentor_id_number")
        data["apprentice"] = data.pop("apprentice_id_number")
        return data


class EvaluateForm(forms.Form):
    status = forms.ChoiceField(
        label=_("outcome"),
        choices=[
            (MentoringStatus.COMPLETED, MentoringStatus.COMPLETED.label),
            (MentoringStatus.ENDED_EARLY, MentoringStatus.ENDED_EARLY.label),
        ],
    )
    result = forms.CharField(label=_("evaluation"), widget=forms.Textarea(attrs={"rows": 4}))
    level_reached = forms.CharField(label=_("skill level reached"), max_length=40, required=False)
    evaluated_on = forms.DateField(label=_("evaluated on"), widget=DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        choices = level_choices()
        if choices is not None:
            self.fields["level_reached"] = forms.ChoiceField(
                label=_("skill level reached"),
                choices=[("", _("Not assessed")), *choices],
                required=False,
            )
        self.fields["evaluated_on"].initial = timezone.localdate()


# --- Filters ---------------------------------------------------------------------------------


def _year_choices():
    this_year = timezone.localdate().year
    return [("", _("All years")), *((y, y) for y in range(this_year, this_year - 15, -1))]


class StudioFilterForm(forms.Form):
    level = forms.ChoiceField(
        label=_("level"), choices=[("", _("All")), *StudioLevel.choices], required=False
    )
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["township"].queryset = township_choices(user)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("township"):
            queryset = queryset.filter(employer__township=data["township"])
        return queryset


class ShowcaseFilterForm(forms.Form):
    """The showcase's filters: kind, year, the studio's level, township and industry."""

    kind = forms.ChoiceField(
        label=_("kind"), choices=[("", _("All")), *AchievementKind.choices], required=False
    )
    year = forms.TypedChoiceField(label=_("year"), coerce=int, required=False, empty_value=None)
    level = forms.ChoiceField(
        label=_("studio level"), choices=[("", _("All")), *StudioLevel.choices], required=False
    )
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All townships"),
    )
    industry = forms.ChoiceField(
        label=_("industry"), choices=[("", _("All")), *Industry.choices], required=False
    )

    def __init__(self, *args, user=None, townships=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _year_choices()
        self.fields["township"].queryset = (
            townships if townships is not None else township_choices(user)
        )

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("year"):
            queryset = queryset.filter(year=data["year"])
        if data.get("level"):
            queryset = queryset.filter(studio__level=data["level"])
        if data.get("township"):
            queryset = queryset.filter(studio__employer__township=data["township"])
        if data.get("industry"):
            queryset = queryset.filter(studio__employer__industry=data["industry"])
        return queryset


class PairFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("All")), *MentoringStatus.choices], required=False
    )
    evaluation_due = forms.BooleanField(label=_("agreement ended, not evaluated"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["studio"] = forms.ModelChoiceField(
            label=_("studio"),
            queryset=Studio.objects.for_user(user).order_by("name", "pk"),
            required=False,
            empty_label=_("All studios"),
        )

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("studio"):
            queryset = queryset.filter(studio=data["studio"])
        if data.get("evaluation_due"):
            # Still active the day after the agreement's last day: the evaluation that
            # closes the pair is owed (the to-do item on the home page links here).
            queryset = queryset.filter(
                status=MentoringStatus.ACTIVE, ends_on__lt=timezone.localdate()
            )
        return queryset
