"""Console pages of titles, nominations, care for model workers, stories and activities.

Every record is reached through ``Model.objects.for_user(user)``: outside the user's
subtree a nomination, a holder or a story does not exist (404). The illness of a
model worker is shown only to holders of ``honours.view_sensitive_care``; showing
it is logged like a reveal (auditlog's ``accessed``), as the needy files do.
"""

from __future__ import annotations

from auditlog.signals import accessed
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from gonghui.core.views import (
    Column,
    ObjectDetailView,
    ObjectListView,
    ServiceFormView,
)
from gonghui.people.models import Person

from . import care, services
from .forms import (
    ActivityForm,
    CareFilterForm,
    CareGivenForm,
    CareRuleForm,
    ConditionEndForm,
    ConditionForm,
    ConfirmForm,
    HoldingFilterForm,
    HoldingForm,
    NominationForm,
    NoticeForm,
    NoticeSettingsForm,
    ObjectionAnswerForm,
    ObjectionRecordForm,
    PublishForm,
    ReasonForm,
    ResubmitForm,
    ReviewForm,
    StoryForm,
    TitleForm,
)
from .models import (
    HEALTH_CONDITIONS,
    Activity,
    CareKind,
    CareRule,
    HolderCondition,
    Nomination,
    NominationStatus,
    Story,
    Title,
    TitleHolding,
)

VIEW = "honours.view_titleholding"
VIEW_NOMINATIONS = "honours.view_nomination"
NOMINATE = "honours.nominate"
REVIEW = "honours.review_nomination"
CONFIGURE = "honours.configure_honours"
MANAGE_CARE = "honours.manage_care"
SENSITIVE = "honours.view_sensitive_care"
FORM_TEMPLATE = "honours/form.html"


class HonoursForm(ServiceFormView):
    template_name = FORM_TEMPLATE

    def form_kwargs_extra(self) -> dict:
        return {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), **self.form_kwargs_extra()}


# --- Titles held -----------------------------------------------------------------------


class HoldingList(ObjectListView):
    model = TitleHolding
    permission_required = VIEW
    title = gettext_lazy("Titles held")
    columns = [
        Column("holder_name", gettext_lazy("holder")),
        Column("title.name", gettext_lazy("title")),
        Column("title.level", gettext_lazy("level")),
        Column("year", gettext_lazy("year")),
        Column("conferred_on", gettext_lazy("conferred on")),
        Column("source", gettext_lazy("source")),
        Column("document_number", gettext_lazy("document number")),
    ]
    search_fields = ("person__name__icontains", "employer__name__icontains")
    filter_form_class = HoldingFilterForm
    create_url_name = "honours:holding-create"
    create_permission = "honours.add_titleholding"
    export_stem = "titles-held"

    def get_queryset(self):
        return super().get_queryset().select_related("title", "person", "employer")


