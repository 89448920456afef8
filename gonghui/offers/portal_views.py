"""The member's offer pages in the portal (``/m/offers/``): the offers open to them,
claiming one (a double tap makes one claim: ``SendOnceFormMixin`` and the service's
``since``), and their own claims with the code and its QR for the merchant.

Claims are read through ``mine()``, so another worker's claim does not exist here
(404).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from gonghui.portal import auth
from gonghui.portal.formkeys import SendOnceFormMixin
from gonghui.portal.membership import card_qr_svg
from gonghui.portal.mine import mine
from gonghui.rights.tracking import grouped

from . import selectors, services
from .forms import ClaimForm
from .models import Claim, Offer

#: The claim form's purpose for its key against a double tap (``portal.formkeys``).
CLAIM_FORM = "offer-claim"


def _my_claims(account):
    return mine(account, Claim.objects.select_related("offer__union"))


class OfferListView(auth.WorkerRequiredMixin, TemplateView):
    """The offers the member may claim now, then their own claims."""

    template_name = "offers/portal/list.html"

    def get_context_data(self, **kwargs):
        person = self.account.person
        context = super().get_context_data(title=_("Member offers"), person=person, **kwargs)
        if person is None:
            return context
        context["offers"] = list(selectors.offers_for_worker(person)[:50])
        context["claims"] = list(_my_claims(self.account).order_by("-claimed_at", "-pk")[:50])
        return context


class OfferView(auth.WorkerRequiredMixin, SendOnceFormMixin, FormView):
    """One offer and the member's tap to claim it."""

    template_name = "offers/portal/offer.html"
    form_class = ClaimForm
    form_purpose = CLAIM_FORM

    @cached_property
    def offer(self) -> Offer:
        person = self.account.person
        offer = selectors.offers_for_worker(person).filter(pk=self.kwargs["pk"]).first()
        if offer is None:
            claim = _my_claims(self.account).filter(offer_id=self.kwargs["pk"]).first()
            if claim is None:
                raise Http404
            offer = claim.offer
        return offer

    @cached_property
    def problem(self) -> str | None:
        person = self.account.person
        if person is None:
            return None
        problem = services.claim_problem(self.offer, person)
        if problem is not None:
            return problem
        if _my_claims(self.account).filter(offer=self.offer).count() >= self.offer.per_member_limit:
            return _("You have claimed all this offer allows a member.")
        if self.offer.left == 0:
            return _("All of this offer have been claimed.")
        return None

    def state(self):
        if self.account.person is None:
            return "bind"
        return "closed" if self.problem is not None else None

    def get(self, request, *args, **kwargs):
        self.offer  # noqa: B018 - 404 before anything else
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.offer  # noqa: B018 - 404 before anything else
        return super().post(request, *args, **kwargs)

    def already_sent(self, issued_at):
        sent = (
            _my_claims(self.account)
            .filter(offer=self.offer, claimed_at__gte=issued_at)
            .order_by("-pk")
            .first()
        )
        return redirect("portal-offers:claim", pk=sent.pk) if sent is not None else None

    def send(self, form, issued_at):
        claim = services.offer_claim(offer=self.offer, person=self.account.person, since=issued_at)
        return redirect("portal-offers:claim", pk=claim.pk)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            title=self.offer.title,
            offer=self.offer,
            problem=self.problem,
            state=self.state(),
            claims=list(_my_claims(self.account).filter(offer=self.offer).order_by("-pk")),
            **kwargs,
        )


class ClaimView(auth.WorkerRequiredMixin, TemplateView):
    """A claim's code, as text and QR, for the merchant's counter."""

    template_name = "offers/portal/claim.html"

    def get_context_data(self, **kwargs):
        claim = get_object_or_404(_my_claims(self.account), pk=self.kwargs["pk"])
        return super().get_context_data(
            title=claim.offer.title,
            claim=claim,
            code=grouped(claim.code),
            # Made here from the code alone; the SVG holds nothing typed by anyone.
            qr=mark_safe(card_qr_svg(claim.code, label=_("QR code of your claim"))),  # noqa: S308
            **kwargs,
        )
