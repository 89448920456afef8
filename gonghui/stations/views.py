"""Console pages of rest stations: thin, every record through the scope rule."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
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
from .forms import PhotoForm, StationFilterForm, StationForm, VisitForm, YearForm
from .models import Station

VIEW = "stations.view_station"
ADD = "stations.add_station"
CHANGE = "stations.change_station"


class StationList(ObjectListView):
    model = Station
    permission_required = VIEW
    title = gettext_lazy("Rest stations")
    columns = [
        Column("name", gettext_lazy("name"), link=True),
        Column("township.name", gettext_lazy("township")),
        Column("organisation.name", gettext_lazy("running organisation")),
        Column("address", gettext_lazy("address")),
        Column("hours", gettext_lazy("opening hours")),
        Column("offers_text", gettext_lazy("what it offers")),
        Column("active_text", gettext_lazy("active")),
    ]
    search_fields = ("name__icontains", "address__icontains")
    filter_form_class = StationFilterForm
    create_url_name = "stations:create"
    create_permission = ADD
    export_stem = "rest-stations"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "township")
            .order_by("township__path", "name", "pk")
        )


def _managed(user, pk: int) -> Station:
    """A station the user may change (404 when out of scope)."""
    station = get_object_or_404(Station.objects.for_user(user), pk=pk)
    if not services.may_manage(user, station):
        raise Http404
    return station


class StationDetail(ObjectDetailView):
    model = Station
    permission_required = VIEW
    template_name = "stations/station_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "township", "created_by")

    def get_context_data(self, **kwargs):
        station = self.object
        editable = services.may_manage(self.request.user, station)
        return super().get_context_data(
            title=station.name,
            editable=editable,
            visits=list(station.visits.select_related("recorded_by")[:31]),
            visit_form=VisitForm() if editable else None,
            photo_form=PhotoForm() if editable else None,
            **kwargs,
        )


class StationCreate(ServiceFormView):
    permission_required = ADD
    form_class = StationForm
    title = gettext_lazy("New rest station")

    form_takes_user = True

    def perform(self, form):
        station = services.station_create(by=self.request.user, **form.cleaned_data)
        messages.success(self.request, _("Station saved."))
        return station


class StationUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = StationForm

    def get_object(self):
        return _managed(self.request.user, self.kwargs["pk"])

    form_takes_user = True

    def perform(self, form):
        station = services.station_update(
            by=self.request.user, station=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return station


class VisitRecord(ServiceFormView):
    """The day's count of visits to a station (a day recorded again is replaced)."""

    permission_required = CHANGE
    form_class = VisitForm

    def get_object(self):
        return _managed(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Record visits: %(name)s") % {"name": self.object}, **kwargs
        )

    def perform(self, form):
        visit = services.visits_record(
            by=self.request.user, station=self.object, **form.cleaned_data
        )
        messages.success(
            self.request,
            _("%(count)s visits recorded for %(day)s.")
            % {"count": visit.count, "day": f"{visit.day:%Y-%m-%d}"},
        )
        return self.object


class StationPhotoSet(StaffPermissionMixin, View):
    """POST only: the station's photo; a refusal is shown on the station's page."""

    permission_required = CHANGE

    def post(self, request, pk):
        station = _managed(request.user, pk)
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(station.get_absolute_url())
        with refusals_shown(request):
            services.station_photo_set(by=request.user, station=station, **form.cleaned_data)
            messages.success(request, _("Photo saved."))
        return redirect(station.get_absolute_url())


def photo_response(station: Station) -> FileResponse:
    if not station.photo:
        raise Http404
    try:
        handle = station.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, content_type="image/jpeg")


class StationPhotoFile(StaffPermissionMixin, View):
    permission_required = VIEW

    def get(self, request, pk):
        return photo_response(get_object_or_404(Station.objects.for_user(request.user), pk=pk))


class StationUse(StaffPermissionMixin, View):
    """Visits per station per month, with its Excel export."""

    permission_required = VIEW

    def get(self, request):
        form = YearForm(request.GET or None)
        year = form.cleaned_data.get("year") if form.is_valid() else None
        rows = selectors.visits_by_month(request.user, year=year)
        headers = [_("month"), _("township"), _("rest station"), _("visits")]
        title = _("Rest station visits by month")
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
            name = exports.xlsx_filename("station-visits")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            exports.write_xlsx(
                response,
                [str(h) for h in headers],
                ([f"{r.month:%Y-%m}", r.township, r.station, r.visits] for r in rows),
                sheet_title=_("Visits"),
                title=title,
            )
            return response
        return render(
            request,
            "stations/use.html",
            {
                "title": title,
                "form": form,
                "headers": headers,
                "rows": rows,
                "query": request.GET.urlencode(),
                "today": timezone.localdate(),
            },
        )
