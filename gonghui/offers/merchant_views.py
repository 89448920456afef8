"""``/redeem/``: the merchant's counter, without signing in. The merchant types the
offer's PIN and the member's code, or scans the member's QR (``portal/scan.js``). What
it answers never names the member; how failures are limited: ``services.offer_redeem``."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.views.generic import FormView

from gonghui.accounts.lockout import client_address

from . import services
from .forms import RedeemForm


class RedeemView(FormView):
    """A PIN and a code posted (never in the address, where they would stay in
    histories and logs); the answer stands above an empty code field, the PIN kept."""

    template_name = "offers/merchant/redeem.html"
    form_class = RedeemForm

    def form_valid(self, form):
        result = services.offer_redeem(
            pin=form.cleaned_data["pin"],
            code=form.cleaned_data["token"],
            address=client_address(self.request),
        )
        fresh = self.form_class(initial={"pin": form.cleaned_data["pin"]})
        return self.render_to_response(
            self.get_context_data(form=fresh, result=result), status=429 if result.limited else 200
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Redeem a member offer"), **kwargs)
