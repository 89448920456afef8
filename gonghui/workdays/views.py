"""The calendar's console pages: which years are known, and entering one by hand."""

from __future__ import annotations

from django.contrib import messages
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from gonghui.core.views import ServiceFormView, StaffPermissionMixin

from . import selectors, services
from .entries import format_days
from .forms import YearForm
from .models import EnteredYear

VIEW = "workdays.view_enteredyear"


class YearList(StaffPermissionMixin, TemplateView):
    """Every year deadlines may reach, and where its holidays come from."""

    permission_required = VIEW
    template_name = "workdays/year_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        return super().get_context_data(
            title=_("Working-day calendar"),
            rows=selectors.years_overview(today),
            unconfirmed=selectors.unconfirmed_years(today),
            can_enter=self.request.user.has_perm(services.CHANGE),
            **kwargs,
        )


class YearEnter(ServiceFormView):
    """Enter a year's holidays, or correct one (``?year=2027`` opens it with its days).

    A year not entered yet opens with the package's days if it carries the year, so
    that correcting the package is changing a few lines.
    """

    permission_required = services.CHANGE
    form_class = YearForm
    template_name = "workdays/year_form.html"
    title = gettext_lazy("Enter a year's holidays")

    def requested_year(self) -> int:
        try:
            year = int(self.request.GET.get("year", ""))
        except ValueError:
            return timezone.localdate().year + 1
        return year if services.FIRST_YEAR <= year <= 2100 else timezone.localdate().year + 1

    def get_initial(self):
        year = self.requested_year()
        entered = EnteredYear.objects.filter(year=year).first()
        if entered is not None:
            return {"year": year, "note": entered.note, "days": format_days(entered.days.all())}
        return {"year": year, "days": format_days(selectors.library_days(year))}

    def perform(self, form):
        data = form.cleaned_data
        entered = services.entered_year_save(
            by=self.request.user, year=data["year"], note=data["note"], days=data["days"]
        )
        messages.success(
            self.request,
            _("The holidays of %(year)s are saved: deadlines in that year count them now.")
            % {"year": entered.year},
        )
        return entered

    def get_success_url(self):
        return reverse("workdays:year-list")
