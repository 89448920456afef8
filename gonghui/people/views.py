"""Pages about people: the list, the file (一人一档), edits, membership and join applications.

Every record is reached through ``Model.objects.for_user(user)``: outside the
user's subtree a person, an application or a log line does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View

from gonghui.core.views import (
    COUNT_CAP,
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
    is_htmx,
)
from gonghui.orgs.models import Employer

from . import selectors, services
from .forms import (
    ApproveForm,
    FileTransferConfirmForm,
    FileTransferDeclineForm,
    FileTransferFilterForm,
    FileTransferWithdrawForm,
    JoinApplicationFilterForm,
    JoinApplicationForm,
    JoinForPersonForm,
    LeaveForm,
    PersonFilterForm,
    PersonForm,
    RejectForm,
    TransferForm,
    union_suggestions,
)
from .models import FileTransfer, FileTransferStatus, JoinApplication, Person, RevealLog
from .profile import render_sections
from .vocabularies import PERSON_PAGE_FIELDS, JoinChannel, JoinStatus, SensitiveField


def _scoped_person(request, pk) -> Person:
    return get_object_or_404(Person.objects.for_user(request.user), pk=pk)


def _duplicate_error(user, exc: services.PersonAlreadyRegistered) -> ValidationError:
    """ "Already registered", with a link to the file when the user may open it."""
    person = exc.person
    if Person.objects.for_user(user).filter(pk=person.pk).exists():
        message = format_html(
            '{} <a href="{}">{}</a>',
            _("This person is already registered."),
            person.get_absolute_url(),
            _("Open their file"),
        )
    else:
        message = _(
            "This person is already registered by another organisation. Ask the county "
            "federation to transfer the file to you instead of registering it again."
        )
    return ValidationError({"id_number": [message]})


class PersonList(ObjectListView):
    model = Person
    permission_required = "people.view_person"
    title = gettext_lazy("People")
    # The ID number and the phone appear masked, on the page and in the Excel export.
    columns = [
        Column("name", pgettext_lazy("person", "name"), link=True),
        Column("masked_id_number", gettext_lazy("ID number")),
        Column("gender", gettext_lazy("gender")),
        Column("birth_date", gettext_lazy("date of birth")),
        Column("masked_phone", gettext_lazy("mobile phone")),
        Column("employer.name", gettext_lazy("employer")),
        Column("current_union.name", gettext_lazy("union")),
        Column("card_number", gettext_lazy("membership card number")),
        Column("new_form_group", gettext_lazy("new forms of employment group")),
    ]
    # Searched by selectors.person_search: name, card number, the end of a number.
    search_fields = ("name",)
    filter_form_class = PersonFilterForm
    # A surname alone matches tens of thousands in a county: count no further than the cap.
    count_cap = COUNT_CAP
    create_url_name = "people:person-create"
    create_permission = "people.add_person"
    export_stem = "people"

    def apply_search(self, queryset, term):
        return selectors.person_search(queryset, term)

    def get_queryset(self):
        # Fetched for the page's rows only: joined, they would be read for every match of
        # a search by a part of a name before the matches are sorted.
        return super().get_queryset().prefetch_related("employer", "current_union")

    def get_context_data(self, **kwargs):
        # The search box says how far it reaches (selectors.person_search).
        return super().get_context_data(
            search_hint=gettext_lazy(
                "Name or part of it, end of an ID or phone number, card number"
            ),
            search_help=gettext_lazy(
                "One character finds the names that begin with it (the surname). Two or more "
                "characters find a name that holds them anywhere, for a name of up to four "
                "characters (a given name alone will do); in a longer name, a part beginning "
                "within its first three characters. Four or more digits find the end of an ID "
                "number or a phone number."
            ),
            **kwargs,
        )


class WorkerSuggestions(StaffPermissionMixin, View):
    """The workers in scope a worker chooser offers as one types (an htmx fragment,
    ``forms.WorkerChoiceForm``)."""

    permission_required = "people.view_person"

    def get(self, request):
        term = request.GET.get("worker", "")[:100]
        return render(
            request,
            "people/_worker_choices.html",
            {"term": term.strip(), "people": selectors.worker_suggestions(request.user, term)},
        )


class UnionSuggestions(StaffPermissionMixin, View):
    """The unions in scope that the union filter of the person list offers as one types."""

    permission_required = "people.view_person"

    def get(self, request):
        term = request.GET.get("union", "")[:200]
        return render(
            request,
            "people/_union_suggestions.html",
            {"unions": union_suggestions(request.user, term)},
        )


class PersonDetail(ObjectDetailView):
    model = Person
    permission_required = "people.view_person"
    template_name = "people/person_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employer", "employer__township", "current_union", "file_org")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = self.object
        user = self.request.user
        applications = list(
            person.join_applications.select_related("union", "employer").order_by(
                "-submitted_at", "-pk"
            )
        )
        visible = set(
            JoinApplication.objects.for_user(user)
            .filter(pk__in=[a.pk for a in applications])
            .values_list("pk", flat=True)
        )
        context.update(
            title=person.name,
            memberships=selectors.membership_history(person),
            applications=[(a, a.pk in visible) for a in applications],
            has_pending=any(a.status == JoinStatus.PENDING for a in applications),
            can_reveal=user.has_perm(services.REVEAL_PERMISSION),
            sections=render_sections(person, self.request),
        )
        return context


def _employer_initial(request) -> dict:
    """The employer named by ``?employer=<id>`` (a page about that employer links here),
    preselected when it is in the user's scope; otherwise nothing."""
    try:
        pk = int(request.GET.get("employer", ""))
    except ValueError:
        return {}
    employer = Employer.objects.for_user(request.user).filter(pk=pk).first()
    if employer is None:
        return {}
    return {"employer": employer.pk}


