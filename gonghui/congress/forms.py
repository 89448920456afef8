"""Forms of the congress pages: they validate and normalise, services save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.people.models import Person, id_hash

from .models import Delegate, DisclosureTopic, Proposal, ProposalStatus


class OverviewFilterForm(forms.Form):
    overdue = forms.ChoiceField(
        label=_("congress held"),
        choices=[
            ("", _("All")),
            ("yes", _("Overdue: none in the last 12 months")),
            ("no", _("Held in the last 12 months")),
        ],
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        chosen = self.cleaned_data.get("overdue")
        if chosen:
            queryset = queryset.filter(overdue=chosen == "yes")
        return queryset


class DisclosureFilterForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("topic"), choices=[("", _("All topics")), *DisclosureTopic.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("topic"):
            queryset = queryset.filter(topic=self.cleaned_data["topic"])
        return queryset


class SessionForm(forms.Form):
    term = forms.IntegerField(label=_("term (届)"), min_value=1, max_value=999)
    number = forms.IntegerField(label=_("session (次)"), min_value=1, max_value=999)
    held_on = forms.DateField(label=_("held on"), widget=DateInput)
    place = forms.CharField(label=_("place"), max_length=200, required=False)
    note = forms.CharField(
        label=_("note"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DelegateForm(forms.Form):
    term = forms.IntegerField(label=_("term (届)"), min_value=1, max_value=999)
    person_id_number = forms.CharField(
        label=_("ID number of the worker"),
        max_length=18,
        required=False,
        help_text=_(
            "A worker of this employer with a file; leave empty and write the name otherwise."
        ),
    )
    name = forms.CharField(label=_("name"), max_length=50, required=False)
    frontline = forms.BooleanField(label=_("front-line worker"), required=False)
    manager = forms.BooleanField(label=_("manager (middle level or above)"), required=False)
    woman = forms.BooleanField(label=_("woman"), required=False)
    dispatched = forms.BooleanField(label=_("dispatched worker"), required=False)
    elected_on = forms.DateField(label=_("elected on"), widget=DateInput)

    def __init__(self, *args, user, employer, delegate: Delegate | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.employer = user, employer
        field = self.fields["person_id_number"]
        field.widget.attrs.update(autocomplete="off", spellcheck="false")
        if delegate is not None and delegate.person_id is not None:
            field.help_text = _("Now %(name)s (%(masked)s). Leave empty to keep them.") % {
                "name": delegate.person.name,
                "masked": delegate.person.masked_id_number(),
            }

    def clean_person_id_number(self):
        value = (self.cleaned_data.get("person_id_number") or "").strip()
        if not value:
            return None
        # The parser's own message says what is wrong with the number.
        number = parse_id_number(value).number
        person = (
            Person.objects.for_user(self.user)
            .filter(id_hash=id_hash(number), employer=self.employer)
            .first()
        )
        if person is None:
            raise ValidationError(
                _("Nobody with this ID number works at this employer in your scope.")
            )
        return person

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["person"] = data.pop("person_id_number")
        return data


class AttendanceForm(forms.Form):
    present = forms.ModelMultipleChoiceField(
        label=_("delegates present"),
        queryset=Delegate.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["present"].queryset = delegates


class ProposalForm(forms.Form):
    proposer = forms.ModelChoiceField(label=_("proposer"), queryset=Delegate.objects.none())
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 5}))
    department = forms.CharField(label=_("department responsible"), max_length=100, required=False)
    submitted_on = forms.DateField(label=_("submitted on"), widget=DateInput)

    def __init__(self, *args, delegates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposer"].queryset = delegates
        self.fields["submitted_on"].initial = timezone.localdate()


class ProposalAdvanceForm(forms.Form):
    status = forms.ChoiceField(label=_("new status"), choices=ProposalStatus.choices)
    department = forms.CharField(label=_("department responsible"), max_length=100, required=False)
    merged_into = forms.ModelChoiceField(
        label=_("merged into"),
        queryset=Proposal.objects.none(),
        required=False,
        help_text=_("Only for a merge: the proposal of the same session that this one joins."),
    )
    reply = forms.CharField(
        label=_("written reply"), widget=forms.Textarea(attrs={"rows": 5}), required=False
    )
    replied_on = forms.DateField(label=_("replied on"), widget=DateInput, required=False)

    def __init__(self, *args, merge_targets, **kwargs):
        super().__init__(*args, **kwargs)
        # The session's other proposals in the reader's scope (the view's query).
        self.fields["merged_into"].queryset = merge_targets


class ResolutionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    text = forms.CharField(
        label=_("text"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    votes_for = forms.IntegerField(label=_("votes for"), min_value=0)
    votes_against = forms.IntegerField(label=_("votes against"), min_value=0)
    votes_abstain = forms.IntegerField(label=_("abstentions"), min_value=0)


class DisclosureForm(forms.Form):
    topic = forms.ChoiceField(label=_("topic"), choices=DisclosureTopic.choices)
    period = forms.CharField(label=_("period"), max_length=50)
    text = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 5}))
    disclosed_on = forms.DateField(label=_("disclosed on"), widget=DateInput)
