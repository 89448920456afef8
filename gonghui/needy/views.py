"""Pages of needy-worker files: list, detail with the workflow, forms, the public notice.

Every file is reached through ``NeedyFile.objects.for_user(user)``: outside the
user's subtree a file does not exist (404) on any page. Income and health
causes are shown only to holders of ``needy.view_sensitive_needyfile``, and
each page view that shows them is written to the audit log (PIPL 第五十一条).
"""

from __future__ import annotations

from auditlog.signals import accessed
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
)
from gonghui.people.models import Person

from . import selectors, services
from .forms import (
    SENSITIVE_PERMISSION,
    CommentForm,
    ExitForm,
    FileCreateForm,
    FileFilterForm,
    FileForm,
    HouseholdFormSet,
    NoticeForm,
    ObjectionForm,
    ResolveForm,
    ReviewForm,
    ThresholdForm,
    VisitForm,
    WithdrawForm,
    household_data,
    household_initial,
)
from .models import NeedyFile, Objection, Threshold
from .vocabularies import HEALTH_CAUSES, Cause, FileStatus, ObjectionStatus

ESTABLISH = "needy.establish_needyfile"
EXIT = "needy.exit_needyfile"


def _scoped_file(request, pk) -> NeedyFile:
    return get_object_or_404(
        NeedyFile.objects.for_user(request.user).select_related("person", "organisation"), pk=pk
    )


def shown_causes(file: NeedyFile, user) -> list[str]:
    """Cause labels; a health cause is withheld from users without the right."""
    sensitive = user.has_perm(SENSITIVE_PERMISSION)
    labels = []
    order = Cause.values
    for cause in sorted(file.causes.all(), key=lambda c: order.index(c.cause)):
        if cause.cause in HEALTH_CAUSES and not sensitive:
            labels.append(_("Withheld"))
        else:
            labels.append(cause.get_cause_display())
    return list(dict.fromkeys(labels))


class FileList(ObjectListView):
    model = NeedyFile
    permission_required = "needy.view_needyfile"
    title = gettext_lazy("Needy-worker files")
    # No income and no cause here: the list is seen by users without the right to them.
    columns = [
        Column("person.name", gettext_lazy("worker"), link=True),
        Column("person.employer.name", gettext_lazy("employer")),
        Column("level", gettext_lazy("level")),
        Column("standard", gettext_lazy("filing standard")),
        Column("status", gettext_lazy("status")),
        Column("organisation.name", gettext_lazy("kept by")),
        Column("filed_on", gettext_lazy("filed on")),
        Column("exited_on", gettext_lazy("exited on")),
    ]
    search_fields = ("person__name__startswith",)
    filter_form_class = FileFilterForm
    create_url_name = "needy:file-create"
    create_permission = "needy.add_needyfile"
    export_stem = "needy-files"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "person__employer", "organisation")
            .distinct()
        )


class FileDetail(ObjectDetailView):
    model = NeedyFile
    permission_required = "needy.view_needyfile"
    template_name = "needy/file_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person", "person__employer", "organisation", "created_by")
            .prefetch_related(
                "causes",
                "household",
                "visits",
                Prefetch("objections", queryset=Objection.objects.order_by("received_on", "pk")),
                "reviews",
                "steps__by",
            )
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        file, user = self.object, self.request.user
        sensitive = user.has_perm(SENSITIVE_PERMISSION)
        if sensitive:
            # Income and health were shown: the view is recorded like a reveal.
            accessed.send(NeedyFile, instance=file)
        else:
            # The history lists income figures as they changed.
            context["history"] = None
        visible = NeedyFile.objects.for_user(user)
        shared = list(selectors.shared_household_files(file))
        visible_ids = set(
            visible.filter(pk__in=[f.pk for f in shared]).values_list("pk", flat=True)
        )
        today = timezone.localdate()
        pending = [o for o in file.objections.all() if o.status == ObjectionStatus.PENDING]
        context.update(
            title=_("Needy-worker file of %(name)s") % {"name": file.person.name},
            sensitive=sensitive,
            causes=shown_causes(file, user),
            person_visible=Person.objects.for_user(user).filter(pk=file.person_id).exists(),
            shared=[(f, f.pk in visible_ids) for f in shared],
            pending_objections=pending,
            can_file=file.status == FileStatus.NOTICE
            and file.notice_ends_on < today
            and not pending,
            editable=file.status in services.EDITABLE_STATUSES,
            establishing=file.status
            in (FileStatus.APPLIED, FileStatus.VISITED, FileStatus.CHECKED, FileStatus.NOTICE),
            threshold_now=services.threshold_for(file.organisation, today.year)
            if file.status == FileStatus.VISITED
            else None,
        )
        return context


