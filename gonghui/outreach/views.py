"""Pages of outreach: deliveries, visits, micro-wishes, the delivery summary and the ledger.

Every record is reached through ``Model.objects.for_user(user)``: outside the
user's subtree a delivery, a visit, a wish or a wish's photo does not exist (404).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render
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
)
from gonghui.people.models import Person

from . import selectors, services
from .forms import (
    ClaimForm,
    DeliveryFilterForm,
    DeliveryForm,
    FulfilForm,
    GoodsLineFormSet,
    VisitFilterForm,
    VisitForm,
    WishFilterForm,
    WishForm,
    WithdrawForm,
    YearForm,
    goods_initial,
)
from .models import Delivery, Visit, Wish
from .vocabularies import WishStatus

FORM_TEMPLATE = "outreach/object_form.html"


class OutreachFormView(ServiceFormView):
    """A service form of this app: may carry a formset and a file, and names a person."""

    template_name = FORM_TEMPLATE
    multipart = False

    def person_from_query(self) -> Person | None:
        """The person the form was opened for (``?person=<id>``), in scope or 404."""
        pk = self.request.GET.get("person", "")
        if not pk:
            return None
        if not pk.isdigit():
            raise Http404
        return get_object_or_404(Person.objects.for_user(self.request.user), pk=pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("multipart", self.multipart)
        return context


# --- Deliveries ------------------------------------------------------------------------


class DeliveryList(ObjectListView):
    model = Delivery
    permission_required = "outreach.view_delivery"
    title = gettext_lazy("Cooling deliveries")
    columns = [
        Column("delivered_on", gettext_lazy("delivered on"), link=True),
        Column("site_label", gettext_lazy("site")),
        Column("organisation.name", gettext_lazy("organisation")),
        Column("campaign_name", gettext_lazy("campaign")),
        Column("campaign_year", gettext_lazy("campaign year")),
        Column("workers_reached", gettext_lazy("workers reached")),
        Column("total_value", gettext_lazy("total value (yuan)")),
    ]
    search_fields = (
        "site_name__icontains",
        "employer__name__icontains",
        "campaign_name__icontains",
    )
    filter_form_class = DeliveryFilterForm
    create_url_name = "outreach:delivery-create"
    create_permission = "outreach.add_delivery"
    export_stem = "deliveries"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "employer")


class DeliveryDetail(ObjectDetailView):
    model = Delivery
    permission_required = "outreach.view_delivery"
    template_name = "outreach/delivery_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "employer", "created_by")
            .prefetch_related("lines")
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=str(self.object), **kwargs)


class DeliveryFormView(OutreachFormView):
    """The delivery and its goods lines, validated together and saved by one service call."""

    form_class = DeliveryForm

    def get_formset(self):
        initial = goods_initial(self.object) if self.object is not None else None
        data = self.request.POST if self.request.method == "POST" else None
        return GoodsLineFormSet(data, initial=initial, prefix="lines")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "delivery": self.object}

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.formset = self.get_formset()
        return super(ServiceFormView, self).get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.formset = self.get_formset()
        form = self.get_form()
        if form.is_valid() and self.formset.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def lines(self) -> list[dict]:
        return [line.cleaned_data for line in self.formset.forms if line.cleaned_data]

    def get_context_data(self, **kwargs):
        return super().get_context_data(formset=self.formset, **kwargs)


class DeliveryCreate(DeliveryFormView):
    permission_required = "outreach.add_delivery"
    title = gettext_lazy("Record a cooling delivery")

    def perform(self, form):
        delivery = services.delivery_create(
            by=self.request.user, lines=self.lines(), **form.cleaned_data
        )
        messages.success(self.request, _("Delivery recorded."))
        return delivery


class DeliveryUpdate(RecordFormView, DeliveryFormView):
    permission_required = "outreach.change_delivery"

    def get_object(self):
        return get_object_or_404(Delivery.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit the delivery to %(site)s") % {"site": self.object.site_label}, **kwargs
        )

    def perform(self, form):
        delivery = services.delivery_update(
            by=self.request.user, delivery=self.object, lines=self.lines(), **form.cleaned_data
        )
        messages.success(self.request, _("Changes saved."))
        return delivery


class DeliverySummaryView(StaffPermissionMixin, View):
    """Deliveries, value and workers reached per organisation in a campaign year."""

    permission_required = "outreach.view_delivery"

    def get(self, request):
        form = YearForm(request.GET or None)
        year = form.chosen_year()
        return render(
            request,
            "outreach/delivery_summary.html",
            {
                "title": _("Cooling deliveries in %(year)s") % {"year": year},
                "summary": selectors.delivery_summary(request.user, year=year),
                "years": selectors.years_with_records(request.user),
                "year": year,
            },
        )


# --- Visits ----------------------------------------------------------------------------


class VisitList(ObjectListView):
    model = Visit
    permission_required = "outreach.view_visit"
    title = gettext_lazy("Visits")
    columns = [
        Column("visited_on", gettext_lazy("visited on"), link=True),
        Column("occasion", gettext_lazy("occasion")),
        Column("visited_label", gettext_lazy("visited")),
        Column("organisation.name", gettext_lazy("organisation")),
        Column("goods", gettext_lazy("goods given")),
        Column("goods_value", gettext_lazy("value of goods (yuan)")),
        Column("cash", gettext_lazy("cash given (yuan)")),
    ]
    search_fields = ("visited_name__icontains", "person__name__startswith", "goods__icontains")
    filter_form_class = VisitFilterForm
    create_url_name = "outreach:visit-create"
    create_permission = "outreach.add_visit"
    export_stem = "visits"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "person")


class VisitDetail(ObjectDetailView):
    model = Visit
    permission_required = "outreach.view_visit"
    template_name = "outreach/visit_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organisation", "person", "created_by")
            .prefetch_related("visitors")
        )

    def get_context_data(self, **kwargs):
        visit = self.object
        return super().get_context_data(
            title=str(visit),
            person_visible=visit.person_id is not None
            and Person.objects.for_user(self.request.user).filter(pk=visit.person_id).exists(),
            **kwargs,
        )


class VisitCreate(OutreachFormView):
    permission_required = "outreach.add_visit"
    form_class = VisitForm
    title = gettext_lazy("Record a visit")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "person": self.person_from_query(),
        }

    def perform(self, form):
        visit = services.visit_create(by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Visit recorded."))
        return visit


class VisitUpdate(RecordFormView, OutreachFormView):
    permission_required = "outreach.change_visit"
    form_class = VisitForm

    def get_object(self):
        return get_object_or_404(Visit.objects.for_user(self.request.user), pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "visit": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Edit the visit to %(name)s") % {"name": self.object.visited_label}, **kwargs
        )

    def perform(self, form):
        visit = services.visit_update(
            by=self.request.user, visit=self.object, **form.service_kwargs()
        )
        messages.success(self.request, _("Changes saved."))
        return visit


# --- Micro-wishes ----------------------------------------------------------------------


class WishList(ObjectListView):
    model = Wish
    permission_required = "outreach.view_wish"
    title = gettext_lazy("Micro-wishes")
    columns = [
        Column("text", gettext_lazy("wish"), link=True),
        Column("person.name", gettext_lazy("worker")),
        Column("organisation.name", gettext_lazy("posted by")),
        Column("estimated_value", gettext_lazy("estimated value (yuan)")),
        Column("status", gettext_lazy("status")),
        Column("donor_label", gettext_lazy("donor")),
        Column("fulfilled_on", gettext_lazy("fulfilled on")),
    ]
    search_fields = ("text__icontains", "person__name__startswith", "donor_name__icontains")
    filter_form_class = WishFilterForm
    create_url_name = "outreach:wish-create"
    create_permission = "outreach.add_wish"
    export_stem = "micro-wishes"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "person", "donor_employer")


class WishDetail(ObjectDetailView):
    model = Wish
    permission_required = "outreach.view_wish"
    template_name = "outreach/wish_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organisation", "person", "donor_employer")

    def get_context_data(self, **kwargs):
        wish = self.object
        return super().get_context_data(
            title=_("Micro-wish of %(name)s") % {"name": wish.person.name},
            steps=wish.steps.select_related("by"),
            person_visible=Person.objects.for_user(self.request.user)
            .filter(pk=wish.person_id)
            .exists(),
            can_claim=wish.status == WishStatus.POSTED,
            can_fulfil=wish.status == WishStatus.CLAIMED,
            can_withdraw=wish.status in (WishStatus.POSTED, WishStatus.CLAIMED),
            can_edit=wish.status == WishStatus.POSTED,
            **kwargs,
        )


class WishCreate(OutreachFormView):
    permission_required = "outreach.add_wish"
    form_class = WishForm
    title = gettext_lazy("Post a micro-wish")

    def get_form_kwargs(self):
        return {
            **super().get_form_kwargs(),
            "user": self.request.user,
            "person": self.person_from_query(),
        }

    def perform(self, form):
        wish = services.wish_post(by=self.request.user, **form.service_kwargs())
        messages.success(self.request, _("Wish posted."))
        return wish


class ScopedWishFormView(OutreachFormView):
    def get_object(self):
        return get_object_or_404(Wish.objects.for_user(self.request.user), pk=self.kwargs["pk"])


class WishUpdate(RecordFormView, ScopedWishFormView):
    permission_required = "outreach.change_wish"
    form_class = WishForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "wish": self.object}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Edit the wish"), **kwargs)

    def perform(self, form):
        wish = services.wish_update(by=self.request.user, wish=self.object, **form.service_kwargs())
        messages.success(self.request, _("Changes saved."))
        return wish


class WishClaim(ScopedWishFormView):
    permission_required = "outreach.handle_wish"
    form_class = ClaimForm

    form_takes_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("A donor claims: %(wish)s") % {"wish": self.object.text}, **kwargs
        )

    def perform(self, form):
        wish = services.wish_claim(by=self.request.user, wish=self.object, **form.cleaned_data)
        messages.success(self.request, _("Claimed by %(donor)s.") % {"donor": wish.donor_label})
        return wish


class WishFulfil(ScopedWishFormView):
    permission_required = "outreach.handle_wish"
    form_class = FulfilForm
    multipart = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Fulfilled: %(wish)s") % {"wish": self.object.text}, **kwargs
        )

    def perform(self, form):
        wish = services.wish_fulfil(by=self.request.user, wish=self.object, **form.cleaned_data)
        messages.success(self.request, _("Fulfilment recorded."))
        return wish


class WishWithdraw(ScopedWishFormView):
    permission_required = "outreach.handle_wish"
    form_class = WithdrawForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=_("Withdraw: %(wish)s") % {"wish": self.object.text}, **kwargs
        )

    def perform(self, form):
        wish = services.wish_withdraw(by=self.request.user, wish=self.object, **form.cleaned_data)
        messages.success(self.request, _("Wish withdrawn."))
        return wish


class WishPhoto(StaffPermissionMixin, View):
    """The fulfilment photo, only to those who may see the wish; never a static URL."""

    permission_required = "outreach.view_wish"

    def get(self, request, pk):
        wish = get_object_or_404(Wish.objects.for_user(request.user), pk=pk)
        path = services.photo_path(wish)
        if path is None or not path.is_file():
            raise Http404
        response = FileResponse(open(path, "rb"), content_type=wish.photo_type)
        response["Cache-Control"] = "private, no-store"
        return response


# --- The ledger ------------------------------------------------------------------------


class LedgerView(StaffPermissionMixin, View):
    """我为群众办实事: practical things done per organisation in a year."""

    permission_required = ("outreach.view_wish", "outreach.view_visit")

    def get(self, request):
        year = YearForm(request.GET or None).chosen_year()
        return render(
            request,
            "outreach/ledger.html",
            {
                "title": _("Practical things done for workers in %(year)s") % {"year": year},
                "ledger": selectors.practical_ledger(request.user, year=year),
                "years": selectors.years_with_records(request.user),
                "year": year,
            },
        )
