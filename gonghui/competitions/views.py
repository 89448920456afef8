"""Console pages of competitions: thin, every record through the scope rule (a judge's
sheet through the judge's own assignments)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
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
    form_refusal,
    refusals_shown,
    show_refusal,
)

from . import certificates, selectors, services
from .forms import (
    CompetitionFilterForm,
    CompetitionForm,
    EventForm,
    JudgeForm,
    RefuseForm,
    RegisterForm,
    ResultChangeForm,
)
from .models import (
    Award,
    Competition,
    CompetitionStatus,
    Entry,
    EntryStatus,
    Event,
    JudgeAssignment,
    ResultChange,
    Score,
)

VIEW = "competitions.view_competition"
ADD = "competitions.add_competition"
CHANGE = "competitions.change_competition"
ADD_ENTRY = "competitions.add_entry"
SCORE = "competitions.add_score"


def _organised(user, pk: int) -> Competition:
    """A competition the user runs (404 otherwise, as for one out of scope)."""
    competition = get_object_or_404(Competition.objects.for_user(user), pk=pk)
    if not services.may_organise(user, competition):
        raise Http404
    return competition


class CompetitionList(ObjectListView):
    model = Competition
    permission_required = VIEW
    title = gettext_lazy("Competitions")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("trade", gettext_lazy("trade")),
        Column("level", gettext_lazy("level")),
        Column("organiser.name", gettext_lazy("organiser")),
        Column("starts_on", gettext_lazy("starts on")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("name__icontains", "trade__icontains")
    filter_form_class = CompetitionFilterForm
    create_url_name = "competitions:create"
    create_permission = ADD
    export_stem = "competitions"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser").order_by("-starts_on", "-pk")


class CompetitionDetail(ObjectDetailView):
    model = Competition
    permission_required = VIEW
    template_name = "competitions/competition_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser", "locked_by")

    def get_context_data(self, **kwargs):
        competition = self.object
        return super().get_context_data(
            title=competition.name,
            organises=services.may_organise(self.request.user, competition),
            events=list(competition.events.all()),
            judges=list(competition.judge_assignments.select_related("judge")),
            counts=[
                (EntryStatus(status).label, n)
                for status, n in sorted(selectors.entry_counts(competition).items())
            ],
            next_status=services.NEXT_STATUS.get(competition.status),
            statuses=dict(CompetitionStatus.choices),
            **kwargs,
        )


class CompetitionCreate(ServiceFormView):
    permission_required = ADD
    form_class = CompetitionForm
    title = gettext_lazy("New competition")

    form_takes_user = True

    def perform(self, form):
        competition = services.competition_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Competition recorded. Add its events next."))
        return competition


class CompetitionUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = CompetitionForm

    def get_object(self):
        return _organised(self.request.user, self.kwargs["pk"])

    form_takes_user = True

    def perform(self, form):
        competition = services.competition_update(
            by=self.request.user, competition=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return competition


class CompetitionAdvance(StaffPermissionMixin, View):
    """POST: move the competition to its next status."""

    permission_required = CHANGE

    def post(self, request, pk):
        competition = _organised(request.user, pk)
        with refusals_shown(request):
            competition = services.competition_advance(by=request.user, competition=competition)
            messages.success(
                request,
                _("The competition is now: %(status)s.")
                % {"status": competition.get_status_display()},
            )
        return redirect(competition.get_absolute_url())


class EventCreate(ServiceFormView):
    permission_required = CHANGE
    form_class = EventForm

    def get_object(self):
        return _organised(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New event of %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        services.event_add(by=self.request.user, competition=self.object, **form.cleaned_data)
        messages.success(self.request, _("Event added."))
        return self.object


def _organised_event(user, pk: int) -> Event:
    event = get_object_or_404(Event.objects.for_user(user).select_related("competition"), pk=pk)
    if not services.may_organise(user, event.competition):
        raise Http404
    return event


class EventUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = EventForm

    def get_object(self):
        return _organised_event(self.request.user, self.kwargs["pk"])

    def perform(self, form):
        services.event_update(by=self.request.user, event=self.object, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return self.object.competition


class EventRemove(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        event = _organised_event(request.user, pk)
        competition = event.competition
        with refusals_shown(request):
            services.event_remove(by=request.user, event=event)
            messages.success(request, _("Event removed."))
        return redirect(competition.get_absolute_url())


# --- entries ------------------------------------------------------------------------------


class EntryList(StaffPermissionMixin, View):
    """The entries the user sees (a chair: their members'), with registration by ID
    number and, for the organiser, approval and refusal."""

    permission_required = VIEW

    def get(self, request, pk, form=None):
        competition = get_object_or_404(selectors.competitions_for(request.user), pk=pk)
        entries = (
            Entry.objects.for_user(request.user)
            .filter(competition=competition)
            .select_related("person__employer", "registered_by")
            .order_by("status", "pk")
        )
        may_register = (
            request.user.has_perm(ADD_ENTRY) and competition.status == CompetitionStatus.OPEN
        )
        if form is None and may_register:
            form = RegisterForm(user=request.user)
        return render(
            request,
            "competitions/entries.html",
            {
                "title": _("Entries of %(name)s") % {"name": competition},
                "object": competition,
                "entries": entries,
                "form": form if may_register else None,
                "organises": services.may_organise(request.user, competition),
                "refuse_form": RefuseForm(),
            },
        )

    def post(self, request, pk):
        if not request.user.has_perm(ADD_ENTRY):
            raise PermissionDenied
        competition = get_object_or_404(selectors.competitions_for(request.user), pk=pk)
        form = RegisterForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.entry_register(
                    by=request.user, competition=competition, person=form.cleaned_data["person"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Registered."))
                return redirect("competitions:entries", pk=competition.pk)
        return self.get(request, pk, form=form)


def _organised_entry(user, pk: int) -> Entry:
    entry = get_object_or_404(
        Entry.objects.for_user(user).select_related("competition__organiser", "person"), pk=pk
    )
    if not services.may_organise(user, entry.competition):
        raise Http404
    return entry


class EntryApprove(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        entry = _organised_entry(request.user, pk)
        with refusals_shown(request):
            services.entry_approve(by=request.user, entry=entry)
            messages.success(request, _("Approved: %(name)s.") % {"name": entry.person.name})
        return redirect("competitions:entries", pk=entry.competition_id)


class EntryRefuse(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        entry = _organised_entry(request.user, pk)
        form = RefuseForm(request.POST)
        with refusals_shown(request):
            if not form.is_valid():
                raise ValidationError(_("Give the reason for refusing."))
            services.entry_refuse(by=request.user, entry=entry, reason=form.cleaned_data["reason"])
            messages.success(request, _("Refused: %(name)s.") % {"name": entry.person.name})
        return redirect("competitions:entries", pk=entry.competition_id)


# --- judges -------------------------------------------------------------------------------


class JudgeList(StaffPermissionMixin, View):
    permission_required = CHANGE

    def get(self, request, pk, form=None):
        competition = _organised(request.user, pk)
        return render(
            request,
            "competitions/judges.html",
            {
                "title": _("Judges of %(name)s") % {"name": competition},
                "object": competition,
                "judges": competition.judge_assignments.select_related("judge__organisation"),
                "form": form or JudgeForm(competition=competition),
            },
        )

    def post(self, request, pk):
        competition = _organised(request.user, pk)
        form = JudgeForm(request.POST, competition=competition)
        if form.is_valid():
            try:
                services.judge_assign(
                    by=request.user, competition=competition, judge=form.cleaned_data["judge"]
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("Judge assigned."))
                return redirect("competitions:judges", pk=pk)
        return self.get(request, pk, form=form)


class JudgeRemove(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        assignment = get_object_or_404(
            JudgeAssignment.objects.for_user(request.user).select_related("competition"), pk=pk
        )
        if not services.may_organise(request.user, assignment.competition):
            raise Http404
        with refusals_shown(request):
            services.judge_unassign(by=request.user, assignment=assignment)
            messages.success(request, _("Judge removed."))
        return redirect("competitions:judges", pk=assignment.competition_id)


# --- the judge's pages --------------------------------------------------------------------


class Judging(StaffPermissionMixin, View):
    """The competitions the signed-in judge is assigned to."""

    permission_required = SCORE

    def get(self, request):
        return render(
            request,
            "competitions/judging.html",
            {
                "title": _("My scoring sheets"),
                "competitions": selectors.judge_competitions(request.user),
            },
        )


class ScoreSheet(StaffPermissionMixin, View):
    """One judge's sheet: the approved entrants × the events, their own scores only."""

    permission_required = SCORE

    def competition(self, pk):
        return get_object_or_404(selectors.judge_competitions(self.request.user), pk=pk)

    def get(self, request, pk, values=None):
        competition = self.competition(pk)
        events = list(competition.events.all())
        entries = list(
            Entry.objects.filter(competition=competition, status=EntryStatus.APPROVED)
            .select_related("person")
            .order_by("pk")
        )
        mine = {
            (s.entry_id, s.event_id): s.value
            for s in Score.objects.filter(event__competition=competition, judge=request.user)
        }
        rows = [
            (
                entry,
                [
                    (
                        event,
                        f"s-{entry.pk}-{event.pk}",
                        (values or {}).get(
                            f"s-{entry.pk}-{event.pk}", mine.get((entry.pk, event.pk), "")
                        ),
                    )
                    for event in events
                ],
            )
            for entry in entries
        ]
        return render(
            request,
            "competitions/sheet.html",
            {
                "title": _("Scoring sheet: %(name)s") % {"name": competition},
                "object": competition,
                "events": events,
                "rows": rows,
                "editable": competition.status == CompetitionStatus.SCORING,
            },
        )

    def post(self, request, pk):
        competition = self.competition(pk)
        values = {}
        for key, raw in request.POST.items():
            if key.startswith("s-"):
                try:
                    _s, entry_id, event_id = key.split("-")
                    values[(int(entry_id), int(event_id))] = raw.strip()
                except ValueError:
                    continue
        try:
            changed = services.score_sheet_save(
                by=request.user, competition=competition, values=values
            )
        except ValidationError as exc:
            show_refusal(request, exc)
            posted = {k: v for k, v in request.POST.items() if k.startswith("s-")}
            return self.get(request, pk, values=posted)
        messages.success(request, _("%(n)s scores saved.") % {"n": changed})
        return redirect("competitions:sheet", pk=pk)


# --- results ------------------------------------------------------------------------------


class Results(StaffPermissionMixin, View):
    """The ranking (live while scoring, stored once locked), the lock and the changes."""

    permission_required = VIEW

    def get(self, request, pk):
        competition = get_object_or_404(selectors.competitions_for(request.user), pk=pk)
        organises = services.may_organise(request.user, competition)
        if not organises and competition.status != CompetitionStatus.LOCKED:
            raise Http404
        visible = Entry.objects.for_user(request.user).filter(competition=competition)
        names = {e.pk: e for e in visible.select_related("person")}
        if competition.status == CompetitionStatus.LOCKED:
            rows = [
                (e, e.final_score, e.place, e.get_award_display())
                for e in visible.filter(status=EntryStatus.APPROVED)
                .select_related("person")
                .order_by("place", "pk")
            ]
        else:
            rows = [
                (names[r.entry], r.final_points, r.place, r.award and Award(r.award).label)
                for r in selectors.ranking_of(competition)
                if r.entry in names
            ]
        missing = (0, [])
        if organises and competition.status == CompetitionStatus.SCORING:
            missing = selectors.missing_scores(competition)
        return render(
            request,
            "competitions/results.html",
            {
                "title": _("Results of %(name)s") % {"name": competition},
                "object": competition,
                "rows": rows,
                "organises": organises,
                "missing_count": missing[0],
                "missing": missing[1],
                "change_form": ResultChangeForm(),
                "changes": ResultChange.objects.filter(entry__competition=competition)
                .select_related("entry__person", "changed_by")
                .filter(entry__in=visible),
            },
        )


class ResultsLock(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        competition = _organised(request.user, pk)
        with refusals_shown(request):
            services.results_lock(by=request.user, competition=competition)
            messages.success(request, _("The results are locked and published."))
        return redirect("competitions:results", pk=pk)


class ResultChangeView(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        entry = _organised_entry(request.user, pk)
        form = ResultChangeForm(request.POST)
        with refusals_shown(request):
            if not form.is_valid():
                raise form_refusal(form)
            data = form.cleaned_data
            services.result_change(
                by=request.user,
                entry=entry,
                reason=data["reason"],
                final_score=data["final_score"],
                place=data["place"],
                award=data["award"] if "award" in request.POST else None,
            )
            messages.success(request, _("The result is changed; the reason is recorded."))
        return redirect("competitions:results", pk=entry.competition_id)


class CertificatesStart(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        competition = _organised(request.user, pk)
        try:
            job = certificates.certificates_start(by=request.user, competition=competition)
        except ValidationError as exc:
            show_refusal(request, exc)
            return redirect("competitions:results", pk=pk)
        return redirect("jobs:detail", pk=job.pk)


class CertificateDownload(StaffPermissionMixin, View):
    """An entrant's certificate, for staff who see the entry."""

    permission_required = VIEW

    def get(self, request, pk):
        entry = get_object_or_404(
            Entry.objects.for_user(request.user).select_related("competition__organiser", "person"),
            pk=pk,
        )
        try:
            pdf = certificates.certificate_for(entry)
        except ValidationError as exc:
            show_refusal(request, exc)
            return redirect("competitions:results", pk=entry.competition_id)
        return FileResponse(
            io.BytesIO(pdf),
            as_attachment=True,
            filename=f"certificate-{entry.pk}.pdf",
            content_type="application/pdf",
        )
