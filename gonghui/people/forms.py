"""Forms of the people pages: they validate and normalise, services save."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from gonghui.core.idnumbers import Gender, parse_id_number
from gonghui.core.phones import parse_phone
from gonghui.core.scope import SEGMENT_WIDTH, subtree_q
from gonghui.core.widgets import DateInput
from gonghui.orgs.models import Employer, Organisation

from .models import FileTransferStatus, Person
from .selectors import worker_suggestions
from .vocabularies import Education, Ethnicity, JoinStatus, NewFormGroup


def _blank_choice(choices, label="—"):
    return [("", label), *choices]


class PersonForm(forms.Form):
    """A person's file. On an edit, an empty ID number or phone keeps the stored one.

    The stored values come from the view (``core.views.RecordFormView``); the ID
    number and the phone are never written into the page.
    """

    name = forms.CharField(label=pgettext_lazy("person", "name"), max_length=50)
    # Longer than 18: spaces and dashes people type are removed before validation.
    id_number = forms.CharField(
        label=_("ID number"),
        max_length=40,
        help_text=_("18 characters; an old 15-digit number is converted."),
    )
    phone = forms.CharField(label=_("mobile phone"), max_length=30, required=False)
    ethnicity = forms.ChoiceField(
        label=_("ethnicity"), choices=_blank_choice(Ethnicity.choices), required=False
    )
    education = forms.ChoiceField(
        label=_("education"), choices=_blank_choice(Education.choices), required=False
    )
    employer = forms.ModelChoiceField(
        label=_("employer"), queryset=Employer.objects.none(), required=False
    )
    job_title = forms.CharField(label=_("job"), max_length=100, required=False)
    new_form_group = forms.ChoiceField(
        label=_("new forms of employment group"),
        choices=_blank_choice(NewFormGroup.choices, _("None of the eight groups")),
        required=False,
    )

    def __init__(self, *args, user, person=None, **kwargs):
        self.person = person
        self.warnings: list[str] = []
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name")
        for name in ("id_number", "phone"):
            self.fields[name].widget.attrs.update(autocomplete="off", spellcheck="false")
        if person is not None:
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": person.masked_id_number()
            }
            if person.phone_encrypted:
                self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                    "masked": person.masked_phone()
                }
                self.fields["remove_phone"] = forms.BooleanField(
                    label=_("Remove the phone number"), required=False
                )

    def clean_id_number(self):
        value = self.cleaned_data.get("id_number", "")
        if not value.strip() and self.person is not None:
            return None
        resident = parse_id_number(value)
        self.warnings.extend(resident.warnings)
        return resident.number

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "")
        if not value.strip():
            return None if self.person is not None else ""
        return parse_phone(value)

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        if data.pop("remove_phone", False):
            data["phone"] = ""
        return data


class JoinApplicationForm(PersonForm):
    """A join application entered by staff for a worker not necessarily registered yet."""

    field_order = ["id_number", "name", "phone", "employer", "new_form_group"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].required = True
        self.fields["id_number"].help_text = _(
            "If this ID number is already registered, the application is for that person."
        )
        if self.data.get("request_transfer"):
            self.offer_transfer()

    def offer_transfer(self) -> None:
        """Add the choice to ask for the file: shown once the number turned out to be elsewhere."""
        self.fields["request_transfer"] = forms.BooleanField(
            label=_("Ask for the file to be transferred"),
            required=False,
            help_text=_(
                "The organisation keeping the file is asked to transfer it to the employer "
                "above. Once it confirms, the application is made; until then you see only "
                "the state of the request."
            ),
        )
        self.fields["transfer_comment"] = forms.CharField(
            label=_("note to the organisation keeping the file"),
            max_length=500,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    @property
    def transfer_requested(self) -> bool:
        return bool(self.cleaned_data.get("request_transfer"))

    def transfer_kwargs(self) -> dict:
        """The arguments of ``services.file_transfer_request`` (with ``by``)."""
        data = self.cleaned_data
        return {
            "id_number": data["id_number"],
            "employer": data["employer"],
            "new_form_group": data["new_form_group"],
            "comment": data.get("transfer_comment", ""),
        }

    def split(self) -> tuple[dict, dict]:
        """(person_data, application arguments)."""
        data = self.service_kwargs()
        data.pop("request_transfer", None)
        data.pop("transfer_comment", None)
        employer = data.pop("employer")
        group = data.pop("new_form_group")
        return data, {"employer": employer, "new_form_group": group}


class JoinForPersonForm(forms.Form):
    """A join application for a registered person."""

    employer = forms.ModelChoiceField(label=_("employer"), queryset=Employer.objects.none())
    new_form_group = forms.ChoiceField(
        label=_("new forms of employment group"),
        choices=_blank_choice(NewFormGroup.choices, _("None of the eight groups")),
        required=False,
    )

    def __init__(self, *args, user, **kwargs):
        # The person's employer and group come from the view's get_initial().
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name")


class TransferForm(forms.Form):
    to_union = forms.ModelChoiceField(label=_("to union"), queryset=Organisation.objects.none())
    on = forms.DateField(label=_("transfer date"), widget=DateInput, initial=timezone.localdate)
    note = forms.CharField(
        label=_("note"),
        max_length=200,
        required=False,
        help_text=_("For example the new employer or the letter of introduction number."),
    )

    def __init__(self, *args, current_union: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        # Any union of the same federation: a member follows a new job anywhere in it.
        county_path = current_union.path[:SEGMENT_WIDTH]
        self.fields["to_union"].queryset = (
            Organisation.objects.unions()
            .filter(subtree_q(county_path))
            .exclude(pk=current_union.pk)
            .order_by("name")
        )


class LeaveForm(forms.Form):
    on = forms.DateField(label=_("date of leaving"), widget=DateInput, initial=timezone.localdate)
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 3}))


class ApproveForm(forms.Form):
    joined_on = forms.DateField(
        label=_("member since"), widget=DateInput, initial=timezone.localdate
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant is told this reason."),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the application is rejected."))
        return reason


class FileTransferConfirmForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FileTransferDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The requesting organisation reads this reason; it does not see the person's file."
        ),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the transfer is declined."))
        return reason


class FileTransferWithdrawForm(forms.Form):
    comment = forms.CharField(
        label=_("comment"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class FileTransferFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *FileTransferStatus.choices]

    def filter(self, queryset):
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


#: Unions offered as one types in the union filter of the person list.
UNION_SUGGESTIONS = 20


def unions_matching(user, term: str):
    """Unions in the user's scope whose code is ``term`` or whose name begins with it.

    An exact code (what a suggestion fills in) names that union alone; otherwise
    every union in scope whose name begins with the text. Only the user's
    subtree is searched, so a union elsewhere never matches.
    """
    unions = Organisation.objects.for_user(user).unions()
    term = term.strip()
    by_code = unions.filter(code__iexact=term)
    if by_code.exists():
        return by_code
    return unions.filter(name__startswith=term)


def union_suggestions(user, term: str) -> list[Organisation]:
    """At most ``UNION_SUGGESTIONS`` unions in scope whose code or name begins with ``term``."""
    term = term.strip()
    if not term:
        return []
    return list(
        Organisation.objects.for_user(user)
        .unions()
        .filter(Q(code__istartswith=term) | Q(name__startswith=term))
        .order_by("name", "pk")
        .only("pk", "code", "name")[:UNION_SUGGESTIONS]
    )


class UnionInput(forms.TextInput):
    """A text input that offers matching unions from the user's scope as one types (htmx)."""

    template_name = "people/widgets/union_input.html"

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "list": "union-suggestions",
                "hx-get": reverse_lazy("people:union-suggestions"),
                "hx-trigger": "input changed delay:300ms",
                "hx-target": "#union-suggestions",
                "hx-swap": "innerHTML",
                # Not inherited from the filter form: suggestions are no page of their own.
                "hx-push-url": "false",
                **(attrs or {}),
            }
        )