class HoldingCreate(HonoursForm):
    permission_required = "honours.add_titleholding"
    form_class = HoldingForm
    title = gettext_lazy("Record a title conferred from above")

    def form_kwargs_extra(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        holding = services.holding_record(
            by=self.request.user,
            title=data["title"],
            year=data["year"],
            conferred_on=data["conferred_on"],
            person=data.get("person"),
            employer=data.get("employer"),
            team_name=data.get("team_name", ""),
            document_number=data.get("document_number", ""),
        )
        messages.success(self.request, _("Title recorded."))
        return holding


# --- Configuration ---------------------------------------------------------------------


class TitleList(ObjectListView):
    model = Title
    permission_required = CONFIGURE
    title = gettext_lazy("Titles")
    columns = [
        Column("name", gettext_lazy("name")),
        Column("level", gettext_lazy("level")),
        Column("holder_kind", gettext_lazy("held by")),
        Column("active", gettext_lazy("in use")),
    ]
    create_url_name = "honours:title-create"
    template_name = "honours/title_list.html"

    def get_queryset(self):
        # Titles are the county's vocabulary: one list for everyone who configures it.
        return Title.objects.all()


def _named_by_query(model, request):
    """The record named by ``?pk=``: a missing or malformed number is a 404, not a 500."""
    pk = request.GET.get("pk", "")
    if not pk.isdigit():
        raise Http404
    return get_object_or_404(model, pk=int(pk))


class TitleCreate(HonoursForm):
    permission_required = CONFIGURE
    form_class = TitleForm
    title = gettext_lazy("Add a title")

    def perform(self, form):
        return services.title_save(by=self.request.user, **form.cleaned_data)


class TitleUpdate(HonoursForm):
    permission_required = CONFIGURE
    form_class = TitleForm
    title = gettext_lazy("Edit the title")

    def get_object(self):
        # Titles are the county's one vocabulary: named by ``?pk=``, not by a scoped path.
        return _named_by_query(Title, self.request)

    def get_initial(self):
        title = self.object
        return {
            "name": title.name,
            "level": title.level,
            "holder_kind": title.holder_kind,
            "active": title.active,
        }

    def perform(self, form):
        return services.title_save(by=self.request.user, title=self.object, **form.cleaned_data)


class NoticeSettingsUpdate(HonoursForm):
    permission_required = CONFIGURE
    form_class = NoticeSettingsForm
    title = gettext_lazy("Public notice of nominations")

    def get_initial(self):
        return {"notice_days": services.notice_days()}

    def perform(self, form):
        services.notice_days_set(by=self.request.user, days=form.cleaned_data["notice_days"])
        messages.success(self.request, _("Changes saved."))
        return None

    def get_success_url(self):
        return reverse("honours:nomination-list")


class RuleList(ObjectListView):
    model = CareRule
    permission_required = "honours.view_carerule"
    title = gettext_lazy("Care rules")
    columns = [
        Column("title.name", gettext_lazy("title")),
        Column("kind", gettext_lazy("kind")),
        Column("frequency", gettext_lazy("how often")),
        Column("amount", gettext_lazy("amount (yuan)")),
        Column("active", gettext_lazy("in use")),
    ]
    create_url_name = "honours:rule-create"
    create_permission = CONFIGURE
    template_name = "honours/rule_list.html"

    def get_queryset(self):
        return CareRule.objects.select_related("title")


class RuleCreate(HonoursForm):
    permission_required = CONFIGURE
    form_class = CareRuleForm
    title = gettext_lazy("Add a care rule")

    def perform(self, form):
        return services.care_rule_save(by=self.request.user, **form.cleaned_data)


class RuleUpdate(HonoursForm):
    permission_required = CONFIGURE
    form_class = CareRuleForm
    title = gettext_lazy("Edit the care rule")

    def get_object(self):
        # Rules belong to the county's titles: named by ``?pk=``, not by a scoped path.
        return _named_by_query(CareRule, self.request)

    def get_initial(self):
        rule = self.object
        return {
            "title": rule.title_id,
            "kind": rule.kind,
            "frequency": rule.frequency,
            "amount": rule.amount,
            "active": rule.active,
        }

    def perform(self, form):
        return services.care_rule_save(by=self.request.user, rule=self.object, **form.cleaned_data)


# --- Nominations -----------------------------------------------------------------------


class NominationList(ObjectListView):
    model = Nomination
    permission_required = VIEW_NOMINATIONS
    title = gettext_lazy("Nominations")
    columns = [
        Column("holder_name", gettext_lazy("nominee"), link=True),
        Column("title.name", gettext_lazy("title")),
        Column("year", gettext_lazy("year")),
        Column("organisation.name", gettext_lazy("nominating union")),
        Column("status", gettext_lazy("status")),
        Column("awaiting.name", gettext_lazy("awaiting review by")),
        Column("notice_ends_on", gettext_lazy("notice ends on")),
    ]
    search_fields = ("person__name__icontains", "employer__name__icontains")
    create_url_name = "honours:nomination-create"
    create_permission = NOMINATE
    export_stem = "nominations"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("title", "person", "employer", "organisation", "awaiting")
        )


