"""Console pages of skill levels: thin, every record through the scope rule."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from gonghui.core import exports
from gonghui.core.views import (
    Column,
    ObjectListView,
    RecordFormView,
    ServiceFormView,
    StaffPermissionMixin,
)
from gonghui.people.models import Person

from . import selectors, services
from .forms import SkillFilterForm, SkillRecordForm
from .models import SkillLevel, SkillRecord

VIEW = "skills.view_skillrecord"
ADD = "skills.add_skillrecord"
CHANGE = "skills.change_skillrecord"
DELETE = "skills.delete_skillrecord"


class SkillRecordList(ObjectListView):
    model = SkillRecord
    permission_required = VIEW
    title = gettext_lazy("Skill records")
    columns = [
        Column("person.name", gettext_lazy("person"), link=True),
        Column("trade", gettext_lazy("trade")),
        Column("level", gettext_lazy("skill level")),
        Column("certificate_number", gettext_lazy("certificate number")),
        Column("certified_on", gettext_lazy("certified on")),
        Column("issuing_body", gettext_lazy("issued by")),
        Column("person.employer.name", gettext_lazy("employer")),
        Column("person.employer.township.name", gettext_lazy("township / street")),
        Column("source", gettext_lazy("source")),
    ]
    search_fields = ("person__name__startswith", "trade__startswith", "certificate_number__iexact")
    filter_form_class = SkillFilterForm
    export_stem = "skill-records"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("person__employer__township")
            .order_by("-certified_on", "-pk")
        )


def _person(user, pk: int) -> Person:
    return get_object_or_404(Person.objects.for_user(user), pk=pk)


class SkillRecordCreate(ServiceFormView):
    """A level recorded on a worker's file (opened from the file)."""

    permission_required = ADD
    form_class = SkillRecordForm

    def get_object(self):
        self.person = _person(self.request.user, self.kwargs["person"])
        return None

    form_takes_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record a skill level for %(name)s") % {"name": self.person.name},
            object=self.person,
            **kwargs,
        )

    def perform(self, form):
        record = services.skill_record_add(
            by=self.request.user, person=self.person, **form.service_kwargs()
        )
        messages.success(self.request, _("Skill level recorded."))
        return record


def _record(user, pk: int) -> SkillRecord:
    return get_object_or_404(SkillRecord.objects.for_user(user).select_related("person"), pk=pk)


class SkillRecordUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = SkillRecordForm

    def get_object(self):
        return _record(self.request.user, self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit the skill record of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        record = services.skill_record_change(
            by=self.request.user, record=self.object, **form.service_kwargs()
        )
        messages.success(self.request, _("Changes saved."))
        return record


class SkillRecordRemove(ServiceFormView):
    """Remove a record entered in error, after a confirmation."""

    permission_required = DELETE
    form_class = forms.Form
    template_name = "skills/record_remove.html"

    def get_object(self):
        return _record(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Remove the skill record of %(name)s") % {"name": self.object.person.name},
            **kwargs,
        )

    def perform(self, form):
        services.skill_record_remove(by=self.request.user, record=self.object)
        messages.success(self.request, _("Skill record removed."))
        return self.object

    def get_success_url(self):
        return self.object.get_absolute_url()


def _counts_rows(rows) -> list[list]:
    return [
        [row.label, *row.levels, row.skilled, row.high_skilled, row.high_share or 0] for row in rows
    ]


#: Rows of a table shown on the page; the export holds them all (a county has
#: hundreds of unions, and a page of thousands of rows takes seconds to draw).
SHOWN_ROWS = 50


class SkillCounts(StaffPermissionMixin, View):
    """Skilled and highly skilled workers in the user's scope, with an Excel export."""

    permission_required = VIEW

    def get(self, request):
        report = selectors.skill_counts(request.user)
        if request.GET.get("export") == "xlsx":
            return self.export(report)
        return render(
            request,
            "skills/counts.html",
            {
                "title": _("Skilled workers"),
                "report": report,
                "levels": SkillLevel.choices,
                "shown_rows": SHOWN_ROWS,
            },
        )

    def export(self, report) -> HttpResponse:
        headers = [
            _("group"),
            *(str(label) for _value, label in SkillLevel.choices),
            _("skilled workers"),
            _("highly skilled workers"),
            _("share highly skilled"),
        ]
        stamp = _("exported %(time)s by %(user)s") % {
            "time": formats.date_format(timezone.localtime(), "DATETIME_FORMAT"),
            "user": self.request.user.get_username(),
        }
        sheets = [
            (sheet, headers, [*_counts_rows(rows), *_counts_rows([report.total]), [stamp]])
            for _heading, sheet, rows in report.tables()
        ]
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        filename = exports.xlsx_filename("skilled-workers")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        exports.write_xlsx_sheets(response, sheets)
        return response
