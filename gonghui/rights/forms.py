from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.orgs.models import Employer
from gonghui.people.forms import WorkerChoiceForm

from .models import (
    GROUP_SIZE,
    OPEN_STATUSES,
    STAFF_CHANNELS,
    CaseKind,
    CaseStatus,
    Category,
    CheckResult,
    Complexity,
    IntakeTemplate,
    Resolution,
)


def _all(label):
    return [("", _("All")), *label]


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("status"), choices=_all(CaseStatus.choices), required=False)
    kind = forms.ChoiceField(label=_("kind"), choices=_all(CaseKind.choices), required=False)
    category = forms.ChoiceField(
        label=_("category"), choices=_all(Category.choices), required=False
    )
    overdue = forms.BooleanField(label=_("overdue"), required=False)
    group = forms.BooleanField(label=_("group cases"), required=False)
    mine = forms.BooleanField(label=_("my cases"), required=False)
    escalated = forms.BooleanField(label=_("escalated to my organisation"), required=False)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        data = self.cleaned_data
        if data.get("status"):
            queryset = queryset.filter(status=data["status"])
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        if data.get("category"):
            queryset = queryset.filter(category=data["category"])
        if data.get("overdue"):
            queryset = queryset.filter(status__in=OPEN_STATUSES, due_on__lt=timezone.localdate())
        if data.get("group"):
            queryset = queryset.filter(is_group=True)
        if data.get("mine"):
            queryset = queryset.filter(handler=self.user)
        if data.get("escalated"):
            queryset = queryset.filter(escalated_to_id=self.user.organisation_id)
        return queryset


class IntakeForm(WorkerChoiceForm):
    """A case taken at the console; the worker is chosen among the people in scope
    (``people/_worker_field.html``) unless the case is anonymous. The intake
    template's questions of the kind are added as ``answer_<n>`` fields."""

    kind = forms.ChoiceField(label=_("kind"), choices=CaseKind.choices)
    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(c.value, c.label) for c in STAFF_CHANNELS],
        error_messages={"required": _("Choose how the case came in.")},
    )
    anonymous = forms.BooleanField(label=_("anonymous"), required=False)
    employer = forms.ModelChoiceField(
        label=_("employer"), queryset=Employer.objects.none(), required=False
    )
    category = forms.ChoiceField(label=_("category"), choices=Category.choices)
    summary = forms.CharField(label=_("what the worker asks"), widget=forms.Textarea)
    amount_in_dispute = forms.DecimalField(
        label=_("amount in dispute (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )
    workers_involved = forms.IntegerField(
        label=_("workers involved"),
        min_value=1,
        initial=1,
        help_text=_("%(n)d or more make a group case.") % {"n": GROUP_SIZE},
    )
    complexity = forms.ChoiceField(
        label=_("complexity"), choices=Complexity.choices, initial=Complexity.ORDINARY
    )

    field_order = ["kind", "channel", "worker", "person", "anonymous"]

    def __init__(self, *args, user, kind=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["person"].required = False
        self.fields["employer"].queryset = Employer.objects.for_user(user).order_by("name")
        kind = kind if kind in CaseKind.values else CaseKind.LEGAL_AID
        self.fields["kind"].initial = kind
        template = IntakeTemplate.objects.filter(kind=kind).first()
        self.questions = template.questions if template else []
        for index, question in enumerate(self.questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question, required=False, widget=forms.Textarea(attrs={"rows": 2})
            )

    def clean_person(self):
        if not self.cleaned_data.get("person"):
            return None
        return super().clean_person()

    def answers(self) -> list[dict]:
        return [
            {"question": q, "answer": self.cleaned_data.get(f"answer_{i}", "")}
            for i, q in enumerate(self.questions)
        ]


class AttachmentForm(forms.Form):
    upload = forms.FileField(label=_("file"), help_text=_("PDF, JPEG or PNG."))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("reason the worker will see"), widget=forms.Textarea)


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(label=_("handler"), queryset=None)

    def __init__(self, *args, handlers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = handlers


class ResolveForm(forms.Form):
    resolution = forms.ChoiceField(label=_("resolution"), choices=Resolution.choices)
    terms = forms.CharField(
        label=_("terms of the resolution"), widget=forms.Textarea, required=False
    )
    recovered_amount = forms.DecimalField(
        label=_("money recovered (yuan)"),
        max_digits=12,
        decimal_places=2,
        min_value=0,
        required=False,
    )


class CallbackForm(forms.Form):
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction"), coerce=int, choices=[(i, str(i)) for i in range(1, 6)]
    )
    comment = forms.CharField(label=_("worker's comment"), widget=forms.Textarea, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("confidential note"), widget=forms.Textarea)


class DeadlineRuleForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CaseKind.choices)
    complexity = forms.ChoiceField(label=_("complexity"), choices=Complexity.choices)
    accept_days = forms.IntegerField(label=_("accept within (working days)"))
    resolve_days = forms.IntegerField(label=_("resolve within (days from acceptance)"))
    resolve_in_calendar_days = forms.BooleanField(
        label=_("resolution counted in calendar days"), required=False
    )
    callback_days = forms.IntegerField(label=_("callback within (working days after resolution)"))
    escalate_after_days = forms.IntegerField(label=_("escalate after overdue (working days)"))


class IntakeTemplateForm(forms.Form):
    kind = forms.ChoiceField(label=_("kind"), choices=CaseKind.choices)
    questions = forms.CharField(
        label=_("questions, one per line"), widget=forms.Textarea, required=False
    )


class SampleForm(forms.Form):
    month = forms.DateField(
        label=_("a day of the month"), widget=forms.DateInput(attrs={"type": "date"})
    )
    size = forms.IntegerField(label=_("how many cases"), min_value=1, max_value=100, initial=5)


class CheckForm(forms.Form):
    result = forms.ChoiceField(label=_("result"), choices=CheckResult.choices)
    comment = forms.CharField(label=_("comment"), widget=forms.Textarea, required=False)


class WatchForm(forms.Form):
    note = forms.CharField(label=_("why it is watched"), widget=forms.Textarea(attrs={"rows": 2}))
