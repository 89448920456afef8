from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    StaffPermissionMixin,
    refusals_shown,
)

from . import selectors, services
from .forms import (
    BookingFilterForm,
    BookingForm,
    CancelForm,
    NoteForm,
    SlotForm,
    WithdrawForm,
)
from .models import Booking, BookingChannel, CounsellingSlot


class BookingList(ObjectListView):
    model = Booking
    permission_required = "counselling.view_booking"
    title = gettext_lazy("Counselling bookings")
    columns = [
        Column("person.name", gettext_lazy("worker"), link=True),
        Column("slot.starts_at", gettext_lazy("starts at")),
        Column("slot.counsellor.display_name", gettext_lazy("counsellor")),
        Column("slot.mode", gettext_lazy("mode")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("person__name__startswith",)
    filter_form_class = BookingFilterForm
    create_url_name = "counselling:booking-create"
    create_permission = "counselling.add_booking"
    export_stem = "counselling-bookings"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "slot", "slot__counsellor")


class BookingDetail(ObjectDetailView):
    """A booking for staff in scope: who, when, status; never the session note."""

    model = Booking
    permission_required = "counselling.view_booking"
    template_name = "counselling/booking_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "person",
                "slot",
                "slot__counsellor",
                "slot__withdrawn_by",
                "booked_by",
                "cancelled_by",
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=str(self.object),
            cancel_form=CancelForm(),
            outcome_open=services.outcome_open(self.object.slot),
            **kwargs,
        )


class BookingCreate(ServiceFormView):
    permission_required = "counselling.add_booking"
    form_class = BookingForm
    title = gettext_lazy("Book counselling for a worker")
    template_name = "counselling/booking_form.html"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        slot = self.request.GET.get("slot")
        if slot and slot.isdigit():
            kwargs.setdefault("initial", {})["slot"] = int(slot)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # A form shown again after an error keeps the worker's search and choice.
        context["worker"] = context["form"].worker_choices()
        return context

    def perform(self, form):
        booking = services.booking_create(
            slot=form.cleaned_data["slot"],
            person=form.cleaned_data["person"],
            by=self.request.user,
            channel=BookingChannel.STAFF,
        )
        messages.success(self.request, _("Booked."))
        return booking


class FreeSlotList(StaffPermissionMixin, View):
    """The free slots a staff user may book for workers."""

    permission_required = "counselling.add_booking"

    def get(self, request):
        return render(
            request,
            "counselling/free_slots.html",
            {"title": _("Free counselling slots"), "slots": selectors.bookable_slots(request.user)},
        )


def _changeable_booking(user, pk: int) -> Booking:
    """A booking the user may act on: in their scope, or on their own slot (404 otherwise)."""
    visible = Booking.objects.for_user(user).values("pk")
    return get_object_or_404(
        Booking.objects.filter(Q(pk__in=visible) | Q(slot__counsellor=user)), pk=pk
    )


def _back(request, booking: Booking):
    if booking.slot.counsellor_id == request.user.pk:
        return redirect("counselling:my-booking", pk=booking.pk)
    return redirect(booking.get_absolute_url())


class BookingCancel(LoginRequiredMixin, View):
    """POST only: cancel with a reason, by staff in scope or by the counsellor."""

    def post(self, request, pk):
        booking = _changeable_booking(request.user, pk)
        form = CancelForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for cancelling."))
            return _back(request, booking)
        with refusals_shown(request):
            services.booking_cancel(
                by=request.user, booking=booking, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The booking is cancelled."))
        return _back(request, booking)


class BookingOutcome(LoginRequiredMixin, View):
    """POST only: the worker came (attended=1) or did not (attended=0)."""

    def post(self, request, pk):
        booking = _changeable_booking(request.user, pk)
        with refusals_shown(request):
            services.booking_record_outcome(
                by=request.user, booking=booking, attended=request.POST.get("attended") == "1"
            )
            messages.success(request, _("Outcome recorded."))
        return _back(request, booking)


# --- The counsellor's own pages --------------------------------------------------------


class MyCalendar(StaffPermissionMixin, View):
    permission_required = "counselling.add_counsellingslot"

    def get(self, request):
        today = request.GET.get("when") == BookingFilterForm.TODAY
        return render(
            request,
            "counselling/my_calendar.html",
            {
                "title": _("My counselling calendar"),
                "today": today,
                "withdraw_form": WithdrawForm(),
                "now": timezone.now(),
                "slots": selectors.counsellor_calendar(
                    request.user,
                    include_past=request.GET.get("past") == "1",
                    booked_on=timezone.localdate() if today else None,
                ),
            },
        )


class SlotWithdraw(LoginRequiredMixin, View):
    """POST only: withdraw a slot with a reason (its booking, if any, is cancelled)."""

    def post(self, request, pk):
        user = request.user
        slots = CounsellingSlot.objects.filter(counsellor=user)
        if user.has_perm("counselling.change_counsellingslot"):
            slots = slots | CounsellingSlot.objects.for_user(user)
        slot = get_object_or_404(slots, pk=pk)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Give the reason for withdrawing the slot."))
            return redirect("counselling:my-calendar")
        with refusals_shown(request):
            services.slot_withdraw(by=user, slot=slot, reason=form.cleaned_data["reason"])
            messages.success(request, _("The slot is withdrawn."))
        return redirect("counselling:my-calendar")


class SlotCreate(ServiceFormView):
    permission_required = "counselling.add_counsellingslot"
    form_class = SlotForm
    title = gettext_lazy("Publish a counselling slot")

    def perform(self, form):
        slot = services.slot_publish(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Slot published."))
        return slot

    def get_success_url(self):
        from django.urls import reverse

        return reverse("counselling:my-calendar")


class MyBookingDetail(LoginRequiredMixin, View):
    """A booking of the counsellor's own slot, with the session note only its author reads."""

    def get(self, request, pk, form=None):
        try:
            booking = selectors.counsellor_booking(request.user, pk)
        except Booking.DoesNotExist:
            raise Http404 from None
        note = selectors.session_note_text(user=request.user, booking=booking)
        return render(
            request,
            "counselling/my_booking.html",
            {
                "title": str(booking),
                "object": booking,
                "note": note,
                "note_form": form or NoteForm(initial={"text": note or ""}),
                "cancel_form": CancelForm(),
                "outcome_open": services.outcome_open(booking.slot),
            },
        )

    def post(self, request, pk):
        try:
            booking = selectors.counsellor_booking(request.user, pk)
        except Booking.DoesNotExist:
            raise Http404 from None
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.session_note_write(
                    by=request.user, booking=booking, text=form.cleaned_data["text"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Note saved."))
                return redirect("counselling:my-booking", pk=booking.pk)
        return self.get(request, pk, form=form)