class PersonCreate(ServiceFormView):
    permission_required = "people.add_person"
    form_class = PersonForm
    title = gettext_lazy("Register a person")

    form_takes_user = True

    def get_initial(self):
        return {**super().get_initial(), **_employer_initial(self.request)}

    def perform(self, form):
        try:
            person = services.person_create(by=self.request.user, **form.service_kwargs())
        except services.PersonAlreadyRegistered as exc:
            raise _duplicate_error(self.request.user, exc) from None
        for warning in form.warnings:
            messages.warning(self.request, warning)
        messages.success(self.request, _("%(name)s registered.") % {"name": person.name})
        return person


class PersonUpdate(RecordFormView):
    permission_required = "people.change_person"
    form_class = PersonForm

    def get_object(self):
        return _scoped_person(self.request, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "person": self.object}

    def perform(self, form):
        try:
            person = services.person_update(
                by=self.request.user, person=self.object, **form.service_kwargs()
            )
        except services.PersonAlreadyRegistered as exc:
            raise _duplicate_error(self.request.user, exc) from None
        for warning in form.warnings:
            messages.warning(self.request, warning)
        messages.success(self.request, _("Changes saved."))
        return person


class PersonReveal(StaffPermissionMixin, View):
    """POST only: show one masked value in full, and log that it was shown."""

    permission_required = services.REVEAL_PERMISSION

    def post(self, request, pk, field):
        if field not in PERSON_PAGE_FIELDS:
            raise Http404
        person = _scoped_person(request, pk)
        value = services.person_reveal(
            by=request.user, person=person, field=field, ip_address=request.META.get("REMOTE_ADDR")
        )
        context = {
            "person": person,
            "field": field,
            "label": SensitiveField(field).label,
            "value": value,
            "title": person.name,
        }
        if is_htmx(request):
            return render(request, "people/_revealed.html", context)
        return render(request, "people/reveal.html", context)


