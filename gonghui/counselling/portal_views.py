"""The worker's counselling pages in the portal (``/m/counselling/``): free slots, booking
one, the worker's own bookings, cancelling one. Thin, over ``services``.

Every booking is read through ``mine()``: another worker's booking does not exist
here (404). The counsellor's notes (``SessionNote``) are never read by these pages,
and of an outcome only the status (came / did not come) is shown.
"""

from __future__ import annotations

from itertools import groupby

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from gonghui.people.models import Person
from gonghui.portal import auth
from gonghui.portal.drafts import draft_clear
from gonghui.portal.mine import mine

from . import services
from .models import Booking, BookingChannel, BookingStatus, CounsellingSlot

#: The free slots listed at most: a few weeks of a county's counsellors.
SLOTS_SHOWN = 100


def _home_organisation(person: Person):
    """The organisation whose counsellors serve the worker: their union, else their
    employer's union or township, else the organisation that keeps the file."""
    if person.current_union_id is not None:
        return person.current_union
    employer = person.employer
    if employer is not None:
        return employer.union or employer.township
    return person.file_org


def slots_offered_to_worker(person: Person | None) -> QuerySet:
    """The slots a worker may book: those of their organisation and of the organisations
    above it (a county federation's counsellor serves every township), as
    ``selectors.slots_offered_to`` offers them to staff. Taken or withdrawn slots are
    included (booking one says why it cannot be booked); ``.free()`` narrows."""
    organisation = _home_organisation(person) if person is not None else None
    if organisation is None:
        return CounsellingSlot.objects.none()
    return CounsellingSlot.objects.filter(
        organisation_id__in=[organisation.pk, *organisation.ancestor_ids()]
    )


def _my_bookings(account) -> QuerySet:
    return mine(account, Booking.objects.select_related("slot"))


def _upcoming(account) -> QuerySet:
    return (
        _my_bookings(account)
        .filter(status=BookingStatus.BOOKED, slot__starts_at__gt=timezone.now())
        .order_by("slot__starts_at", "pk")
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you cancel?"),
        max_length=300,
        help_text=gettext_lazy("A few words are enough: the time is then free for someone else."),
        error_messages={"required": gettext_lazy("Give the reason for cancelling.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class SlotListView(auth.WorkerRequiredMixin, TemplateView):
    """Free slots still to come, by day; the worker's own next booking first."""

    template_name = "counselling/portal/slots.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(title=_("Counselling"), person=person, **kwargs)
        if person is None:
            return context
        slots = list(
            slots_offered_to_worker(person)
            .free()
            .only("pk", "starts_at", "ends_at", "mode", "place")
            .order_by("starts_at", "pk")[:SLOTS_SHOWN]
        )
        context["days"] = [
            (day, list(group))
            for day, group in groupby(slots, key=lambda s: timezone.localdate(s.starts_at))
        ]
        context["upcoming"] = list(_upcoming(self.account))
        return context


class BookView(auth.WorkerRequiredMixin, View):
    """Book a slot for the signed-in worker (``booking_create`` with the portal channel).

    The database keeps one active booking per slot, so a second post of the same form
    (a double tap) cannot book twice: it finds the worker's own booking of the slot and
    lands on it, the first post's result page.
    """

    def post(self, request, pk: int):
        person = self.account.person
        if person is None:
            return redirect("portal-counselling:slots")
        slot = get_object_or_404(slots_offered_to_worker(person), pk=pk)
        already = _my_bookings(self.account).filter(slot=slot).active().first()
        if already is not None:
            return redirect("portal-counselling:booking", pk=already.pk)
        try:
            booking = services.booking_create(
                slot=slot, person=person, by=None, channel=BookingChannel.PORTAL
            )
        except ValidationError as exc:
            # Two posts at once: the second waited for the first, which booked it for
            # this very worker.
            already = _my_bookings(self.account).filter(slot=slot).active().first()
            if already is not None:
                return redirect("portal-counselling:booking", pk=already.pk)
            messages.error(request, " ".join(exc.messages))
            return redirect("portal-counselling:slots")
        messages.success(request, _("Booked. You get a reminder here the day before."))
        return redirect("portal-counselling:booking", pk=booking.pk)


class BookingView(auth.WorkerRequiredMixin, TemplateView):
    """One of the worker's bookings: when, how, where, its status; the form to cancel it."""

    template_name = "counselling/portal/booking.html"

    def get(self, request, *args, **kwargs):
        self.booking = get_object_or_404(_my_bookings(self.account), pk=kwargs["pk"])
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        booking = self.booking
        cancellable = booking.is_booked and booking.slot.starts_at > timezone.now()
        if cancellable:
            kwargs.setdefault("form", CancelForm())
        return super().get_context_data(
            title=_("My appointment"),
            booking=booking,
            cancellable=cancellable,
            draft_key=f"cancel-{booking.pk}",
            **kwargs,
        )


class CancelView(BookingView):
    """The worker cancels their booking; a second post of the form (a double tap) finds
    it cancelled already and lands on the same page."""

    http_method_names = ["post"]

    def post(self, request, pk: int):
        self.booking = get_object_or_404(_my_bookings(self.account), pk=pk)
        if self.booking.status == BookingStatus.CANCELLED:
            return redirect("portal-counselling:booking", pk=pk)
        form = CancelForm(request.POST)
        if form.is_valid():
            try:
                services.booking_cancel_by_worker(
                    person=self.account.person,
                    booking=self.booking,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                draft_clear(self.account, f"cancel-{pk}")
                messages.success(
                    request, _("Cancelled. The time is free again; you may book another one.")
                )
                return redirect("portal-counselling:booking", pk=pk)
        self.booking.refresh_from_db()
        return self.render_to_response(self.get_context_data(form=form))


class MyBookingsView(auth.WorkerRequiredMixin, TemplateView):
    """The worker's bookings, those to come first, then the past ones, latest first."""

    template_name = "counselling/portal/mine.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(title=_("My appointments"), person=person, **kwargs)
        if person is None:
            return context
        now = timezone.now()
        bookings = _my_bookings(self.account)
        context["upcoming"] = list(
            bookings.filter(slot__starts_at__gt=now).order_by("slot__starts_at", "pk")
        )
        context["past"] = list(
            bookings.filter(slot__starts_at__lte=now).order_by("-slot__starts_at", "-pk")
        )
        return context