class NominationCreate(HonoursForm):
    permission_required = NOMINATE
    form_class = NominationForm
    title = gettext_lazy("Nominate for a title")

    def form_kwargs_extra(self):
        return {"user": self.request.user}

    def perform(self, form):
        data = form.cleaned_data
        nomination = services.nomination_create(
            by=self.request.user,
            title=data["title"],
            year=data["year"],
            person=data.get("person"),
            employer=data.get("employer"),
            team_name=data.get("team_name", ""),
            reasons=data["reasons"],
            deeds=data["deeds"],
            evidence=data.get("evidence") or (),
        )
        messages.success(self.request, _("Nomination submitted for review."))
        return nomination


class NominationDetail(ObjectDetailView):
    model = Nomination
    permission_required = VIEW_NOMINATIONS
    template_name = "honours/nomination_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("title", "person", "employer", "organisation", "awaiting")
        )

    def get_context_data(self, **kwargs):
        nomination, user = self.object, self.request.user
        today = timezone.localdate()
        top = user.has_perm(REVIEW) and services._at_top(user)
        return super().get_context_data(
            title=str(nomination),
            steps=nomination.steps.select_related("by", "organisation"),
            evidence=nomination.evidence.all(),
            objections=nomination.objections.all(),
            chain=services.review_chain(nomination.organisation),
            may_review=services.may_review(user, nomination),
            may_resubmit=nomination.status == NominationStatus.RETURNED and user.has_perm(NOMINATE),
            may_start_notice=top and nomination.status == NominationStatus.APPROVED,
            may_answer=top,
            may_confirm=top
            and nomination.status == NominationStatus.NOTICE
            and nomination.notice_ends_on < today,
            notice_running=nomination.status == NominationStatus.NOTICE
            and nomination.notice_starts_on <= today <= nomination.notice_ends_on,
            may_withdraw=nomination.status
            in (NominationStatus.REVIEW, NominationStatus.RETURNED, NominationStatus.APPROVED)
            and user.has_perm(NOMINATE),
            **kwargs,
        )


class NominationAction(HonoursForm):
    """A form about one nomination, which comes through the scope (404 outside it)."""

    permission_required = VIEW_NOMINATIONS
    heading = ""

    def get_object(self):
        return get_object_or_404(
            Nomination.objects.for_user(self.request.user), pk=self.kwargs["pk"]
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=f"{self.heading} · {self.object}", nomination=self.object, **kwargs
        )

    def get_success_url(self):
        return self.object.get_absolute_url()


class NominationReview(NominationAction):
    permission_required = REVIEW
    form_class = ReviewForm
    heading = gettext_lazy("Review")

    def perform(self, form):
        data = form.cleaned_data
        if data["decision"] == "approve":
            services.nomination_approve(
                by=self.request.user, nomination=self.object, comment=data["comment"]
            )
        else:
            services.nomination_return(
                by=self.request.user, nomination=self.object, comment=data["comment"]
            )
        return self.object


class NominationResubmit(NominationAction):
    permission_required = NOMINATE
    form_class = ResubmitForm
    heading = gettext_lazy("Submit again")

    def get_initial(self):
        return {"reasons": self.object.reasons, "deeds": self.object.deeds}

    def perform(self, form):
        data = form.cleaned_data
        return services.nomination_resubmit(
            by=self.request.user,
            nomination=self.object,
            reasons=data["reasons"],
            deeds=data["deeds"],
            evidence=data.get("evidence") or (),
            comment=data["comment"],
        )


class NominationNotice(NominationAction):
    permission_required = REVIEW
    form_class = NoticeForm
    heading = gettext_lazy("Start the public notice")

    def perform(self, form):
        nomination = services.nomination_start_notice(
            by=self.request.user,
            nomination=self.object,
            starts_on=form.cleaned_data.get("starts_on"),
        )
        messages.success(self.request, _("The nomination is on public notice."))
        return nomination