class MemberFormView(ServiceFormView):
    """A form about a person's current membership; a non-member is sent back to the file."""

    def get_object(self):
        return _scoped_person(self.request, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_member:
            return self.not_a_member()
        return super(ServiceFormView, self).get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        if not self.object.is_member:
            return self.not_a_member()
        return super(ServiceFormView, self).post(request, *args, **kwargs)

    def not_a_member(self):
        messages.error(
            self.request, _("%(name)s is not a member of a union.") % {"name": self.object}
        )
        return redirect(self.object.get_absolute_url())


class MembershipTransfer(MemberFormView):
    permission_required = "people.change_membership"
    form_class = TransferForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "current_union": self.object.current_union}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Transfer %(name)s to another union") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        membership = services.membership_transfer(
            by=self.request.user, person=self.object, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("%(name)s transferred to %(union)s.")
            % {"name": self.object.name, "union": membership.union.name},
        )
        return self.object

    def get_success_url(self):
        # After a transfer out of the user's subtree the file is no longer theirs to open.
        if Person.objects.for_user(self.request.user).filter(pk=self.object.pk).exists():
            return self.object.get_absolute_url()
        return reverse("people:person-list")


class MembershipLeave(MemberFormView):
    permission_required = "people.change_membership"
    form_class = LeaveForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("%(name)s leaves the union") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        services.membership_leave(by=self.request.user, person=self.object, **form.cleaned_data)
        messages.success(self.request, _("Membership ended."))
        return self.object

    def get_success_url(self):
        if Person.objects.for_user(self.request.user).filter(pk=self.object.pk).exists():
            return self.object.get_absolute_url()
        return reverse("people:person-list")


def _after_submit(request, application: JoinApplication) -> str:
    """The application's page, or the person's, whichever the user may open."""
    messages.success(
        request,
        _("Application sent to %(union)s.") % {"union": application.union.name},
    )
    user = request.user
    if JoinApplication.objects.for_user(user).filter(pk=application.pk).exists():
        return application.get_absolute_url()
    if Person.objects.for_user(user).filter(pk=application.person_id).exists():
        return application.person.get_absolute_url()
    return reverse("people:application-list")


class JoinApplicationCreate(ServiceFormView):
    """Staff enter an application on a worker's behalf (registering the worker if new).

    A number whose file is kept outside the user's scope is refused (naming
    nobody) and the form then offers to ask for the file: a transfer request
    its keeper answers (``services.file_transfer_request``).
    """

    permission_required = "people.add_joinapplication"
    form_class = JoinApplicationForm
    title = gettext_lazy("New join application")

    form_takes_user = True

    def get_initial(self):
        return {**super().get_initial(), **_employer_initial(self.request)}

    def perform(self, form):
        user = self.request.user
        if form.transfer_requested:
            if not user.has_perm("people.add_filetransfer"):
                raise PermissionDenied
            transfer = services.file_transfer_request(by=user, **form.transfer_kwargs())
            messages.success(
                self.request,
                _(
                    "The transfer of the file was requested. The application is made once "
                    "the organisation keeping the file confirms."
                ),
            )
            return transfer
        person_data, arguments = form.split()
        try:
            application = services.join_application_submit(
                by=user, channel=JoinChannel.STAFF, person_data=person_data, **arguments
            )
        except services.PersonFileElsewhere:
            if user.has_perm("people.add_filetransfer"):
                form.offer_transfer()
            raise
        for warning in form.warnings:
            messages.warning(self.request, warning)
        return application

    def get_success_url(self):
        if isinstance(self.object, FileTransfer):
            return self.object.get_absolute_url()
        return _after_submit(self.request, self.object)