class PersonFilterForm(forms.Form):
    # A text field, not a drop-down of every union in scope (thousands for a county).
    union = forms.CharField(
        label=_("union"),
        max_length=200,
        required=False,
        widget=UnionInput(attrs={"placeholder": _("Code or start of the name")}),
    )
    membership = forms.ChoiceField(
        label=_("membership"),
        choices=[("", _("All")), ("member", _("Members")), ("non_member", _("Not members"))],
        required=False,
    )
    new_form_group = forms.ChoiceField(
        label=_("new forms of employment group"),
        choices=_blank_choice(NewFormGroup.choices, _("All")),
        required=False,
    )
    gender = forms.ChoiceField(
        label=_("gender"), choices=_blank_choice(Gender.choices, _("All")), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("union", "").strip():
            queryset = queryset.filter(current_union__in=unions_matching(self.user, data["union"]))
        if data.get("membership") == "member":
            queryset = queryset.filter(current_union__isnull=False)
        elif data.get("membership") == "non_member":
            queryset = queryset.filter(current_union__isnull=True)
        if data.get("new_form_group"):
            queryset = queryset.filter(new_form_group=data["new_form_group"])
        if data.get("gender"):
            queryset = queryset.filter(gender=data["gender"])
        return queryset


class JoinApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("All")), *JoinStatus.choices]

    def filter(self, queryset):
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset


