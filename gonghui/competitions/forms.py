from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, id_hash

from .models import Award, AwardBasis, CompetitionLevel, EventKind, TieRule


def skill_level_choices():
    """The levels of ``skills.models.SkillLevel`` when the skills app has them."""
    try:
        from gonghui.skills.models import SkillLevel
    except ImportError:
        return [("", _("None"))]
    return [("", _("None")), *SkillLevel.choices]


class CompetitionForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=200)
    trade = forms.CharField(label=_("trade"), max_length=100)
    level = forms.ChoiceField(label=_("level"), choices=CompetitionLevel.choices)
    organiser = forms.ModelChoiceField(
        label=_("organiser"),
        queryset=Organisation.objects.none(),
        error_messages={"invalid_choice": _("Choose an organisation in your scope.")},
    )
    starts_on = forms.DateField(label=_("starts on"), widget=DateInput)
    ends_on = forms.DateField(label=_("ends on"), widget=DateInput)
    registration_opens_on = forms.DateField(label=_("registration opens on"), widget=DateInput)
    registration_closes_on = forms.DateField(label=_("registration closes on"), widget=DateInput)
    min_age = forms.IntegerField(label=_("minimum age"), required=False, min_value=14, max_value=80)
    max_age = forms.IntegerField(label=_("maximum age"), required=False, min_value=14, max_value=80)
    eligible_trade = forms.CharField(
        label=_("entrants' trade"),
        max_length=100,
        required=False,
        help_text=_("Empty: any trade. Otherwise the entrant's job must mention it."),
    )
    members_only = forms.BooleanField(label=_("union members only"), required=False, initial=True)
    tie_rule = forms.ChoiceField(label=_("ties"), choices=TieRule.choices)
    award_basis = forms.ChoiceField(label=_("awards given"), choices=AwardBasis.choices)
    first_awards = forms.IntegerField(label=_("first prizes"), min_value=0, initial=1)
    second_awards = forms.IntegerField(label=_("second prizes"), min_value=0, initial=2)
    third_awards = forms.IntegerField(label=_("third prizes"), min_value=0, initial=3)
    excellence_awards = forms.IntegerField(label=_("excellence awards"), min_value=0, initial=0)
    first_skill_level = forms.ChoiceField(
        label=_("skill level of a first prize"), required=False, choices=skill_level_choices
    )
    second_skill_level = forms.ChoiceField(
        label=_("skill level of a second prize"), required=False, choices=skill_level_choices
    )
    third_skill_level = forms.ChoiceField(
        label=_("skill level of a third prize"), required=False, choices=skill_level_choices
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organiser"].queryset = Organisation.objects.for_user(user).order_by("path")


class EventForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=EventKind.choices)
    min_score = forms.DecimalField(
        label=_("lowest score"), max_digits=6, decimal_places=2, initial=0, min_value=0
    )
    max_score = forms.DecimalField(
        label=_("highest score"), max_digits=6, decimal_places=2, initial=100, max_value=1000
    )
    weight = forms.IntegerField(
        label=_("weight (%)"),
        min_value=1,
        max_value=100,
        help_text=_("The weights of a competition's events add up to 100."),
    )


class RegisterForm(forms.Form):
    """A staff member registers a worker they see, found by the ID number."""

    id_number = forms.CharField(label=_("worker's ID number"), max_length=30)

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


class RefuseForm(forms.Form):
    reason = forms.CharField(label=_("reason for refusal"), max_length=300)


class JudgeForm(forms.Form):
    judge = forms.ModelChoiceField(
        label=_("judge"),
        queryset=None,
        error_messages={"invalid_choice": _("Choose an account holding the judge role.")},
    )

    def __init__(self, *args, competition, **kwargs):
        from .services import judge_candidates

        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = judge_candidates(competition)
        self.fields["judge"].label_from_instance = lambda user: (
            f"{user.display_name} ({user.username})"
        )


class ResultChangeForm(forms.Form):
    final_score = forms.DecimalField(
        label=_("final score"), max_digits=8, decimal_places=2, required=False
    )
    place = forms.IntegerField(label=_("place"), min_value=1, required=False)
    award = forms.ChoiceField(
        label=_("award"), choices=[("", _("No award")), *Award.choices], required=False
    )
    reason = forms.CharField(
        label=_("reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )


class CompetitionFilterForm(forms.Form):
    """The list's filter: the competitions the reader runs with registrations awaiting
    their decision (the to-do item on the home page links here)."""

    awaiting = forms.BooleanField(label=_("registrations awaiting my approval"), required=False)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, queryset):
        if self.cleaned_data.get("awaiting"):
            queryset = queryset.organised_by(self.user).awaiting_decision()
        return queryset