class FileFormMixin:
    """The file form with the household formset beside it."""

    template_name = "needy/file_form.html"

    def formset(self, initial=None):
        data = self.request.POST if self.request.method == "POST" else None
        return HouseholdFormSet(data, initial=initial, prefix="household")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("household_formset", self.household_formset)
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.household_formset = self.formset(self.household_initial())
        form = self.get_form()
        if form.is_valid() and self.household_formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.household_formset = self.formset(self.household_initial())
        return super(ServiceFormView, self).get(request, *args, **kwargs)

    def household_initial(self):
        return None


class FileCreate(FileFormMixin, ServiceFormView):
    """A new file; ``?person=<pk>`` starts from a person's page."""

    permission_required = "needy.add_needyfile"
    form_class = FileCreateForm
    title = gettext_lazy("New needy-worker file")

    def get_person(self):
        pk = self.request.GET.get("person")
        if not pk or not pk.isdigit():
            return None
        return get_object_or_404(Person.objects.for_user(self.request.user), pk=pk)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "person": self.get_person()}

    def perform(self, form):
        file = services.needy_file_create(
            by=self.request.user,
            person=form.person,
            household=household_data(self.household_formset),
            **form.service_kwargs(),
        )
        messages.success(self.request, _("Needy-worker file opened."))
        return file


class FileUpdate(FileFormMixin, RecordFormView):
    permission_required = "needy.change_needyfile"
    form_class = FileForm

    def get_object(self):
        return _scoped_file(self.request, self.kwargs["pk"])

    def household_initial(self):
        return household_initial(self.object)

    def initial_from(self, file):
        initial = {
            "level": file.level,
            "standard": file.standard,
            "causes": [c.cause for c in file.causes.all()],
            "situation": file.situation,
        }
        if self.request.user.has_perm(SENSITIVE_PERMISSION):
            initial["household_income"] = file.household_income
        return initial

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        if not self.request.user.has_perm(SENSITIVE_PERMISSION):
            # The stored figure is not shown to this user; empty keeps it.
            form.fields["household_income"].required = False
            form.fields["household_income"].help_text = _("Leave empty to keep the stored figure.")
        return form

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit the file of %(name)s") % {"name": self.object.person.name}, **kwargs
        )

    def perform(self, form):
        arguments = form.service_kwargs()
        if arguments["household_income"] is None:
            arguments["household_income"] = self.object.household_income
        file = services.needy_file_update(
            by=self.request.user,
            file=self.object,
            household=household_data(self.household_formset, self.object),
            **arguments,
        )
        messages.success(self.request, _("Changes saved."))
        return file


class FileAction(ServiceFormView):
    """One workflow step on a file: a small form, then the service."""

    title_text = ""

    def get_object(self):
        return _scoped_file(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.title_text % {"name": self.object.person.name}, **kwargs
        )

    def perform(self, form):
        self.call(form)
        return self.object


