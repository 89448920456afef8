"""Roster pages: upload a roster to import in the background, export the member roster.

Both reach organisations only through ``Organisation.objects.for_user``: a
union or organisation outside the user's subtree is not among the choices, and
a forged choice is refused by the form (and again by the service).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic.edit import FormView

from gonghui.core import exports
from gonghui.core.views import ServiceFormView, StaffPermissionMixin
from gonghui.jobs.models import Job

from .roster import columns
from .roster.forms import RosterExportForm, RosterImportForm
from .roster.services import (
    IMPORT_JOB,
    roster_export,
    roster_export_start,
    roster_import_run,
    roster_import_start,
    roster_queryset,
)
from .roster.template import roster_template


class RosterImport(ServiceFormView):
    """The upload form; the import runs as a background job whose page shows its progress."""

    permission_required = "people.add_person"
    form_class = RosterImportForm
    template_name = "people/roster/import.html"
    title = _("Import a roster")

    form_takes_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            synonyms=[
                (
                    columns.FIELD_LABELS[name],
                    "、".join([s for s in spellings if not s.isascii()][:4]),
                )
                for name, spellings in columns.SYNONYMS.items()
                if name not in (columns.SEQUENCE, columns.OTHER)
            ],
            **kwargs,
        )

    def perform(self, form):
        return roster_import_start(
            by=self.request.user,
            union=form.cleaned_data["union"],
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )

    def get_success_url(self):
        return reverse("jobs:detail", args=[self.object.pk])


class RosterImportRun(StaffPermissionMixin, View):
    """POST only: import for real the roster one's own dry run checked, from its kept file."""

    permission_required = "people.add_person"

    def post(self, request, pk):
        checked = get_object_or_404(Job, pk=pk, started_by=request.user, kind=IMPORT_JOB)
        try:
            job = roster_import_run(by=request.user, checked=checked)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("jobs:detail", pk=checked.pk)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect("jobs:detail", pk=checked.pk)
        return redirect("jobs:detail", pk=job.pk)


class RosterTemplate(StaffPermissionMixin, View):
    """The template workbook: the column names the import reads, an example row, notes."""

    permission_required = "people.add_person"

    def get(self, request):
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = 'attachment; filename="roster-template.xlsx"'
        roster_template(response)
        return response


class RosterExport(StaffPermissionMixin, FormView):
    """The member roster of an organisation in the user's scope, as Excel.

    Small rosters download at once; larger ones are written by a background job.
    """

    permission_required = "people.view_person"
    form_class = RosterExportForm
    template_name = "people/roster/export.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Export the member roster"), **kwargs)

    def form_valid(self, form):
        user = self.request.user
        organisation = form.cleaned_data["organisation"]
        full_numbers = bool(form.cleaned_data.get("full_numbers"))
        ip_address = self.request.META.get("REMOTE_ADDR")
        if roster_queryset(by=user, organisation=organisation).count() > (
            settings.EXPORT_INLINE_MAX_ROWS
        ):
            job = roster_export_start(
                by=user,
                organisation=organisation,
                full_numbers=full_numbers,
                ip_address=ip_address,
            )
            return redirect("jobs:detail", pk=job.pk)
        response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
        filename = exports.xlsx_filename("member-roster")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        roster_export(
            by=user,
            organisation=organisation,
            full_numbers=full_numbers,
            target=response,
            ip_address=ip_address,
        )
        return response
