"""Console pages of studios, achievements, the showcase and mentoring: thin, every
record through the scope rule (a record outside the user's subtree is a 404)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core import exports
from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
    refusals_shown,
    show_form_errors,
)

from . import selectors, services
from .forms import (
    AchievementForm,
    EvaluateForm,
    LeaveForm,
    MemberForm,
    PairFilterForm,
    PairForm,
    ShowcaseFilterForm,
    StudioFilterForm,
    StudioForm,
)
from .models import (
    Achievement,
    AchievementPhoto,
    MentoringPair,
    MentoringStatus,
    Studio,
    StudioMember,
)

VIEW = "studios.view_studio"
ADD = "studios.add_studio"
CHANGE = "studios.change_studio"
VIEW_PAIR = "studios.view_mentoringpair"
ADD_PAIR = "studios.add_mentoringpair"
CHANGE_PAIR = "studios.change_mentoringpair"


def _scoped(model, user, pk):
    return get_object_or_404(model.objects.for_user(user), pk=pk)


# --- Studios -------------------------------------------------------------------------------


class StudioList(ObjectListView):
    model = Studio
    permission_required = VIEW
    title = gettext_lazy("Innovation studios")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("employer.name", gettext_lazy("employer")),
        Column("employer.township.name", gettext_lazy("township / street")),
        Column("leader.name", gettext_lazy("leader")),
        Column("level", gettext_lazy("level")),
        Column("founded_on", gettext_lazy("founded on")),
        Column("n_members", gettext_lazy("members")),
        Column("n_achievements", gettext_lazy("achievements")),
    ]
    search_fields = ("name__icontains", "employer__name__icontains")
    filter_form_class = StudioFilterForm
    create_url_name = "studios:create"
    create_permission = ADD
    export_stem = "innovation-studios"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("employer", "employer__township", "leader")
            .annotate(
                n_members=Count(
                    "memberships", filter=Q(memberships__left_on__isnull=True), distinct=True
                ),
                n_achievements=Count("achievements", distinct=True),
            )
            .order_by("name", "pk")
        )


class StudioDetail(ObjectDetailView):
    model = Studio
    permission_required = VIEW
    template_name = "studios/studio_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("employer", "employer__township", "leader")

    def get_context_data(self, **kwargs):
        studio = self.object
        user = self.request.user
        editable = user.has_perm(CHANGE)
        achievements = studio.achievements.prefetch_related(
            "photos", Prefetch("credited", to_attr="credited_people")
        ).order_by("-year", "-pk")
        return super().get_context_data(
            title=studio.name,
            titles=selectors.leader_titles(studio.leader),
            members=studio.memberships.select_related("person").order_by(
                "left_on", "joined_on", "pk"
            ),
            achievements=achievements,
            pairs=MentoringPair.objects.for_user(user)
            .filter(studio=studio)
            .select_related("mentor", "apprentice"),
            editable=editable,
            member_form=MemberForm(user=user, initial={"joined_on": timezone.localdate()})
            if editable
            else None,
            leave_form=LeaveForm(initial={"left_on": timezone.localdate()}) if editable else None,
            **kwargs,
        )


class StudioCreate(ServiceFormView):
    permission_required = ADD
    form_class = StudioForm
    title = gettext_lazy("New innovation studio")

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        employer = self.request.GET.get("employer")
        if employer and employer.isdigit():
            kwargs.setdefault("initial", {})["employer"] = int(employer)
        return kwargs

    def perform(self, form):
        studio = services.studio_create(by=self.request.user, **form.service_data())
        messages.success(self.request, _("Studio recorded."))
        return studio


class StudioUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = StudioForm

    def get_object(self):
        return _scoped(Studio, self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def perform(self, form):
        studio = services.studio_update(
            by=self.request.user, studio=self.object, **form.service_data()
        )
        messages.success(self.request, _("Changes saved."))
        return studio


class StudioMemberAdd(StaffPermissionMixin, View):
    """POST only, from the studio's page: a refusal is shown there."""

    permission_required = CHANGE

    def post(self, request, pk):
        studio = _scoped(Studio, request.user, pk)
        form = MemberForm(request.POST, user=request.user)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(studio.get_absolute_url())
        with refusals_shown(request):
            services.studio_member_add(by=request.user, studio=studio, **form.service_data())
            messages.success(request, _("Member added."))
        return redirect(studio.get_absolute_url())


