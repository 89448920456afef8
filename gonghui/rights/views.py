"""Console pages of rights cases: the list, the intake form, the case with its
timeline and action forms, confidential notes, deadline rules, intake templates
and the quality check. Thin: a form parses, a service writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core.views import (
    COUNT_CAP,
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
    StaffPermissionMixin,
    form_refusal,
    refusals_shown,
)
from gonghui.people.forms import WorkerChoiceForm
from gonghui.security.events import EventKind, security_event
from gonghui.workdays.calendar import year_is_confirmed

from . import deadlines, selectors, services
from .forms import (
    AssignForm,
    AttachmentForm,
    CallbackForm,
    CaseFilterForm,
    CheckForm,
    DeadlineRuleForm,
    DeclineForm,
    IntakeForm,
    IntakeTemplateForm,
    NoteForm,
    ResolveForm,
    SampleForm,
    WatchForm,
)
from .models import Case, CaseKind, CaseStatus, IntakeTemplate, QualityCheck


class CaseList(ObjectListView):
    model = Case
    permission_required = "rights.view_case"
    title = gettext_lazy("Rights cases")
    columns = [
        Column("tracking_code", gettext_lazy("tracking code"), link=True),
        Column("kind", gettext_lazy("kind")),
        Column("category", gettext_lazy("category")),
        Column("status", gettext_lazy("status")),
        Column("workers_involved", gettext_lazy("workers involved")),
        Column("is_group", gettext_lazy("group case")),
        Column("employer.name", gettext_lazy("employer")),
        Column("handler.display_name", gettext_lazy("handler")),
        Column("received_at", gettext_lazy("received at")),
        Column("due_on", gettext_lazy("due on")),
        Column("overdue_since", gettext_lazy("overdue since")),
        Column("escalated_to.name", gettext_lazy("escalated to")),
    ]
    search_fields = ("tracking_code__iexact", "employer__name__startswith")
    filter_form_class = CaseFilterForm
    create_url_name = "rights:case-intake"
    create_permission = "rights.add_case"
    export_stem = "rights-cases"
    count_cap = COUNT_CAP

    def get_queryset(self):
        return super().get_queryset().select_related("employer", "handler", "escalated_to")


def _visible_case(user, pk) -> Case:
    return get_object_or_404(
        Case.objects.for_user(user).select_related(
            "employer", "handler", "handler__organisation", "organisation", "escalated_to"
        ),
        pk=pk,
    )


class CaseDetail(ObjectDetailView):
    """A case with its workers, its timeline and the forms of the steps it may take;
    never its confidential notes (``CaseNotes``)."""

    model = Case
    permission_required = "rights.view_case"
    template_name = "rights/case_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employer", "handler", "organisation", "escalated_to", "lodged_by")
        )

    def get_context_data(self, **kwargs):
        case = self.object
        user = self.request.user
        can_act = user.has_perm("rights.change_case")
        context = super().get_context_data(
            title=str(case),
            workers=case.workers.all(),
            attachments=case.attachments.all(),
            attachment_form=AttachmentForm() if can_act and case.is_open else None,
            events=case.events.select_related("by"),
            can_act=can_act,
            notes_readable=selectors.note_readable(user, case),
            provisional_warning=case.due_on is not None and not year_is_confirmed(case.due_on.year),
            **kwargs,
        )
        if can_act:
            status = case.status
            context["decline_form"] = DeclineForm() if status == CaseStatus.RECEIVED else None
            if status in (
                CaseStatus.ACCEPTED,
                CaseStatus.ASSIGNED,
                CaseStatus.IN_MEDIATION,
                CaseStatus.IN_LEGAL_AID,
            ):
                context["assign_form"] = AssignForm(handlers=services.handlers_for(user, case))
            if status in (CaseStatus.IN_MEDIATION, CaseStatus.IN_LEGAL_AID):
                context["resolve_form"] = ResolveForm()
            if status == CaseStatus.RESOLVED:
                context["callback_form"] = CallbackForm()
        return context


class CaseIntake(ServiceFormView):
    permission_required = "rights.add_case"
    form_class = IntakeForm
    title = gettext_lazy("Take a rights case")
    template_name = "rights/case_intake.html"

    def get_form_kwargs(self):
        kind = self.request.POST.get("kind") or self.request.GET.get("kind")
        return {**super().get_form_kwargs(), "user": self.request.user, "kind": kind}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["worker"] = context["form"].worker_choices()
        context["kinds"] = CaseKind.choices
        return context

    def perform(self, form):
        data = form.cleaned_data
        person = data.get("person")
        case = services.case_lodge(
            by=self.request.user,
            kind=data["kind"],
            channel=data["channel"],
            category=data["category"],
            summary=data["summary"],
            workers=[person] if person else [],
            anonymous=data["anonymous"],
            employer=data.get("employer"),
            amount_in_dispute=data.get("amount_in_dispute"),
            workers_involved=data["workers_involved"],
            complexity=data["complexity"],
            intake_answers=form.answers(),
        )
        messages.success(self.request, _("The case is lodged."))
        return case


class CaseWorkerAdd(ServiceFormView):
    """One more worker named on an open case: found among the people in scope, as at
    intake (``people/_worker_field.html``), with or without scripts."""

    permission_required = "rights.change_case"
    form_class = WorkerChoiceForm
    form_takes_user = True
    template_name = "rights/case_worker_add.html"

    def get_object(self):
        return _visible_case(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(
            title=_("Name another worker on %(case)s") % {"case": self.object}, **kwargs
        )
        context["worker"] = context["form"].worker_choices()
        return context

    def perform(self, form):
        person = form.cleaned_data["person"]
        case = services.case_worker_add(by=self.request.user, case=self.object, person=person)
        messages.success(self.request, _("%(name)s is named on the case.") % {"name": person})
        return case


class CaseAction(StaffPermissionMixin, View):
    """POST only: one step of the lifecycle (``action`` in the URL)."""

    permission_required = "rights.change_case"

    def post(self, request, pk, action):
        case = _visible_case(request.user, pk)
        with refusals_shown(request):
            self.perform(request, case, action)
            messages.success(request, _("Saved."))
        return redirect(case.get_absolute_url())

    def perform(self, request, case, action):
        by = request.user
        if action == "accept":
            return services.case_accept(by=by, case=case)
        if action == "start-mediation":
            return services.case_start_mediation(by=by, case=case)
        if action == "start-legal-aid":
            return services.case_start_legal_aid(by=by, case=case)
        forms = {
            "decline": DeclineForm,
            "resolve": ResolveForm,
            "callback": CallbackForm,
        }
        if action == "assign":
            form = AssignForm(request.POST, handlers=services.handlers_for(by, case))
        elif action in forms:
            form = forms[action](request.POST)
        else:
            raise Http404
        if not form.is_valid():
            raise form_refusal(form)
        data = form.cleaned_data
        if action == "decline":
            return services.case_decline(by=by, case=case, reason=data["reason"])
        if action == "assign":
            return services.case_assign(by=by, case=case, handler=data["handler"])
        if action == "resolve":
            return services.case_resolve(
                by=by,
                case=case,
                resolution=data["resolution"],
                terms=data["terms"],
                recovered_amount=data["recovered_amount"],
            )
        return services.case_callback(
            by=by, case=case, satisfaction=data["satisfaction"], comment=data["comment"]
        )


class AttachmentAdd(StaffPermissionMixin, View):
    """POST only: a file added to an open case in scope."""

    permission_required = "rights.change_case"

    def post(self, request, pk):
        case = _visible_case(request.user, pk)
        form = AttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, _("Choose a PDF, JPEG or PNG file."))
            return redirect(case.get_absolute_url())
        with refusals_shown(request):
            services.case_attachment_add(
                by=request.user, case=case, upload=form.cleaned_data["upload"]
            )
            messages.success(request, _("File added."))
        return redirect(case.get_absolute_url())


class AttachmentDownload(StaffPermissionMixin, View):
    """A case's file, only for users who see the case (404 otherwise); each download
    is a security event."""

    permission_required = "rights.view_case"

    def get(self, request, pk, attachment_pk):
        case = _visible_case(request.user, pk)
        item = get_object_or_404(case.attachments, pk=attachment_pk)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        security_event(
            kind=EventKind.DOWNLOAD, by=request.user, obj=case, detail={"attachment": item.pk}
        )
        return FileResponse(
            handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
        )


class CaseNotes(StaffPermissionMixin, View):
    """The confidential notes: the handler, their superiors and county administrators
    (``selectors.note_readable``); anyone else who sees the case gets 403, anyone who
    does not 404. Every read is logged."""

    permission_required = "rights.view_case"

    def has_permission(self):
        # Reading the cases is only the first condition: the notes answer to their
        # readers (``_case``), so holding ``rights.view_case`` does not open them, and
        # the access sweep takes the answers from ``tests/sweep.py``'s ANSWERS.
        return super().has_permission()

    def _case(self, request, pk):
        case = _visible_case(request.user, pk)
        if not selectors.note_readable(request.user, case):
            raise PermissionDenied(
                _("Only the handler, their superiors and county administrators read the notes.")
            )
        return case

    def get(self, request, pk, form=None):
        case = self._case(request, pk)
        return render(
            request,
            "rights/case_notes.html",
            {
                "title": _("Confidential notes"),
                "object": case,
                "notes": selectors.note_texts(user=request.user, case=case),
                "form": form or NoteForm(),
            },
        )

    def post(self, request, pk):
        case = self._case(request, pk)
        form = NoteForm(request.POST)
        if form.is_valid():
            try:
                services.case_note_add(by=request.user, case=case, text=form.cleaned_data["text"])
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Note saved."))
                return redirect("rights:case-notes", pk=case.pk)
        return self.get(request, pk, form=form)


class DeadlineRules(StaffPermissionMixin, View):
    """The deadline rules of every kind and complexity, and the form to change one."""

    permission_required = "rights.configure_case"

    def get(self, request, form=None):
        return render(
            request,
            "rights/deadline_rules.html",
            {
                "title": _("Case deadlines"),
                "rules": list(deadlines.all_rules().values()),
                "form": form or DeadlineRuleForm(),
            },
        )

    def post(self, request):
        form = DeadlineRuleForm(request.POST)
        if form.is_valid():
            try:
                services.deadline_rule_save(by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    for field, errors in exc.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("rights:deadline-rules")
        return self.get(request, form=form)


class IntakeTemplates(StaffPermissionMixin, View):
    permission_required = "rights.configure_case"

    def get(self, request, form=None):
        stored = {t.kind: t for t in IntakeTemplate.objects.all()}
        return render(
            request,
            "rights/intake_templates.html",
            {
                "title": _("Intake templates"),
                "templates": [(label, stored.get(kind)) for kind, label in CaseKind.choices],
                "form": form or IntakeTemplateForm(),
            },
        )

    def post(self, request):
        form = IntakeTemplateForm(request.POST)
        if form.is_valid():
            try:
                services.intake_template_save(
                    by=request.user,
                    kind=form.cleaned_data["kind"],
                    questions=form.cleaned_data["questions"].splitlines(),
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("rights:intake-templates")
        return self.get(request, form=form)


class QualitySample(StaffPermissionMixin, View):
    """Draw a random sample of a month's closed cases and record a result per case."""

    permission_required = "rights.check_case"

    def get(self, request, form=None):
        checks = (
            QualityCheck.objects.for_user(request.user)
            .select_related("case", "case__handler", "checked_by")
            .order_by("-month", "case_id")[:200]
        )
        return render(
            request,
            "rights/quality_sample.html",
            {
                "title": _("Quality check of closed cases"),
                "checks": checks,
                "form": form or SampleForm(initial={"month": timezone.localdate()}),
                "check_form": CheckForm(),
            },
        )

    def post(self, request):
        form = SampleForm(request.POST)
        if form.is_valid():
            try:
                drawn = services.quality_sample_draw(
                    by=request.user,
                    month=form.cleaned_data["month"],
                    size=form.cleaned_data["size"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("%(n)d cases drawn.") % {"n": len(drawn)})
                return redirect("rights:quality-sample")
        return self.get(request, form=form)


class QualityCheckRecord(StaffPermissionMixin, View):
    permission_required = "rights.check_case"

    def post(self, request, pk):
        check = get_object_or_404(QualityCheck.objects.for_user(request.user), pk=pk)
        form = CheckForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the result."))
        else:
            services.quality_check_record(by=request.user, check=check, **form.cleaned_data)
            messages.success(request, _("Saved."))
        return redirect(reverse("rights:quality-sample"))


class EarlyWarnings(StaffPermissionMixin, View):
    """The employers of the user's scope with a warning signal (``prevention``)."""

    permission_required = "rights.view_case"

    def get(self, request):
        from django.core.paginator import Paginator

        from .prevention import early_warnings, festival_window

        today = timezone.localdate()
        rows = early_warnings(request.user, today)
        if request.GET.get("watched"):
            rows = rows.filter(rights_watch__isnull=False)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        return render(
            request,
            "rights/early_warnings.html",
            {
                "title": _("Early warnings"),
                "page": page,
                "window": festival_window(today),
                "watch_form": WatchForm(),
                "can_watch": request.user.has_perm("rights.change_case"),
            },
        )


class EmployerWatchSet(StaffPermissionMixin, View):
    """POST only: mark an employer watched (``action`` "watch", with a note) or not."""

    permission_required = "rights.change_case"

    def post(self, request, pk, action):
        from gonghui.orgs.models import Employer

        employer = get_object_or_404(Employer.objects.for_user(request.user), pk=pk)
        if action == "unwatch":
            services.employer_unwatch(by=request.user, employer=employer)
            messages.success(request, _("The employer is no longer watched."))
        elif action == "watch":
            form = WatchForm(request.POST)
            if not form.is_valid():
                messages.error(request, _("Say why the employer is watched."))
            else:
                services.employer_watch(
                    by=request.user, employer=employer, note=form.cleaned_data["note"]
                )
                messages.success(request, _("The employer is watched."))
        else:
            raise Http404
        return redirect("rights:early-warnings")