class ObjectionRecord(NominationAction):
    permission_required = REVIEW
    form_class = ObjectionRecordForm
    heading = gettext_lazy("Record an objection received")

    def perform(self, form):
        services.nomination_objection_record(
            by=self.request.user, nomination=self.object, **form.cleaned_data
        )
        return self.object


class ObjectionAnswer(NominationAction):
    permission_required = REVIEW
    form_class = ObjectionAnswerForm
    heading = gettext_lazy("Answer the objection")

    def get_object(self):
        nomination = super().get_object()
        self.objection = get_object_or_404(nomination.objections, pk=self.kwargs["objection"])
        return nomination

    def get_context_data(self, **kwargs):
        return super().get_context_data(objection=self.objection, **kwargs)

    def perform(self, form):
        services.nomination_objection_answer(
            by=self.request.user, objection=self.objection, **form.cleaned_data
        )
        return self.object


class NominationConfirm(NominationAction):
    permission_required = REVIEW
    form_class = ConfirmForm
    heading = gettext_lazy("Confirm the title")

    def perform(self, form):
        services.nomination_confirm(
            by=self.request.user,
            nomination=self.object,
            document_number=form.cleaned_data["document_number"],
        )
        messages.success(self.request, _("The title is confirmed."))
        return self.object


class NominationWithdraw(NominationAction):
    permission_required = NOMINATE
    form_class = ReasonForm
    heading = gettext_lazy("Withdraw the nomination")

    def perform(self, form):
        return services.nomination_withdraw(
            by=self.request.user, nomination=self.object, reason=form.cleaned_data["reason"]
        )


class EvidenceDownload(NominationDetail):
    """An evidence file, only for users who see its nomination (404 otherwise)."""

    def get(self, request, pk, evidence):
        nomination = get_object_or_404(self.get_queryset(), pk=pk)
        item = get_object_or_404(nomination.evidence, pk=evidence)
        try:
            handle = item.file.open("rb")
        except FileNotFoundError:
            raise Http404(_("The file is missing from storage.")) from None
        return FileResponse(
            handle, as_attachment=True, filename=item.original_name, content_type=item.content_type
        )


# --- Care ------------------------------------------------------------------------------


def holders_for(user):
    """The people holding a title whom ``user`` sees."""
    return (
        Person.objects.for_user(user)
        .filter(pk__in=TitleHolding.objects.filter(person__isnull=False).values("person_id"))
        .select_related("current_union", "employer__union")
    )


def due_label(item: care.CareDue, sensitive: bool) -> str:
    if item.rule.kind == CareKind.ILLNESS_VISIT and not sensitive:
        return _("A care visit (health detail withheld)")
    return item.rule.get_kind_display()


class CareList(ObjectListView):
    """Model workers by the union responsible for their care, with care overdue."""

    model = Person
    permission_required = "honours.view_carerule"
    title = gettext_lazy("Care for model workers")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("current_union.name", gettext_lazy("union")),
        Column("employer.name", gettext_lazy("employer")),
        Column("employer.union.name", gettext_lazy("employer's union")),
    ]
    search_fields = ("name__icontains",)
    filter_form_class = CareFilterForm
    export_stem = "model-worker-care"
    template_name = "honours/care_list.html"

    def get_queryset(self):
        queryset = holders_for(self.request.user).order_by("name", "pk")
        term = self.search_query()
        if term:
            queryset = self.apply_search(queryset, term)
        form = self.filter_form
        if form is not None and form.is_valid():
            queryset = form.filter(queryset)
        return queryset


