"""Console pages of offers: thin, every record through the scope rule."""

from django.contrib import messages
from django.http import Http404, HttpResponse
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
)

from . import selectors, services
from .forms import OfferFilterForm, OfferForm, StatusForm
from .models import Claim, Offer

VIEW = "offers.view_offer"
ADD = "offers.add_offer"
CHANGE = "offers.change_offer"


class OfferList(ObjectListView):
    model = Offer
    permission_required = VIEW
    title = gettext_lazy("Member offers")
    columns = [
        Column("title", gettext_lazy("what is offered"), link=True),
        Column("merchant_name", gettext_lazy("merchant")),
        Column("price", gettext_lazy("discount or price")),
        Column("union.name", gettext_lazy("publishing union")),
        Column("valid_from", gettext_lazy("valid from")),
        Column("valid_until", gettext_lazy("valid until")),
        Column("quantity", gettext_lazy("quantity")),
        Column("claimed_count", gettext_lazy("claimed")),
        Column("status", gettext_lazy("status")),
    ]
    search_fields = ("title__icontains", "merchant_name__icontains")
    filter_form_class = OfferFilterForm
    create_url_name = "offers:create"
    create_permission = ADD
    export_stem = "offers"

    def get_queryset(self):
        return super().get_queryset().select_related("union").order_by("-valid_from", "-pk")


def _managed(user, pk: int) -> Offer:
    """An offer the user may change (404 when out of scope)."""
    offer = get_object_or_404(Offer.objects.for_user(user), pk=pk)
    if not services.may_manage(user, offer):
        raise Http404
    return offer


class OfferDetail(ObjectDetailView):
    model = Offer
    permission_required = VIEW
    template_name = "offers/offer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("union", "created_by")

    def get_context_data(self, **kwargs):
        offer = self.object
        return super().get_context_data(
            title=str(offer),
            editable=services.may_manage(self.request.user, offer),
            counts=selectors.claim_counts(offer),
            **kwargs,
        )


class OfferCreate(ServiceFormView):
    permission_required = ADD
    form_class = OfferForm
    title = gettext_lazy("New offer")

    form_takes_user = True

    def perform(self, form):
        offer = services.offer_create(by=self.request.user, **form.cleaned_data)
        messages.success(
            self.request,
            _("Offer saved as a draft. Set the merchant's PIN, then publish it."),
        )
        return offer


class OfferUpdate(RecordFormView):
    permission_required = CHANGE
    form_class = OfferForm

    def get_object(self):
        return _managed(self.request.user, self.kwargs["pk"])

    form_takes_user = True

    def perform(self, form):
        offer = services.offer_update(by=self.request.user, offer=self.object, **form.cleaned_data)
        messages.success(self.request, _("Changes saved."))
        return offer


class OfferSetStatus(StaffPermissionMixin, View):
    """POST only: publish or withdraw; a refusal is shown on the offer's page."""

    permission_required = CHANGE

    def post(self, request, pk):
        offer = _managed(request.user, pk)
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose what to do with the offer."))
            return redirect(offer.get_absolute_url())
        action = form.cleaned_data["action"]
        service = services.offer_publish if action == "publish" else services.offer_withdraw
        with refusals_shown(request):
            offer = service(by=request.user, offer=offer)
            messages.success(
                request, _("The offer is now %(status)s.") % {"status": offer.get_status_display()}
            )
        return redirect(offer.get_absolute_url())


class OfferSetPin(StaffPermissionMixin, View):
    """POST only: a new merchant's PIN, shown on this one answer and never again."""

    permission_required = CHANGE

    def post(self, request, pk):
        offer = _managed(request.user, pk)
        pin = services.offer_set_pin(by=request.user, offer=offer)
        response = render(
            request,
            "offers/pin.html",
            {
                "title": _("Merchant's PIN: %(offer)s") % {"offer": offer},
                "offer": offer,
                "pin": pin,
            },
        )
        response["Cache-Control"] = "no-store"
        return response


class OfferClaims(StaffPermissionMixin, View):
    """An offer's claims with the redeemed count, and their Excel export."""

    permission_required = VIEW

    def get(self, request, pk):
        offer = get_object_or_404(Offer.objects.for_user(request.user), pk=pk)
        claims = (
            Claim.objects.filter(offer=offer)
            .select_related("person")
            .only("person__name", "code", "seq", "claimed_at", "redeemed_at")
            .order_by("-claimed_at", "-pk")
        )
        headers = [_("member"), _("code"), _("claimed at"), _("redeemed at")]

        def row(claim):
            return [
                claim.person.name,
                claim.code,
                f"{timezone.localtime(claim.claimed_at):%Y-%m-%d %H:%M}",
                f"{timezone.localtime(claim.redeemed_at):%Y-%m-%d %H:%M}"
                if claim.redeemed_at
                else "",
            ]

        if request.GET.get("export") == "xlsx":
            response = HttpResponse(content_type=exports.XLSX_CONTENT_TYPE)
            name = exports.xlsx_filename("offer-claims")
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            exports.write_xlsx(
                response,
                [str(h) for h in headers],
                (row(c) for c in claims.iterator(chunk_size=2000)),
                sheet_title=_("Claims"),
                title=_("Claims of %(offer)s") % {"offer": offer},
            )
            return response
        return render(
            request,
            "offers/claims.html",
            {
                "title": _("Claims of %(offer)s") % {"offer": offer},
                "offer": offer,
                "headers": headers,
                "rows": [row(c) for c in claims[:500]],
                "counts": selectors.claim_counts(offer),
            },
        )
