from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gonghui.core.idnumbers import parse_id_number
from gonghui.core.widgets import DateTimeInput
from gonghui.people.models import Person, id_hash

from . import selectors
from .models import CounsellingSlot, SlotMode


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


class BookingForm(forms.Form):
    """A staff user booking a slot for a worker found by ID number among the people in scope."""

    slot = SlotChoiceField(label=_("slot"), queryset=CounsellingSlot.objects.none())
    id_number = forms.CharField(label=_("worker's ID number"), max_length=30)

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = selectors.bookable_slots(user)
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "This slot is no longer free; choose another one."
        )

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