class CarePerson(ObjectDetailView):
    """One model worker: titles, care owed and overdue, care given, conditions."""

    model = Person
    permission_required = "honours.view_carerule"
    template_name = "honours/care_person.html"

    def get_queryset(self):
        return holders_for(self.request.user)

    def get_context_data(self, **kwargs):
        person, user = self.object, self.request.user
        sensitive = user.has_perm(SENSITIVE)
        conditions = list(HolderCondition.objects.filter(person=person))
        shown = [c for c in conditions if sensitive or c.kind not in HEALTH_CONDITIONS]
        if sensitive and len(shown) != len(
            [c for c in conditions if c.kind not in HEALTH_CONDITIONS]
        ):
            # A health condition was shown: recorded like a reveal.
            accessed.send(Person, instance=person)
        due = care.care_due([person.pk], timezone.localdate()).get(person.pk, [])
        from .models import CareGiven

        given = CareGiven.objects.filter(person=person).select_related("rule", "by")
        return super().get_context_data(
            title=_("Care for %(name)s") % {"name": person.name},
            holdings=TitleHolding.objects.held_by_person(person),
            due=[(item, due_label(item, sensitive)) for item in due],
            given=[
                (
                    g,
                    due_label(
                        care.CareDue(person.pk, g.rule, g.period_start, g.given_on, False),
                        sensitive,
                    ),
                )
                for g in given
            ],
            conditions=shown,
            withheld=len(conditions) - len(shown),
            can_manage=user.has_perm(MANAGE_CARE),
            **kwargs,
        )


class CareFormBase(HonoursForm):
    permission_required = MANAGE_CARE

    def get_object(self):
        return get_object_or_404(holders_for(self.request.user), pk=self.kwargs["pk"])

    def get_success_url(self):
        return reverse("honours:care-person", args=[self.object.pk])


class CareRecord(CareFormBase):
    form_class = CareGivenForm

    def dues(self):
        sensitive = self.request.user.has_perm(SENSITIVE)
        items = care.care_due([self.object.pk], timezone.localdate()).get(self.object.pk, [])
        return {
            f"{item.rule.pk}:{item.period_start.isoformat()}": (item, due_label(item, sensitive))
            for item in items
        }

    def form_kwargs_extra(self):
        return {
            "choices": [
                (key, f"{label} · {item.period_start.isoformat()}")
                for key, (item, label) in self.dues().items()
            ]
        }

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record care given to %(name)s") % {"name": self.object.name}, **kwargs
        )

    def perform(self, form):
        data = form.cleaned_data
        item, _label = self.dues()[data["due"]]
        services.care_record(
            by=self.request.user,
            person=self.object,
            rule=item.rule,
            period_start=item.period_start,
            given_on=data["given_on"],
            amount=data.get("amount"),
            what=data.get("what", ""),
        )
        messages.success(self.request, _("Care recorded."))
        return self.object


class ConditionRecord(CareFormBase):
    form_class = ConditionForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a condition of %(name)s") % {"name": self.object.name}, **kwargs
        )

    def perform(self, form):
        services.condition_record(by=self.request.user, person=self.object, **form.cleaned_data)
        return self.object


class ConditionEnd(CareFormBase):
    form_class = ConditionEndForm

    def get_object(self):
        person = super().get_object()
        self.condition = get_object_or_404(
            HolderCondition.objects.filter(person=person), pk=self.kwargs["condition"]
        )
        if self.condition.kind in HEALTH_CONDITIONS and not self.request.user.has_perm(SENSITIVE):
            raise Http404
        return person

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("End the condition of %(name)s") % {"name": self.object.name}, **kwargs
        )

    def perform(self, form):
        services.condition_end(
            by=self.request.user, condition=self.condition, until=form.cleaned_data["until"]
        )
        return self.object


# --- Stories and activities ------------------------------------------------------------