class PersonJoin(ServiceFormView):
    """A join application for a registered person, from their file."""

    permission_required = "people.add_joinapplication"
    form_class = JoinForPersonForm

    def get_object(self):
        return _scoped_person(self.request, self.kwargs["pk"])

    form_takes_user = True

    def get_initial(self):
        # The form offers only employers in the user's scope: an employer elsewhere
        # is simply not preselected.
        return {
            **super().get_initial(),
            "employer": self.object.employer_id,
            "new_form_group": self.object.new_form_group,
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("%(name)s applies to join the union") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        self.application = services.join_application_submit(
            by=self.request.user, channel=JoinChannel.STAFF, person=self.object, **form.cleaned_data
        )
        return self.object

    def get_success_url(self):
        return _after_submit(self.request, self.application)


class JoinApplicationList(ObjectListView):
    model = JoinApplication
    permission_required = "people.view_joinapplication"
    title = gettext_lazy("Join applications")
    columns = [
        Column("person.name", gettext_lazy("applicant"), link=True),
        Column("employer.name", gettext_lazy("employer")),
        Column("union.name", gettext_lazy("union")),
        Column("route", gettext_lazy("routed to")),
        Column("channel", gettext_lazy("channel")),
        Column("status", gettext_lazy("status")),
        Column("submitted_at", gettext_lazy("submitted at")),
    ]
    search_fields = ("person__name__startswith",)
    filter_form_class = JoinApplicationFilterForm
    create_url_name = "people:application-create"
    create_permission = "people.add_joinapplication"
    export_stem = "join-applications"

    def get_filter_form(self):
        # The queue of pending applications is what a chair opens this page for.
        data = self.request.GET.copy()
        data.setdefault("status", JoinStatus.PENDING)
        return self.filter_form_class(data, user=self.request.user)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "employer", "union")
            .order_by("submitted_at", "pk")
        )


class JoinApplicationDetail(ObjectDetailView):
    model = JoinApplication
    permission_required = "people.view_joinapplication"
    template_name = "people/application_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "employer", "union", "submitted_by", "decided_by")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = self.object
        context.update(
            title=_("Join application of %(name)s") % {"name": application.person.name},
            person_visible=Person.objects.for_user(self.request.user)
            .filter(pk=application.person_id)
            .exists(),
            approve_form=ApproveForm(),
            reject_form=RejectForm(),
        )
        return context


class DecisionView(ServiceFormView):
    permission_required = "people.decide_joinapplication"

    def get_object(self):
        return get_object_or_404(
            JoinApplication.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )


class JoinApplicationApprove(DecisionView):
    form_class = ApproveForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Approve the application of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        application = services.join_application_approve(
            by=self.request.user, application=self.object, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("%(name)s is now a member of %(union)s, card number %(card)s.")
            % {
                "name": application.person.name,
                "union": application.union.name,
                "card": application.membership.person.card_number,
            },
        )
        return application


