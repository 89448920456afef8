"""Coverage pages: the figures by township, industry and group, and the employers to organise.

Both pages count only what the user's scope holds (``selectors``).
"""

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views import View

from gonghui.core.views import Column, ObjectListView, StaffPermissionMixin
from gonghui.orgs.models import Employer

from . import life, selectors
from .forms import ThresholdForm, UncoveredFilterForm
from .models import VIEW_COVERAGE


class CoverageOverview(StaffPermissionMixin, View):
    permission_required = VIEW_COVERAGE

    def get(self, request):
        form = ThresholdForm(request.GET or None)
        threshold = form.threshold()
        report = selectors.coverage_report(request.user, threshold=threshold)
        return render(
            request,
            "coverage/overview.html",
            {
                "title": _("Union coverage and membership"),
                "form": form,
                "report": report,
                "life": life.life_report(request.user),
                "tables": [
                    (_("By township or street"), report.townships, True),
                    (_("By industry (GB/T 4754 sections)"), report.industries, True),
                    (_("The eight groups of new-employment-form workers"), report.groups, False),
                ],
            },
        )


class UncoveredEmployerList(ObjectListView):
    """Employers that should have a union and have none: where to organise next."""

    model = Employer
    permission_required = VIEW_COVERAGE
    title = _("Employers without a union")
    columns = [
        Column("name", _("name"), link=True),
        Column("credit_code", _("unified social credit code")),
        Column("township.name", _("township / street")),
        Column("industry", _("industry")),
        Column("employee_count", _("employees")),
        Column("legal_representative", _("legal representative")),
        Column("address", _("address")),
    ]
    search_fields = ("name__icontains", "credit_code__iexact")
    filter_form_class = UncoveredFilterForm
    export_stem = "employers-without-union"

    def get_queryset(self):
        threshold = self.filter_form.threshold()
        return selectors.without_union(super().get_queryset(), threshold).select_related("township")