class VisitRecord(FileAction):
    permission_required = "needy.change_needyfile"
    form_class = VisitForm
    title_text = gettext_lazy("Home visit to %(name)s")

    def get_initial(self):
        return {"visited_on": timezone.localdate()}

    def call(self, form):
        services.needy_file_record_visit(
            by=self.request.user, file=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Home visit recorded."))


class IncomeCheck(FileAction):
    permission_required = ESTABLISH
    form_class = CommentForm
    title_text = gettext_lazy("Check the household income of %(name)s")

    def call(self, form):
        services.needy_file_check_income(
            by=self.request.user, file=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Household income checked."))


class NoticeStart(FileAction):
    permission_required = ESTABLISH
    form_class = NoticeForm
    title_text = gettext_lazy("Put the file of %(name)s on public notice")

    def get_initial(self):
        return {"starts_on": timezone.localdate(), "days": services.notice_days()}

    def call(self, form):
        services.needy_file_start_notice(
            by=self.request.user, file=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Public notice started."))


class ObjectionRecord(FileAction):
    permission_required = ESTABLISH
    form_class = ObjectionForm
    title_text = gettext_lazy("Objection to the file of %(name)s")

    def get_initial(self):
        return {"received_on": timezone.localdate()}

    def call(self, form):
        services.needy_objection_record(by=self.request.user, file=self.object, **form.cleaned_data)
        messages.success(self.request, _("Objection recorded."))


class ObjectionResolve(FileAction):
    permission_required = ESTABLISH
    form_class = ResolveForm
    title_text = gettext_lazy("Settle an objection to the file of %(name)s")

    def get_object(self):
        # The objection belongs to the file, or the page does not exist (GET included).
        file = super().get_object()
        self.objection = get_object_or_404(file.objections, pk=self.kwargs["objection"])
        return file

    def call(self, form):
        services.needy_objection_resolve(
            by=self.request.user, objection=self.objection, **form.cleaned_data
        )
        messages.success(self.request, _("Objection settled."))


class FileFile(FileAction):
    permission_required = ESTABLISH
    form_class = CommentForm
    title_text = gettext_lazy("File the needy-worker file of %(name)s")

    def call(self, form):
        services.needy_file_file(by=self.request.user, file=self.object, **form.cleaned_data)
        messages.success(self.request, _("Filed."))


class FileWithdraw(FileAction):
    permission_required = ESTABLISH
    form_class = WithdrawForm
    title_text = gettext_lazy("Withdraw the file of %(name)s")

    def call(self, form):
        services.needy_file_withdraw(by=self.request.user, file=self.object, **form.cleaned_data)
        messages.success(self.request, _("File withdrawn."))


class FileReview(FileAction):
    permission_required = EXIT
    form_class = ReviewForm
    title_text = gettext_lazy("Yearly review of %(name)s")

    def call(self, form):
        services.needy_file_review(by=self.request.user, file=self.object, **form.cleaned_data)
        messages.success(self.request, _("Review recorded."))


class FileExit(FileAction):
    permission_required = EXIT
    form_class = ExitForm
    title_text = gettext_lazy("%(name)s is out of difficulty")

    def get_initial(self):
        return {"exited_on": timezone.localdate()}

    def call(self, form):
        services.needy_file_exit(by=self.request.user, file=self.object, **form.cleaned_data)
        messages.success(self.request, _("The file is closed: out of difficulty."))


class NoticeList(StaffPermissionMixin, TemplateView):
    """The public notice (公示) of files being established: name, union and level only."""

    permission_required = "needy.view_needyfile"
    template_name = "needy/notice_list.html"

    def get_context_data(self, **kwargs):
        files = (
            NeedyFile.objects.for_user(self.request.user)
            .filter(status=FileStatus.NOTICE)
            .select_related("person", "organisation")
            .order_by("notice_ends_on", "person__name", "pk")
        )
        return super().get_context_data(
            title=_("Public notice of needy-worker files"), files=files, **kwargs
        )


class ThresholdList(ObjectListView):
    model = Threshold
    permission_required = "needy.view_threshold"
    title = gettext_lazy("Income thresholds")
    columns = [
        Column("organisation.name", gettext_lazy("organisation")),
        Column("year", gettext_lazy("year")),
        Column("amount", gettext_lazy("monthly income per head (yuan)")),
    ]
    create_url_name = "needy:threshold-set"
    create_permission = "needy.add_threshold"
    export_stem = "needy-thresholds"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation")


class ThresholdSet(ServiceFormView):
    permission_required = "needy.add_threshold"
    form_class = ThresholdForm
    title = gettext_lazy("Set an income threshold")

    form_takes_user = True

    def get_initial(self):
        return {"year": timezone.localdate().year, "organisation": self.request.user.organisation}

    def perform(self, form):
        services.threshold_set(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Threshold saved."))
        return None

    def get_success_url(self):
        return reverse("needy:threshold-list")


def person_section_context(person, user) -> dict:
    """The person page's section: their files in the user's scope, and the status across all."""
    files = list(
        NeedyFile.objects.for_user(user)
        .filter(person=person)
        .select_related("organisation")
        .order_by("-created_at", "-pk")
    )
    return {
        "needy_files": files,
        "needy_status": selectors.needy_status(person),
        "can_open": not any(f.is_open for f in files),
    }
