from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
    refusals_shown,
)

from . import selectors, services
from .forms import AdvanceForm, ApplicationForm, AttendanceForm, FairForm, PostingForm, SummaryForm
from .models import JobApplication, JobFair, JobPosting, PostingStatus


class PostingList(ObjectListView):
    model = JobPosting
    permission_required = "employment.view_jobposting"
    title = gettext_lazy("Job postings")
    columns = [
        Column("title", gettext_lazy("job title"), link=True),
        Column("employer.name", gettext_lazy("employer")),
        Column("pay_min", gettext_lazy("pay from")),
        Column("pay_max", gettext_lazy("pay up to")),
        Column("headcount", gettext_lazy("positions")),
        Column("location", gettext_lazy("place of work")),
        Column("campaign_year", gettext_lazy("campaign year")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("title__icontains", "employer__name__icontains")
    create_url_name = "employment:posting-create"
    create_permission = "employment.add_jobposting"
    export_stem = "job-postings"

    def get_queryset(self):
        return super().get_queryset().select_related("employer")


class PostingDetail(ObjectDetailView):
    model = JobPosting
    permission_required = "employment.view_jobposting"
    template_name = "employment/posting_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("employer", "employer__township")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.object.title,
            applications=selectors.applications_of_posting(self.object),
            hired=selectors.hired_count(self.object),
            **kwargs,
        )


class PostingCreate(ServiceFormView):
    permission_required = "employment.add_jobposting"
    form_class = PostingForm
    title = gettext_lazy("New job posting")

    form_takes_user = True

    def perform(self, form):
        posting = services.job_posting_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Job posting “%(name)s” saved.") % {"name": posting.title})
        return posting


class PostingUpdate(RecordFormView):
    permission_required = "employment.change_jobposting"
    form_class = PostingForm

    def get_object(self):
        return get_object_or_404(
            JobPosting.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "posting": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit %(name)s") % {"name": self.object.title}, **kwargs
        )

    def perform(self, form):
        posting = services.job_posting_update(
            by=self.request.user, posting=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return posting


class PostingSetStatus(StaffPermissionMixin, View):
    """POST only: close a posting, or open it again."""

    permission_required = "employment.change_jobposting"

    def post(self, request, pk):
        posting = get_object_or_404(JobPosting.objects.for_user(request.user), pk=pk)
        status = request.POST.get("status", "")
        with refusals_shown(request):
            services.job_posting_set_status(by=request.user, posting=posting, status=status)
            messages.success(
                request,
                _("The posting is closed.")
                if status == PostingStatus.CLOSED
                else _("The posting is open."),
            )
        return redirect(posting.get_absolute_url())


class ApplicationList(ObjectListView):
    model = JobApplication
    permission_required = "employment.view_jobapplication"
    title = gettext_lazy("Job applications")
    columns = [
        Column("person.name", gettext_lazy("worker"), link=True),
        Column("posting.title", gettext_lazy("job title")),
        Column("posting.employer.name", gettext_lazy("employer")),
        Column("status", gettext_lazy("status")),
        Column("applied_at", gettext_lazy("applied at")),
    ]
    search_fields = ("person__name__startswith", "posting__title__icontains")
    export_stem = "job-applications"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "posting", "posting__employer")


class ApplicationDetail(ObjectDetailView):
    model = JobApplication
    permission_required = "employment.view_jobapplication"
    template_name = "employment/application_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("person", "posting", "posting__employer")

    def get_context_data(self, **kwargs):
        form = AdvanceForm()
        allowed = set(self.object.next_statuses())
        form.fields["to_status"].choices = [
            c for c in form.fields["to_status"].choices if c[0] in allowed
        ]
        return super().get_context_data(
            title=str(self.object),
            steps=self.object.steps.select_related("by"),
            advance_form=form if allowed else None,
            **kwargs,
        )


class ApplicationCreate(ServiceFormView):
    permission_required = "employment.add_jobapplication"
    form_class = ApplicationForm

    def get_object(self):
        return get_object_or_404(
            JobPosting.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    form_takes_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Apply for %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        application = services.job_application_create(
            by=self.request.user,
            posting=self.object,
            person=form.cleaned_data["person"],
            comment=form.cleaned_data["comment"],
        )
        messages.success(self.request, _("Application recorded."))
        return application


class ApplicationAdvance(StaffPermissionMixin, View):
    """POST only: record an interview or the outcome; a refusal is shown on the page."""

    permission_required = "employment.decide_jobapplication"

    def post(self, request, pk):
        application = get_object_or_404(JobApplication.objects.for_user(request.user), pk=pk)
        form = AdvanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a valid outcome."))
            return redirect(application.get_absolute_url())
        with refusals_shown(request):
            services.job_application_advance(
                by=request.user,
                application=application,
                to_status=form.cleaned_data["to_status"],
                comment=form.cleaned_data["comment"],
            )
            messages.success(request, _("Application updated."))
        return redirect(application.get_absolute_url())


class FairList(ObjectListView):
    model = JobFair
    permission_required = "employment.view_jobfair"
    title = gettext_lazy("Job fairs")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("held_on", gettext_lazy("date")),
        Column("place", gettext_lazy("place")),
        Column("organiser.name", gettext_lazy("organiser")),
        Column("campaign_year", gettext_lazy("campaign year")),
        Column("attendance", gettext_lazy("workers attending")),
    ]
    search_fields = ("name__icontains", "place__icontains")
    create_url_name = "employment:fair-create"
    create_permission = "employment.add_jobfair"
    export_stem = "job-fairs"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser")


class FairDetail(ObjectDetailView):
    model = JobFair
    permission_required = "employment.view_jobfair"
    template_name = "employment/fair_detail.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.object.name,
            employers=self.object.employers.order_by("name"),
            attendance_form=AttendanceForm(initial={"attendance": self.object.attendance}),
            **kwargs,
        )


class FairCreate(ServiceFormView):
    permission_required = "employment.add_jobfair"
    form_class = FairForm
    title = gettext_lazy("New job fair")

    form_takes_user = True

    def perform(self, form):
        fair = services.job_fair_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Job fair “%(name)s” saved.") % {"name": fair.name})
        return fair


class FairAttendance(StaffPermissionMixin, View):
    permission_required = "employment.change_jobfair"

    def post(self, request, pk):
        fair = get_object_or_404(JobFair.objects.for_user(request.user), pk=pk)
        form = AttendanceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter the number of workers who attended (0 or more)."))
            return redirect(fair.get_absolute_url())
        services.job_fair_record_attendance(
            by=request.user, fair=fair, attendance=form.cleaned_data["attendance"]
        )
        messages.success(request, _("Attendance saved."))
        return redirect(fair.get_absolute_url())


class CampaignSummary(StaffPermissionMixin, View):
    """Postings, positions, applications and hired per township for one campaign year."""

    permission_required = "employment.view_jobposting"

    def get(self, request):
        years = selectors.campaign_years(request.user)
        form = SummaryForm(request.GET or None)
        if form.is_valid():
            year = form.cleaned_data["year"]
        else:
            year = years[0] if years else timezone.localdate().year
        rows, total = selectors.campaign_summary(request.user, year)
        return render(
            request,
            "employment/summary.html",
            {
                "title": _("Spring jobs in %(year)s") % {"year": year},
                "year": year,
                "years": years,
                "rows": rows,
                "total": total,
            },
        )
