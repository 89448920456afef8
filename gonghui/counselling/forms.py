from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateTimeInput
from gonghui.people.models import Person

from . import selectors
from .models import BookingStatus, CounsellingSlot, SlotMode


class SlotForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("starts at"), widget=DateTimeInput)
    ends_at = forms.DateTimeField(label=_("ends at"), widget=DateTimeInput)
    mode = forms.ChoiceField(label=_("mode"), choices=SlotMode.choices)
    place = forms.CharField(
        label=_("place or meeting link"),
        max_length=200,
        required=False,
        help_text=_("Required for a slot in person."),
    )


class SlotChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CounsellingSlot) -> str:
        return f"{obj} · {obj.get_mode_display()}"


class WorkerInput(forms.TextInput):
    """A text input that offers the workers in the user's scope as one types (htmx):
    the choices come as radio buttons named ``person`` into ``#worker-choices``."""

    def __init__(self, attrs=None):
        super().__init__(
            {
                "autocomplete": "off",
                "hx-get": reverse_lazy("counselling:worker-suggestions"),
                "hx-trigger": "input changed delay:300ms, search",
                "hx-target": "#worker-choices",
                "hx-swap": "innerHTML",
                "hx-push-url": "false",
                **(attrs or {}),
            }
        )


class BookingForm(forms.Form):
    """A staff user booking a slot for a worker chosen among the people in their scope.

    The worker is found by name or by the last digits of the ID number
    (``selectors.worker_suggestions``) and chosen; the chosen id is looked up
    again in the user's scope, so an id from elsewhere is refused without a word
    about whom it belongs to.
    """

    slot = SlotChoiceField(label=_("slot"), queryset=CounsellingSlot.objects.none())
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

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = selectors.bookable_slots(user)
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is no longer free; choose another one."
        )

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


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("reason for cancelling"), widget=forms.Textarea)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for withdrawing"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A booking of the slot is cancelled with this reason."),
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("session note"), widget=forms.Textarea)


class BookingFilterForm(forms.Form):
    TODAY = "today"
    when = forms.ChoiceField(
        label=_("when"), choices=[("", _("Any day")), (TODAY, _("Today"))], required=False
    )
    status = forms.ChoiceField(
        label=_("status"), choices=[("", _("All")), *BookingStatus.choices], required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)

    def filter(self, queryset):
        if self.cleaned_data.get("when") == self.TODAY:
            queryset = selectors.bookings_on(queryset, timezone.localdate())
        if self.cleaned_data.get("status"):
            queryset = queryset.filter(status=self.cleaned_data["status"])
        return queryset