class StudioMemberLeave(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        member = _scoped(StudioMember, request.user, pk)
        form = LeaveForm(request.POST)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(member.studio.get_absolute_url())
        with refusals_shown(request):
            services.studio_member_leave(by=request.user, member=member, **form.cleaned_data)
            messages.success(request, _("The member's leaving is recorded."))
        return redirect(member.studio.get_absolute_url())


# --- Achievements --------------------------------------------------------------------------


class AchievementCreate(ServiceFormView):
    permission_required = CHANGE
    form_class = AchievementForm
    template_name = "studios/achievement_form.html"

    def get_object(self):
        return _scoped(Studio, self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "studio": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("New achievement of %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        achievement = services.achievement_create(
            by=self.request.user, studio=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Achievement recorded."))
        return achievement


class AchievementUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = AchievementForm
    template_name = "studios/achievement_form.html"

    def get_object(self):
        return get_object_or_404(
            Achievement.objects.for_user(self.request.user).select_related("studio"),
            pk=self.kwargs["pk"],
        )

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "studio": self.object.studio,
        }

    def initial_from(self, record):
        initial = super().initial_from(record)
        initial.pop("photos", None)  # a file input never shows stored files
        initial["credited"] = list(record.credited.values_list("pk", flat=True))
        return initial

    def perform(self, form):
        achievement = services.achievement_update(
            by=self.request.user, achievement=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return achievement


class AchievementPhotoView(StaffPermissionMixin, View):
    """A photo of an achievement, only for users who see its studio (404 otherwise)."""

    permission_required = VIEW

    def get(self, request, pk):
        photo = _scoped(AchievementPhoto, request.user, pk)
        return photo_response(photo)


class AchievementPhotoRemove(StaffPermissionMixin, View):
    """Remove one photo of an achievement (the page asks to confirm before posting);
    the file leaves storage once the removal is committed."""

    permission_required = CHANGE

    def post(self, request, pk):
        photo = _scoped(AchievementPhoto, request.user, pk)
        achievement = photo.achievement
        with refusals_shown(request):
            services.achievement_photo_delete(by=request.user, photo=photo)
            messages.success(request, _("The photo is removed."))
        return redirect(achievement.get_absolute_url())


def photo_response(photo: AchievementPhoto):
    try:
        handle = photo.image.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response


class Showcase(ObjectListView):
    """The showcase (成果展示): published achievements, with filters and export."""

    model = Achievement
    permission_required = VIEW
    title = gettext_lazy("Showcase of achievements")
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("kind", gettext_lazy("kind")),
        Column("patent_number", gettext_lazy("patent number")),
        Column("year", gettext_lazy("year")),
        Column("benefit", gettext_lazy("economic benefit claimed (yuan)")),
        Column("studio.name", gettext_lazy("studio")),
        Column("studio.level", gettext_lazy("studio level")),
        Column("studio.employer.name", gettext_lazy("employer")),
        Column("studio.employer.township.name", gettext_lazy("township / street")),
        Column("studio.employer.industry", gettext_lazy("industry")),
    ]
    search_fields = ("title__icontains", "studio__name__icontains")
    filter_form_class = ShowcaseFilterForm
    export_stem = "achievements-showcase"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .published()
            .select_related("studio", "studio__employer", "studio__employer__township")
            .order_by("-year", "-pk")
        )


# --- Mentoring -----------------------------------------------------------------------------


class PairList(ObjectListView):
    model = MentoringPair
    permission_required = VIEW_PAIR
    title = gettext_lazy("Mentoring pairs")
    columns = [
        Column("mentor.name", gettext_lazy("mentor"), link=True),
        Column("apprentice.name", gettext_lazy("apprentice")),
        Column("trade", gettext_lazy("trade")),
        Column("studio.name", gettext_lazy("studio")),
        Column("union.name", gettext_lazy("union")),
        Column("starts_on", gettext_lazy("agreement starts on")),
        Column("ends_on", gettext_lazy("agreement ends on")),
        Column("status", gettext_lazy("status")),
        Column("level_reached", gettext_lazy("skill level reached")),
    ]
    search_fields = ("mentor__name__icontains", "apprentice__name__icontains", "trade__icontains")
    filter_form_class = PairFilterForm
    create_url_name = "studios:pair-create"
    create_permission = ADD_PAIR
    export_stem = "mentoring-pairs"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("mentor", "apprentice", "studio", "union")
            .order_by("-starts_on", "-pk")
        )