class JoinApplicationReject(DecisionView):
    form_class = RejectForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Reject the application of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        application = services.join_application_reject(
            by=self.request.user, application=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Application rejected."))
        return application


# --- File transfers (档案转移) -------------------------------------------------------------


class FileTransferList(ObjectListView):
    """Requests for files kept in the user's subtree: the queue of those who answer them."""

    model = FileTransfer
    permission_required = "people.view_filetransfer"
    title = gettext_lazy("File transfer requests to us")
    columns = [
        Column("person.name", gettext_lazy("person"), link=True),
        Column("employer.name", gettext_lazy("new employer")),
        Column("requesting_org.name", gettext_lazy("requested by organisation")),
        Column("requested_at", gettext_lazy("requested at")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("person__name__startswith",)
    filter_form_class = FileTransferFilterForm
    export_stem = "file-transfers"
    template_name = "people/file_transfer_list.html"

    def get_filter_form(self):
        # The open requests are what this page is opened for.
        data = self.request.GET.copy()
        data.setdefault("status", FileTransferStatus.REQUESTED)
        return self.filter_form_class(data, user=self.request.user)

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .addressed_to(self.request.user)
            .select_related("person", "employer", "requesting_org")
            .order_by("requested_at", "pk")
        )


class FileTransferRequestedList(ObjectListView):
    """The requests the user's organisations made: their state, never the person's details."""

    model = FileTransfer
    permission_required = "people.view_filetransfer"
    title = gettext_lazy("File transfers we requested")
    columns = [
        Column("__str__", gettext_lazy("request"), link=True),
        Column("employer.name", gettext_lazy("new employer")),
        Column("requested_at", gettext_lazy("requested at")),
        Column("status", gettext_lazy("status")),
        Column("decided_at", gettext_lazy("answered at")),
    ]
    filter_form_class = FileTransferFilterForm
    export_stem = "file-transfers-requested"
    template_name = "people/file_transfer_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .requested_by(self.request.user)
            .select_related("employer")
            .order_by("-requested_at", "-pk")
        )


class FileTransferDetail(ObjectDetailView):
    """A request: in full for those who see the person, its state alone for the requester."""

    model = FileTransfer
    permission_required = "people.view_filetransfer"
    template_name = "people/file_transfer_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related(
                "person",
                "person__file_org",
                "employer",
                "requesting_org",
                "from_org",
                "requested_by",
                "decided_by",
                "join_application",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        transfer = self.object
        user = self.request.user
        person_visible = Person.objects.for_user(user).filter(pk=transfer.person_id).exists()
        if not person_visible:
            # The audit trail names the person and the keeper: not for the requester's eyes.
            context.pop("history", None)
        context.update(
            title=str(transfer),
            person_visible=person_visible,
            application_visible=transfer.join_application_id is not None
            and JoinApplication.objects.for_user(user)
            .filter(pk=transfer.join_application_id)
            .exists(),
            can_answer=transfer.is_open
            and user.has_perm("people.decide_filetransfer")
            and FileTransfer.objects.kept_by(user).filter(pk=transfer.pk).exists(),
            can_withdraw=transfer.is_open
            and user.has_perm("people.add_filetransfer")
            and FileTransfer.objects.requested_by(user).filter(pk=transfer.pk).exists(),
            confirm_form=FileTransferConfirmForm(),
            decline_form=FileTransferDeclineForm(),
            withdraw_form=FileTransferWithdrawForm(),
        )
        return context


class FileTransferAnswerView(ServiceFormView):
    """Confirm or decline: only for those keeping the file (404 for everyone else)."""

    permission_required = "people.decide_filetransfer"

    def get_object(self):
        return get_object_or_404(
            FileTransfer.objects.kept_by(self.request.user).select_related("person"),
            pk=self.kwargs["pk"],
        )


class FileTransferConfirm(FileTransferAnswerView):
    form_class = FileTransferConfirmForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Transfer the file of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        transfer = services.file_transfer_confirm(
            by=self.request.user, transfer=self.object, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("The file of %(name)s was transferred.") % {"name": transfer.person.name},
        )
        return transfer


class FileTransferDecline(FileTransferAnswerView):
    form_class = FileTransferDeclineForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Decline the transfer of the file of %(name)s")
            % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        transfer = services.file_transfer_decline(
            by=self.request.user, transfer=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Transfer declined; the file stays where it is."))
        return transfer


class FileTransferWithdraw(ServiceFormView):
    """The requesting organisation withdraws its request (404 for everyone else)."""

    permission_required = "people.add_filetransfer"
    form_class = FileTransferWithdrawForm

    def get_object(self):
        return get_object_or_404(
            FileTransfer.objects.requested_by(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Withdraw %(request)s") % {"request": self.object}, **kwargs
        )

    def perform(self, form):
        transfer = services.file_transfer_withdraw(
            by=self.request.user, transfer=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Request withdrawn."))
        return transfer


class RevealLogList(ObjectListView):
    model = RevealLog
    permission_required = "people.view_reveallog"
    title = gettext_lazy("Reveal log")
    columns = [
        Column("at", gettext_lazy("when")),
        Column("by.display_name", gettext_lazy("revealed by")),
        Column("by.username", gettext_lazy("account")),
        Column("person.name", gettext_lazy("person"), link=True),
        Column("field", gettext_lazy("field")),
        Column("ip_address", gettext_lazy("from address")),
    ]
    search_fields = ("person__name__startswith", "by__username__iexact")
    export_stem = "reveal-log"

    def get_queryset(self):
        return super().get_queryset().select_related("by", "person")
