"""Pages of workers' congresses and open affairs.

Every record is reached through ``Model.objects.for_user(user)``: an employer,
a session, a delegate, a proposal or a disclosure outside the user's subtree
does not exist (404), and its name is never shown.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ScopedQuerysetMixin,
    ServiceFormView,
    StaffPermissionMixin,
)
from gonghui.orgs.models import Employer

from . import selectors, services
from .forms import (
    AttendanceForm,
    DelegateForm,
    DisclosureFilterForm,
    DisclosureForm,
    OverviewFilterForm,
    ProposalAdvanceForm,
    ProposalForm,
    ResolutionForm,
    SessionForm,
)
from .models import (
    CongressEmployer,
    CongressSession,
    Delegate,
    Disclosure,
    Proposal,
    ProposalStatus,
    Resolution,
    has_quorum,
)

VIEW = "congress.view_congresssession"
MANAGE = "congress.manage_congress"


def congress_url(employer) -> str:
    return reverse("congress:employer", args=[employer.pk])


class _OverviewScope(ScopedQuerysetMixin):
    """The overview's rows: the scoped employers with their last session (``selectors.overview``),
    searched and filtered by ``ObjectListView`` like any list."""

    def get_queryset(self):
        return selectors.overview(self.request.user)


class Overview(ObjectListView, _OverviewScope):
    model = CongressEmployer
    permission_required = VIEW
    title = gettext_lazy("Workers' congresses")
    columns = [
        Column("name", gettext_lazy("employer"), link=True),
        Column("township.name", gettext_lazy("township / street")),
        Column("union.name", gettext_lazy("covering union")),
        Column("employee_count", gettext_lazy("employees")),
        Column("last_held", gettext_lazy("last session")),
        Column("overdue_label", gettext_lazy("overdue")),
    ]
    search_fields = ("name__icontains", "credit_code__iexact")
    filter_form_class = OverviewFilterForm
    export_stem = "congresses"

    def get_queryset(self):
        return super().get_queryset().select_related("township", "union").order_by("name", "pk")


class EmployerCongress(StaffPermissionMixin, View):
    """One employer's congress: sessions, delegates with their shares, proposals,
    resolutions and disclosures."""

    permission_required = VIEW

    def get(self, request, pk):
        employer = get_object_or_404(
            Employer.objects.for_user(request.user).select_related("township", "union"), pk=pk
        )
        context = selectors.employer_congress(request.user, employer)
        return render(
            request,
            "congress/employer.html",
            {
                **context,
                "title": _("Workers' congress of %(employer)s") % {"employer": employer.name},
                "employer": employer,
                "can_manage": request.user.has_perm(MANAGE),
            },
        )


class SessionDetail(ObjectDetailView):
    model = CongressSession
    permission_required = VIEW
    template_name = "congress/session_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("employer")

    def get_context_data(self, **kwargs):
        session = self.object
        present, total = services.session_counts(session)
        return super().get_context_data(
            title=f"{session.employer.name} · {session}",
            present=present,
            total=total,
            valid=has_quorum(present, total),
            attendees=set(session.attendances.values_list("delegate_id", flat=True)),
            delegates=services.term_delegates(session.employer_id, session.term),
            proposals=session.proposals.select_related("proposer"),
            resolutions=session.resolutions.all(),
            can_manage=self.request.user.has_perm(MANAGE),
            **kwargs,
        )


# --- Forms -------------------------------------------------------------------------------


class CongressFormView(ServiceFormView):
    """A form about one employer's congress: the employer, or the record, comes from
    the URL through the scope (404 outside it)."""

    permission_required = MANAGE

    def employer(self) -> Employer:
        if not hasattr(self, "_employer"):
            self._employer = get_object_or_404(
                Employer.objects.for_user(self.request.user), pk=self.kwargs["pk"]
            )
        return self._employer

    def get_success_url(self):
        return self.object.get_absolute_url()


class SessionCreate(CongressFormView):
    form_class = SessionForm

    def get_object(self):
        self.employer()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a session: %(employer)s") % {"employer": self.employer().name},
            **kwargs,
        )

    def perform(self, form):
        session = services.session_create(
            by=self.request.user, employer=self.employer(), **form.cleaned_data
        )
        messages.success(self.request, _("Session recorded."))
        return session


class SessionUpdate(RecordFormView, CongressFormView):
    form_class = SessionForm

    def get_object(self):
        return get_object_or_404(
            CongressSession.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(session)s") % {"session": self.object}, **kwargs
        )

    def perform(self, form):
        session = services.session_update(
            by=self.request.user, session=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return session


class AttendanceUpdate(RecordFormView, CongressFormView):
    form_class = AttendanceForm

    def get_object(self):
        return get_object_or_404(
            CongressSession.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        delegates = services.term_delegates(self.object.employer_id, self.object.term)
        return {**super().get_form_kwargs(), "delegates": delegates}

    def initial_from(self, record) -> dict:
        return {"present": list(record.attendances.values_list("delegate_id", flat=True))}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Attendance at %(session)s") % {"session": self.object}, **kwargs
        )

    def perform(self, form):
        session = services.attendance_set(
            by=self.request.user, session=self.object, present=form.cleaned_data["present"]
        )
        messages.success(self.request, _("Attendance saved."))
        return session


class DelegateCreate(CongressFormView):
    form_class = DelegateForm

    def get_object(self):
        self.employer()
        return None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "employer": self.employer()}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a delegate: %(employer)s") % {"employer": self.employer().name},
            **kwargs,
        )

    def perform(self, form):
        delegate = services.delegate_create(
            by=self.request.user, employer=self.employer(), **form.service_data()
        )
        messages.success(self.request, _("Delegate recorded."))
        return delegate

    def get_success_url(self):
        return congress_url(self.employer())


class DelegateUpdate(RecordFormView, CongressFormView):
    form_class = DelegateForm

    def get_object(self):
        return get_object_or_404(
            Delegate.objects.for_user(self.request.user).select_related("employer", "person"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "employer": self.object.employer,
            "delegate": self.object,
        }

    def initial_from(self, record) -> dict:
        # The ID number is never written into the page: the help text names the worker.
        initial = super().initial_from(record)
        initial.pop("person_id_number", None)
        return initial

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit delegate %(name)s") % {"name": self.object.name}, **kwargs
        )

    def perform(self, form):
        delegate = services.delegate_update(
            by=self.request.user, delegate=self.object, **form.service_data()
        )
        messages.success(self.request, _("Changes saved."))
        return delegate

    def get_success_url(self):
        return congress_url(self.object.employer)


class SessionChildCreate(CongressFormView):
    """A form that adds a record to a session (a proposal, a resolution)."""

    def get_object(self):
        self.session = get_object_or_404(
            CongressSession.objects.for_user(self.request.user).select_related("employer"),
            pk=self.kwargs["pk"],
        )
        return None

    def get_success_url(self):
        return self.session.get_absolute_url()


class ProposalCreate(SessionChildCreate):
    form_class = ProposalForm

    def get_form_kwargs(self):
        delegates = services.term_delegates(self.session.employer_id, self.session.term)
        return {**super().get_form_kwargs(), "delegates": delegates}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a proposal to %(session)s") % {"session": self.session}, **kwargs
        )

    def perform(self, form):
        proposal = services.proposal_create(
            by=self.request.user, session=self.session, **form.cleaned_data
        )
        messages.success(self.request, _("Proposal recorded."))
        return proposal


class ProposalUpdate(CongressFormView):
    """The proposal, and the form that moves it on (accepted, merged, handled, replied)."""

    form_class = ProposalAdvanceForm
    template_name = "congress/proposal.html"

    def get_object(self):
        return get_object_or_404(
            Proposal.objects.for_user(self.request.user).select_related(
                "session__employer", "proposer", "merged_into"
            ),
            pk=self.kwargs["pk"],
        )

    def get_initial(self):
        return {"department": self.object.department}

    def get_form_kwargs(self):
        targets = (
            Proposal.objects.for_user(self.request.user)
            .filter(session=self.object.session_id)
            .exclude(pk=self.object.pk)
            .exclude(status=ProposalStatus.MERGED)
            .order_by("submitted_on", "pk")
        )
        return {**super().get_form_kwargs(), "merge_targets": targets}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.object.title,
            proposal=self.object,
            merged=self.object.merged_proposals.select_related("proposer").order_by("pk"),
            **kwargs,
        )

    def perform(self, form):
        proposal = services.proposal_advance(
            by=self.request.user, proposal=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Proposal updated."))
        return proposal

    def get_success_url(self):
        return self.object.session.get_absolute_url()


class ResolutionCreate(SessionChildCreate):
    form_class = ResolutionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a resolution of %(session)s") % {"session": self.session}, **kwargs
        )

    def perform(self, form):
        resolution = services.resolution_create(
            by=self.request.user, session=self.session, **form.cleaned_data
        )
        if resolution.passed:
            messages.success(self.request, _("Resolution recorded: passed."))
        else:
            messages.warning(self.request, _("Resolution recorded: not passed."))
        return resolution


class ResolutionUpdate(RecordFormView, CongressFormView):
    """A resolution's wording or counts corrected; the outcome is worked out again."""

    form_class = ResolutionForm

    def get_object(self):
        return get_object_or_404(
            Resolution.objects.for_user(self.request.user).select_related("session__employer"),
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Correct resolution %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        resolution = services.resolution_update(
            by=self.request.user, resolution=self.object, **form.cleaned_data
        )
        if resolution.passed:
            messages.success(self.request, _("Resolution corrected: passed."))
        else:
            messages.warning(self.request, _("Resolution corrected: not passed."))
        return resolution

    def get_success_url(self):
        return self.object.session.get_absolute_url()


# --- Open affairs (厂务公开) --------------------------------------------------------------


class DisclosureList(ObjectListView):
    model = Disclosure
    permission_required = VIEW
    title = gettext_lazy("Open factory affairs")
    columns = [
        Column("disclosed_on", gettext_lazy("disclosed on"), link=True),
        Column("employer.name", gettext_lazy("employer")),
        Column("topic", gettext_lazy("topic")),
        Column("period", gettext_lazy("period")),
        Column("text", gettext_lazy("text")),
    ]
    search_fields = ("employer__name__icontains", "period__icontains")
    filter_form_class = DisclosureFilterForm
    export_stem = "disclosures"

    def get_queryset(self):
        return super().get_queryset().select_related("employer")


class DisclosureCreate(CongressFormView):
    form_class = DisclosureForm

    def get_object(self):
        self.employer()
        return None

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a disclosure: %(employer)s") % {"employer": self.employer().name},
            **kwargs,
        )

    def perform(self, form):
        disclosure = services.disclosure_create(
            by=self.request.user, employer=self.employer(), **form.cleaned_data
        )
        messages.success(self.request, _("Disclosure recorded."))
        return disclosure


class DisclosureUpdate(RecordFormView, CongressFormView):
    form_class = DisclosureForm

    def get_object(self):
        return get_object_or_404(
            Disclosure.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit disclosure %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        disclosure = services.disclosure_update(
            by=self.request.user, disclosure=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return disclosure
