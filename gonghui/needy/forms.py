"""Forms of the needy-worker pages: they validate and normalise, services save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Organisation
from gonghui.people.models import Person, id_hash

from .selectors import with_objection_to_settle, with_shared_household
from .services import MemberData
from .vocabularies import (
    HEALTH_CAUSES,
    Cause,
    ExitReason,
    FileStatus,
    Level,
    Origin,
    Relation,
    ReviewOutcome,
    Standard,
)

SENSITIVE_PERMISSION = "needy.view_sensitive_needyfile"


def _blank(choices, label="—"):
    return [("", label), *choices]


class FileForm(forms.Form):
    """The file's own data; household members come in ``HouseholdFormSet``."""

    level = forms.ChoiceField(label=_("level"), choices=_blank(Level.choices))
    standard = forms.ChoiceField(label=_("filing standard"), choices=_blank(Standard.choices))
    causes = forms.MultipleChoiceField(
        label=_("causes of difficulty"),
        choices=Cause.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    household_income = forms.DecimalField(
        label=_("yearly household income (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    situation = forms.CharField(label=_("situation"), widget=forms.Textarea, required=False)

    def service_kwargs(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "id_number"}


class FileCreateForm(FileForm):
    """A new file: the worker is found by ID number among the people in scope."""

    id_number = forms.CharField(label=_("worker's ID number"), max_length=40)
    origin = forms.ChoiceField(label=_("origin"), choices=_blank(Origin.choices))
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)
    field_order = ["id_number", "origin"]

    def __init__(self, *args, user, person: Person | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.person = person
        if person is not None:
            del self.fields["id_number"]

    def clean_id_number(self):
        try:
            number = parse_id_number(self.cleaned_data["id_number"]).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None
        person = Person.objects.for_user(self.user).filter(id_hash=id_hash(number)).first()
        if person is None:
            raise ValidationError(
                _("No registered person in your scope has this ID number. Register them first.")
            )
        self.person = person
        return number


class MemberForm(forms.Form):
    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    relation = forms.ChoiceField(label=_("relation"), choices=_blank(Relation.choices))
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        required=False,
        help_text=_("Leave empty to keep the stored number."),
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"]
        if not value:
            return ""
        try:
            return parse_id_number(value).number
        except ValidationError as exc:
            raise ValidationError(exc.messages) from None


HouseholdFormSet = forms.formset_factory(MemberForm, extra=5, can_delete=True)


def household_initial(file) -> list[dict]:
    """Existing rows for an edit: ID numbers are not sent back to the browser."""
    return [{"name": m.name, "relation": m.relation, "note": m.note} for m in file.household.all()]


def household_data(formset, file=None) -> list[MemberData]:
    """The members entered; an empty ID number on an existing row keeps the stored one."""
    stored = {}
    if file is not None:
        stored = {index: m for index, m in enumerate(file.household.all())}
    members = []
    for index, form in enumerate(formset.forms):
        if not form.has_changed() and index not in stored:
            continue
        if formset.can_delete and form.cleaned_data.get("DELETE"):
            continue
        data = form.cleaned_data
        if not data:
            continue
        number = data.get("id_number") or ""
        if not number and index in stored:
            number = stored[index].plain_id_number()
        members.append(MemberData(data["name"], data["relation"], number, data.get("note", "")))
    return members


class VisitForm(forms.Form):
    visited_on = forms.DateField(label=_("visited on"), widget=DateInput)
    visitors = forms.CharField(label=_("visitors"), max_length=200)
    findings = forms.CharField(label=_("findings"), widget=forms.Textarea)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class NoticeForm(forms.Form):
    starts_on = forms.DateField(label=_("notice starts on"), widget=DateInput)
    days = forms.IntegerField(label=_("notice days"), min_value=1, max_value=60)


class ObjectionForm(forms.Form):
    received_on = forms.DateField(label=_("received on"), widget=DateInput)
    raised_by = forms.CharField(label=_("raised by"), max_length=100, required=False)
    content = forms.CharField(label=_("content"), widget=forms.Textarea)


class ResolveForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("decision"),
        choices=[
            ("0", _("Without substance: the notice goes on")),
            ("1", _("Upheld: send the file back to be visited again")),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("resolution"), widget=forms.Textarea)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea)


class ExitForm(forms.Form):
    exited_on = forms.DateField(label=_("exited on"), widget=DateInput)
    reason = forms.ChoiceField(label=_("exit reason"), choices=_blank(ExitReason.choices))
    note = forms.CharField(label=_("note"), widget=forms.Textarea, required=False)


class ReviewForm(forms.Form):
    year = forms.IntegerField(
        label=_("year"), min_value=2000, max_value=2100, initial=lambda: timezone.localdate().year
    )
    reviewed_on = forms.DateField(
        label=_("reviewed on"), widget=DateInput, initial=timezone.localdate
    )
    household_income = forms.DecimalField(
        label=_("yearly household income (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )
    outcome = forms.ChoiceField(label=_("outcome"), choices=_blank(ReviewOutcome.choices))
    level = forms.ChoiceField(label=_("new level"), choices=_blank(Level.choices), required=False)
    exit_reason = forms.ChoiceField(
        label=_("exit reason"), choices=_blank(ExitReason.choices), required=False
    )
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class ThresholdForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("organisation"), queryset=Organisation.objects.none()
    )
    year = forms.IntegerField(label=_("year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label=_("monthly income per head (yuan)"), min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.for_user(user).exclude(
            kind__in=("grassroots", "joint")
        )


class FileFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False)
    level = forms.ChoiceField(label=_("level"), required=False)
    cause = forms.ChoiceField(label=_("cause"), required=False)
    township = forms.ModelChoiceField(
        label=_("township / street"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    shared = forms.BooleanField(label=_("household shared with another file"), required=False)
    objections = forms.BooleanField(label=_("with an objection to settle"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = _blank(FileStatus.choices, _("All"))
        self.fields["level"].choices = _blank(Level.choices, _("All"))
        # Filtering by a health cause would reveal it: offered only with the right.
        causes = Cause.choices
        if not user.has_perm(SENSITIVE_PERMISSION):
            causes = [(v, label) for v, label in causes if v not in HEALTH_CAUSES]
        self.fields["cause"].choices = _blank(causes, _("All"))
        self.fields["township"].queryset = Organisation.objects.for_user(user).townships()

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("level"):
            queryset = queryset.filter(level=data["level"])
        if data.get("cause"):
            queryset = queryset.filter(causes__cause=data["cause"])
        if data.get("township"):
            queryset = queryset.in_subtree(data["township"])
        if data.get("shared"):
            queryset = with_shared_household(queryset)
        if data.get("objections"):
            queryset = with_objection_to_settle(queryset)
        return queryset
