"""Console pages of activities: thin, every record through the scope rule."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
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
from gonghui.portal.membership import card_qr_svg

from . import selectors, services
from .forms import ActivityFilterForm, ActivityForm, CardForm, PhotoForm, StatusForm, YearForm
from .models import Activity, ActivityPhoto, ActivityStatus, SignUpStatus

VIEW = "activities.view_activity"
ADD = "activities.add_activity"
CHANGE = "activities.change_activity"


class ActivityList(ObjectListView):
    model = Activity
    permission_required = VIEW
    title = gettext_lazy("Activities")
    columns = [
        Column("title", gettext_lazy("title"), link=True),
        Column("kind", gettext_lazy("kind")),
        Column("organiser.name", gettext_lazy("organiser")),
        Column("starts_at", gettext_lazy("starts at")),
        Column("place", gettext_lazy("place")),
        Column("capacity", gettext_lazy("places")),
        Column("signed_up_count", gettext_lazy("places taken")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("title__icontains", "place__icontains")
    filter_form_class = ActivityFilterForm
    create_url_name = "activities:create"
    create_permission = ADD
    export_stem = "activities"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser").order_by("-starts_at", "-pk")


def _organised(user, pk: int) -> Activity:
    """An activity the user may change (404 when out of scope)."""
    activity = get_object_or_404(Activity.objects.for_user(user), pk=pk)
    if not services.may_organise(user, activity):
        raise Http404
    return activity


class ActivityDetail(ObjectDetailView):
    model = Activity
    permission_required = VIEW
    template_name = "activities/activity_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organiser", "created_by")

    def get_context_data(self, **kwargs):
        activity = self.object
        editable = services.may_organise(self.request.user, activity)
        grouped = selectors.signups_of(activity)
        return super().get_context_data(
            title=activity.title,
            editable=editable,
            signed_up=grouped.get(SignUpStatus.SIGNED_UP, [])
            + grouped.get(SignUpStatus.ATTENDED, []),
            waiting=grouped.get(SignUpStatus.WAITING, []),
            cancelled=grouped.get(SignUpStatus.CANCELLED, []),
            photos=list(activity.photos.all()),
            photo_form=PhotoForm() if editable else None,
            statuses=ActivityStatus,
            started=activity.starts_at <= timezone.now(),
            **kwargs,
        )


class ActivityCreate(ServiceFormView):
    permission_required = ADD
    form_class = ActivityForm
    title = gettext_lazy("New activity")

    form_takes_user = True

    def perform(self, form):
        activity = services.activity_create(by=self.request.user, **form.cleaned_data)
        messages.success(
            self.request, _("Activity saved as a draft. Open it for sign-up when ready.")
        )
        return activity


class ActivityUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = ActivityForm

    def get_object(self):
        return _organised(self.request.user, self.kwargs["pk"])

    form_takes_user = True

    def initial_from(self, record):
        initial = super().initial_from(record)
        for field in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at"):
            initial[field] = timezone.localtime(getattr(record, field))
        return initial

    def perform(self, form):
        activity = services.activity_update(
            by=self.request.user, activity=self.object, **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return activity


class ActivitySetStatus(StaffPermissionMixin, View):
    """POST only: open, cancel or mark held; a refusal is shown on the activity's page."""

    permission_required = CHANGE

    def post(self, request, pk):
        activity = _organised(request.user, pk)
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose what to do with the activity."))
            return redirect(activity.get_absolute_url())
        with refusals_shown(request):
            services.activity_set_status(
                by=request.user, activity=activity, status=form.cleaned_data["status"]
            )
            messages.success(
                request,
                _("The activity is now %(status)s.")
                % {"status": ActivityStatus(form.cleaned_data["status"]).label},
            )
        return redirect(activity.get_absolute_url())


class ActivityCheckIn(StaffPermissionMixin, View):
    """The door: the member's card QR read by the camera (the card check's own reader,
    ``portal/scan.js``) or its code typed; each answer stands above an empty form."""

    permission_required = CHANGE
    template_name = "activities/check_in.html"

    def render(self, request, activity, form, checked=None):
        return render(
            request,
            self.template_name,
            {
                "title": _("Check in: %(title)s") % {"title": activity.title},
                "activity": activity,
                "form": form,
                "checked": checked,
                "attended": activity.signups.filter(status=SignUpStatus.ATTENDED).count(),
            },
        )

    def get(self, request, pk):
        return self.render(request, _organised(request.user, pk), CardForm())

    def post(self, request, pk):
        activity = _organised(request.user, pk)
        form = CardForm(request.POST)
        if not form.is_valid():
            return self.render(request, activity, form)
        checked = services.checkin_by_card(
            by=request.user, activity=activity, token=form.cleaned_data["token"]
        )
        return self.render(request, activity, CardForm(), checked)


class ActivityCode(StaffPermissionMixin, View):
    """The organiser's screen at the door: the code of the moment and its QR, which
    opens the worker's check-in page with the code filled in."""

    permission_required = CHANGE

    def get(self, request, pk):
        activity = _organised(request.user, pk)
        code = services.checkin_code(activity)
        link = request.build_absolute_uri(
            reverse("portal-activities:check-in", args=[activity.pk]) + f"?code={code}"
        )
        return render(
            request,
            "activities/code.html",
            {
                "title": _("Check-in code: %(title)s") % {"title": activity.title},
                "activity": activity,
                "code": code,
                "qr": card_qr_svg(link, label=_("Check-in code")),
                "seconds": services.CODE_SECONDS,
            },
        )


class ActivityPhotoAdd(StaffPermissionMixin, View):
    permission_required = CHANGE

    def post(self, request, pk):
        activity = _organised(request.user, pk)
        form = PhotoForm(request.POST, request.FILES)
        if not form.is_valid():
            show_form_errors(request, form)
            return redirect(activity.get_absolute_url())
        with refusals_shown(request):
            services.photo_add(by=request.user, activity=activity, **form.cleaned_data)
            messages.success(request, _("Photo added."))
        return redirect(activity.get_absolute_url())


class ActivityPhotoFile(StaffPermissionMixin, View):
    permission_required = VIEW

    def get(self, request, pk):
        photo = get_object_or_404(ActivityPhoto.objects.for_user(request.user), pk=pk)
        try:
            handle = photo.image.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        return FileResponse(handle, content_type="image/jpeg")


class Attendance(StaffPermissionMixin, View):
    """Attendance counted by organising union and month, with its Excel export."""

    permission_required = VIEW

    def get(self, request):
        form = YearForm(request.GET or None)
        year = form.cleaned_data.get("year") if form.is_valid() else None
        rows = selectors.attendance_counts(request.user, year=year)
        headers = [
            _("month"),
            _("organiser"),
            _("activities"),
            _("places"),
            _("places taken"),
            _("attended"),
            _("attendance rate"),
        ]
        if request.GET.get("export") == "xlsx":
            response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
            name = exports.xlsx_filename("activity-attendance")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            exports.write_xlsx(
                response,
                [str(h) for h in headers],
                (
                    [r.month, r.organiser, r.activities, r.places, r.signed_up, r.attended, r.rate]
                    for r in rows
                ),
                sheet_title=_("Attendance"),
                title=_("Activity attendance by union and month"),
            )
            return response
        return render(
            request,
            "activities/attendance.html",
            {
                "title": _("Activity attendance by union and month"),
                "form": form,
                "headers": headers,
                "rows": rows,
                "query": request.GET.urlencode(),
            },
        )
