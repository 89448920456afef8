from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gonghui.core.widgets import DateTimeInput
from gonghui.people.forms import WorkerChoiceForm

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


class BookingForm(WorkerChoiceForm):
    """A staff user booking a slot for a worker chosen among the people in their scope
    (``people.forms.WorkerChoiceForm``)."""

    slot = SlotChoiceField(label=_("slot"), queryset=CounsellingSlot.objects.none())

    field_order = ["slot", "worker", "person"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        self.fields["slot"].queryset = selectors.bookable_slots(user)
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is no longer free; choose another one."
        )


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