class PairDetail(ObjectDetailView):
    model = MentoringPair
    permission_required = VIEW_PAIR
    template_name = "studios/pair_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("mentor", "apprentice", "studio", "union", "evaluated_by")
        )

    def get_context_data(self, **kwargs):
        pair = self.object
        return super().get_context_data(
            title=str(pair),
            evaluable=pair.status == MentoringStatus.ACTIVE
            and self.request.user.has_perm(CHANGE_PAIR),
            **kwargs,
        )


class PairCreate(ServiceFormView):
    permission_required = ADD_PAIR
    form_class = PairForm
    title = gettext_lazy("New mentoring pair")

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user}
        studio = self.request.GET.get("studio")
        if studio and studio.isdigit():
            kwargs.setdefault("initial", {})["studio"] = int(studio)
        return kwargs

    def perform(self, form):
        pair = services.mentoring_pair_create(by=self.request.user, **form.service_data())
        messages.success(self.request, _("Mentoring pair recorded."))
        return pair


class PairEvaluate(ServiceFormView):
    """The evaluation that closes a pair; a closed pair shows its evaluation instead."""

    permission_required = CHANGE_PAIR
    form_class = EvaluateForm

    def get_object(self):
        return _scoped(MentoringPair, self.request.user, self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object.status != MentoringStatus.ACTIVE:
            messages.info(request, _("This pair has already been evaluated."))
            return redirect(self.object.get_absolute_url())
        return super(ServiceFormView, self).get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Evaluate %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        pair = services.mentoring_pair_evaluate(
            by=self.request.user, pair=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Evaluation recorded."))
        return pair


class Outcomes(StaffPermissionMixin, View):
    """Outcomes of mentoring by studio and by union, in the user's scope; ``?export=xlsx``
    gives both tables as two sheets."""

    permission_required = VIEW_PAIR

    def headers(self):
        return [
            _("pairs"),
            _("completed"),
            _("apprentices at senior worker level or above"),
        ]

    def get(self, request):
        outcomes = selectors.mentoring_outcomes(request.user)
        if request.GET.get("export") == "xlsx":
            return self.export(outcomes)
        return render(
            request,
            "studios/outcomes.html",
            {"title": _("Mentoring outcomes"), "outcomes": outcomes, "headers": self.headers()},
        )

    def export(self, outcomes) -> HttpResponse:
        counts = self.headers()
        stamp = formats.date_format(timezone.localtime(), "DATETIME_FORMAT")

        def rows(lines, with_detail):
            for line in lines:
                head = [line.name, line.detail] if with_detail else [line.name]
                yield [*head, line.pairs, line.completed, line.high_skilled]

        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        filename = exports.xlsx_filename("mentoring-outcomes")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.write_xlsx_sheets(
            response,
            [
                (
                    _("By studio"),
                    [_("studio"), _("employer"), *counts],
                    rows(outcomes.by_studio, True),
                ),
                (_("By union"), [_("union"), *counts], rows(outcomes.by_union, False)),
                (
                    _("Exported"),
                    [_("exported at"), _("by")],
                    [[stamp, request_user_name(self.request)]],
                ),
            ],
        )
        return response


def request_user_name(request) -> str:
    return request.user.get_username()
