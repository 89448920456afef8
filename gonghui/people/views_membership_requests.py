"""The console's queue of members' own requests from the portal: transfer and leaving.

The union holding the membership (and those above it) sees a request and, with the
right to change memberships, confirms or declines it; thin, over the
``membership_request_*`` services.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gonghui.core.views import Column, ObjectDetailView, ObjectListView, ServiceFormView

from . import services
from .models import MembershipRequest, MembershipRequestKind, MembershipRequestStatus
from .selectors import receiving_union

VIEW_MEMBERSHIP_REQUESTS = "people.view_membership"
DECIDE_MEMBERSHIP_REQUESTS = services.DECIDE_MEMBERSHIP_REQUESTS


class ConfirmForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("comment (the worker reads this)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why (the worker reads this)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MembershipRequestList(ObjectListView):
    """Requests of the members of the user's subtree: the open ones, oldest first,
    unless ``?status=`` says otherwise (``all``: every status); ``?person=`` one
    person's."""

    model = MembershipRequest
    permission_required = VIEW_MEMBERSHIP_REQUESTS
    title = gettext_lazy("Transfer and leaving requests")
    columns = [
        Column("person.name", gettext_lazy("person"), link=True),
        Column("kind", gettext_lazy("request")),
        Column("membership.union.name", gettext_lazy("union")),
        Column("employer.name", gettext_lazy("new employer")),
        Column("requested_at", gettext_lazy("asked at")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("person__name__startswith",)
    export_stem = "membership-requests"

    def get_queryset(self):
        # The queue: what the user's subtree answers, not every request of a worker
        # they see (the person's file lists those).
        queryset = (
            super()
            .get_queryset()
            .answered_by(self.request.user)
            .select_related("person", "membership__union", "employer")
        )
        status = self.request.GET.get("status", MembershipRequestStatus.REQUESTED)
        if status in MembershipRequestStatus.values:
            queryset = queryset.filter(status=status)
        person = self.request.GET.get("person", "")
        if person.isdigit():  # the link from a person's file: their requests alone
            queryset = queryset.filter(person_id=int(person))
        return queryset.order_by("requested_at", "pk")


class MembershipRequestDetail(ObjectDetailView):
    model = MembershipRequest
    permission_required = VIEW_MEMBERSHIP_REQUESTS
    template_name = "people/membership_request_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "membership__union", "employer", "decided_by", "result")
        )

    def get_context_data(self, **kwargs):
        request = self.object
        return super().get_context_data(
            title=_("%(request)s: %(name)s")
            % {"request": request.get_kind_display(), "name": request.person.name},
            receiving_union=receiving_union(request),
            is_transfer=request.kind == MembershipRequestKind.TRANSFER,
            can_answer=request.is_open
            and self.request.user.has_perm(DECIDE_MEMBERSHIP_REQUESTS)
            and MembershipRequest.objects.answered_by(self.request.user)
            .filter(pk=request.pk)
            .exists(),
            confirm_form=ConfirmForm(),
            decline_form=DeclineForm(),
            **kwargs,
        )


class MembershipRequestAnswer(ServiceFormView):
    """Confirm or decline: the union holding the membership (404 for everyone else)."""

    permission_required = DECIDE_MEMBERSHIP_REQUESTS

    def get_object(self):
        return get_object_or_404(
            MembershipRequest.objects.answered_by(self.request.user).select_related("person"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("%(request)s: %(name)s")
            % {"request": self.object.get_kind_display(), "name": self.object.person.name},
            **kwargs,
        )


class MembershipRequestConfirm(MembershipRequestAnswer):
    form_class = ConfirmForm

    def perform(self, form):
        request = services.membership_request_confirm(
            by=self.request.user, request=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Confirmed. The worker is told in the portal."))
        return request


class MembershipRequestDecline(MembershipRequestAnswer):
    form_class = DeclineForm

    def perform(self, form):
        request = services.membership_request_decline(
            by=self.request.user, request=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Declined. The worker is told why."))
        return request