class WorkerInput(forms.TextInput):
    """A text input that offers the workers in the user's scope as one types (htmx):
    the choices come as radio buttons named ``person`` into ``#worker-choices``."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "hx-get": reverse_lazy("people:worker-suggestions"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#worker-choices",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                **(attrs or {}),
            }
        )


class WorkerChoiceForm(forms.Form):
    """A form on which a staff user chooses a worker among the people in their scope.

    The worker is found by name or by the last digits of the ID number
    (``selectors.worker_suggestions``) and chosen; the chosen id is looked up
    again in the user's scope, so an id from elsewhere is refused without a word
    about whom it belongs to. Render with ``people/_worker_field.html``.
    """

    worker = forms.CharField(
        label=_("worker"),
        max_length=100,
        required=False,
        widget=WorkerInput(attrs={"placeholder": _("Name or last digits of the ID number")}),
        help_text=_("Type the name or the last four digits of the ID number, then choose."),
    )
    person = forms.IntegerField(
        label=_("chosen worker"),
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Choose the worker from the suggestions."),
            "invalid": _("Choose the worker from the suggestions."),
        },
    )

    def __init__(self, *args, user=None, **kwargs):
        # ``user`` may have been taken by another base form of a form choosing a worker.
        if user is not None:
            self.user = user
        super().__init__(*args, **kwargs)

    def clean_person(self) -> Person:
        person = (
            Person.objects.for_user(self.user)
            .select_related("employer")
            .filter(pk=self.cleaned_data["person"])
            .first()
        )
        if person is None:
            raise ValidationError(_("Choose the worker from the suggestions."))
        return person

    def worker_choices(self) -> dict:
        """What ``people/_worker_field.html`` shows: the term typed, the workers it finds
        and the one chosen, kept when the form comes back with an error."""
        term = (self["worker"].value() or "") if self.is_bound else ""
        people = worker_suggestions(self.user, term)
        if self.is_bound:
            chosen = getattr(self, "cleaned_data", {}).get("person")
        else:  # a worker given in advance (``initial={"person": pk}``), if in scope
            chosen = (
                Person.objects.for_user(self.user).filter(pk=self.initial.get("person")).first()
            )
        if chosen is not None and chosen not in people:
            people.insert(0, chosen)
        return {"term": term, "people": people, "chosen": chosen.pk if chosen else None}
