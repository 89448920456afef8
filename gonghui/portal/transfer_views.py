"""A member's own transfer and leaving requests in the portal (``/m/membership/``).

Asking changes nothing yet: the request goes to the union holding the membership,
which confirms or declines it in the console
(``people.views_membership_requests``); the worker follows it here and may withdraw
it while it waits. Thin, over ``people.services.membership_request_*``; every
record is read through ``mine``.
"""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from gonghui.people.models import (
    JoinApplication,
    MembershipRequest,
    MembershipRequestKind,
    MembershipRequestStatus,
    Person,
)
from gonghui.people.selectors import receiving_union
from gonghui.people.services import membership_request_submit, membership_request_withdraw
from gonghui.people.vocabularies import JoinStatus, NewFormGroup

from . import auth
from .formkeys import SendOnceFormMixin
from .forms import EmployerByNameField
from .mine import mine

#: The purposes of the two forms' keys (``formkeys``).
TRANSFER_FORM = "membership-transfer"
LEAVE_FORM = "membership-leave"


class TransferForm(forms.Form):
    employer = EmployerByNameField(
        label=gettext_lazy("Your new employer"),
        help_text=gettext_lazy(
            "The full name on your new labour contract, or its unified social credit code."
        ),
        error_messages={"required": gettext_lazy("Name your new employer.")},
    )
    new_form_group = forms.ChoiceField(
        label=gettext_lazy("Do you work as one of these?"),
        choices=[("", gettext_lazy("None of these")), *NewFormGroup.choices],
        required=False,
        help_text=gettext_lazy(
            "Couriers, riders, drivers and the other new forms of work join the "
            "township's joint union."
        ),
    )
    reason = forms.CharField(
        label=gettext_lazy("Anything your union should know (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    key = forms.CharField(widget=forms.HiddenInput)


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why do you leave the union?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("Your union reads this before it confirms."),
        error_messages={"required": gettext_lazy("Say why you leave the union.")},
    )
    key = forms.CharField(widget=forms.HiddenInput)


def open_request(account) -> MembershipRequest | None:
    return (
        mine(account, MembershipRequest.objects.filter(status=MembershipRequestStatus.REQUESTED))
        .select_related("membership__union", "employer")
        .first()
    )


@transaction.atomic
def submit_once(*, account, kind: str, issued_at: datetime, **fields) -> MembershipRequest:
    """The worker of ``account`` asks, from a form issued at ``issued_at``.

    The person's row is locked first, so of two posts of one form (a double tap)
    the second waits, then finds the request the first made since the form was
    issued and returns it: one request, one result page.
    """
    person = Person.objects.select_for_update().get(pk=account.person_id)
    sent = (
        person.membership_requests.filter(kind=kind, requested_at__gte=issued_at)
        .order_by("-requested_at")
        .first()
    )
    if sent is not None:
        return sent
    return membership_request_submit(person=person, kind=kind, by=None, **fields)


class RequestFormView(auth.WorkerRequiredMixin, SendOnceFormMixin, FormView):
    """Ask for a transfer or to leave: a bound member with nothing else waiting."""

    template_name = "portal/membership_request_form.html"
    kind = ""
    title = ""

    def state(self):
        """Why the worker cannot ask now ("bind", "pending", "not_member", "open"), or None."""
        person = self.account.person
        if person is None:
            return "bind"
        if mine(self.account, JoinApplication.objects.filter(status=JoinStatus.PENDING)).exists():
            return "pending"
        if person.current_union_id is None:
            return "not_member"
        if open_request(self.account) is not None:
            return "open"
        return None

    def already_sent(self, issued_at):
        sent = (
            mine(self.account, MembershipRequest.objects.filter(kind=self.kind))
            .filter(requested_at__gte=issued_at)
            .first()
        )
        return redirect("membership:request", pk=sent.pk) if sent is not None else None

    def send(self, form, issued_at):
        fields = {name: value for name, value in form.cleaned_data.items() if name != "key"}
        made = submit_once(account=self.account, kind=self.kind, issued_at=issued_at, **fields)
        messages.success(self.request, _("Your request was sent. Your union will answer it here."))
        return redirect("membership:request", pk=made.pk)

    def get_context_data(self, **kwargs):
        state = self.state()
        person = self.account.person
        return super().get_context_data(
            title=self.title,
            kind=self.kind,
            state=state,
            person=person,
            union=person.current_union if person is not None else None,
            open_request=open_request(self.account) if state == "open" else None,
            **kwargs,
        )


class TransferView(RequestFormView):
    """Changing jobs: the membership follows to the union of the new employer."""

    form_class = TransferForm
    form_purpose = TRANSFER_FORM
    kind = MembershipRequestKind.TRANSFER
    title = gettext_lazy("Transfer to a new employer's union")


class LeaveView(RequestFormView):
    form_class = LeaveForm
    form_purpose = LEAVE_FORM
    kind = MembershipRequestKind.LEAVE
    title = gettext_lazy("Leave the union")


def _my_request(account, pk) -> MembershipRequest:
    """The worker's own request (another worker's is a 404)."""
    return get_object_or_404(
        mine(account, MembershipRequest.objects.select_related("membership__union", "employer")),
        pk=pk,
    )


class RequestDetailView(auth.WorkerRequiredMixin, TemplateView):
    """A request: where it stands, the union's answer, and the way to withdraw it."""

    template_name = "portal/membership_request_detail.html"

    def get_context_data(self, **kwargs):
        request = _my_request(self.account, self.kwargs["pk"])
        return super().get_context_data(
            title=request.get_kind_display(),
            object=request,
            is_transfer=request.kind == MembershipRequestKind.TRANSFER,
            receiving_union=receiving_union(request),
            **kwargs,
        )


class RequestWithdrawView(auth.WorkerRequiredMixin, View):
    """POST: withdraw the worker's own open request; GET shows the request."""

    def get(self, request, pk):
        return redirect("membership:request", pk=_my_request(self.account, pk).pk)

    def post(self, request, pk):
        found = _my_request(self.account, pk)
        try:
            membership_request_withdraw(person=self.account.person, request=found)
        except PermissionDenied:  # not theirs after all: as if it did not exist
            raise Http404 from None
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your request was withdrawn."))
        return redirect("membership:request", pk=found.pk)