class StoryList(ObjectListView):
    model = Story
    permission_required = "honours.view_story"
    title = gettext_lazy("Stories of model workers")
    columns = [
        Column("headline", gettext_lazy("headline"), link=True),
        Column("person.name", gettext_lazy("model worker")),
        Column("published_on", gettext_lazy("published on")),
        Column("withdrawn_on", gettext_lazy("withdrawn on")),
    ]
    search_fields = ("headline__icontains", "person__name__icontains")
    create_url_name = "honours:story-create"
    create_permission = "honours.add_story"

    def get_queryset(self):
        return super().get_queryset().select_related("person")


def _story_person(user, pk):
    person = Person.objects.for_user(user).filter(pk=pk).first()
    if person is None:
        from django.core.exceptions import ValidationError

        raise ValidationError({"person": _("No person of that number in your scope.")})
    return person


class StoryCreate(HonoursForm):
    permission_required = "honours.add_story"
    form_class = StoryForm
    title = gettext_lazy("Write a story")

    def perform(self, form):
        data = form.cleaned_data
        return services.story_save(
            by=self.request.user,
            person=_story_person(self.request.user, data["person"]),
            headline=data["headline"],
            text=data["text"],
            photo=data.get("photo"),
        )


class StoryUpdate(HonoursForm):
    permission_required = "honours.change_story"
    form_class = StoryForm
    title = gettext_lazy("Edit the story")

    def get_object(self):
        return get_object_or_404(Story.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_initial(self):
        story = self.object
        return {"person": story.person_id, "headline": story.headline, "text": story.text}

    def perform(self, form):
        data = form.cleaned_data
        return services.story_save(
            by=self.request.user,
            story=self.object,
            person=_story_person(self.request.user, data["person"]),
            headline=data["headline"],
            text=data["text"],
            photo=data.get("photo"),
        )


class StoryPublish(StoryUpdate):
    form_class = PublishForm
    title = gettext_lazy("Publish or withdraw the story")

    def get_initial(self):
        return {"publish": "0" if self.object.is_published else "1"}

    def perform(self, form):
        return services.story_publish(
            by=self.request.user, story=self.object, publish=form.cleaned_data["publish"]
        )


class PeopleColumn(Column):
    """The model workers of an activity, by name (prefetched)."""

    def value(self, obj):
        return pgettext("list separator", ", ").join(p.name for p in obj.people.all())


class ActivityList(ObjectListView):
    model = Activity
    permission_required = "honours.view_activity"
    title = gettext_lazy("Activities of model workers")
    columns = [
        Column("kind", gettext_lazy("kind")),
        Column("held_on", gettext_lazy("held on")),
        Column("place", gettext_lazy("place")),
        PeopleColumn("people", gettext_lazy("model workers")),
        Column("organisation.name", gettext_lazy("organised by")),
    ]
    search_fields = ("place__icontains",)
    create_url_name = "honours:activity-create"
    create_permission = "honours.add_activity"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation").prefetch_related("people")


class ActivityCreate(HonoursForm):
    permission_required = "honours.add_activity"
    form_class = ActivityForm
    title = gettext_lazy("Record an activity")

    def perform(self, form):
        data = form.cleaned_data
        people = list(Person.objects.for_user(self.request.user).filter(pk__in=data["people"]))
        if len(people) != len(set(data["people"])):
            from django.core.exceptions import ValidationError

            raise ValidationError({"people": _("No person of that number in your scope.")})
        services.activity_create(
            by=self.request.user,
            kind=data["kind"],
            people=people,
            place=data["place"],
            held_on=data["held_on"],
            note=data["note"],
        )
        messages.success(self.request, _("Activity recorded."))
        return None

    def get_success_url(self):
        return reverse("honours:activity-list")


# --- Sections of other pages -----------------------------------------------------------


def person_section_context(person, user) -> dict:
    return {"holdings": list(TitleHolding.objects.held_by_person(person))}


def employer_section_context(employer, user) -> dict:
    return {
        "holdings": list(
            TitleHolding.objects.filter(employer=employer, person__isnull=True)
            .select_related("title")
            .order_by("-year")
        )
    }
