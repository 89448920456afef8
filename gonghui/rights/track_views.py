"""``/track/``: anyone with a tracking code follows the case, without signing in (the
anonymous worker's only way back to their case). What it shows and how lookups are
limited: ``tracking``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView

from gonghui.accounts.lockout import client_address

from . import tracking


class TrackForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Tracking code"),
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "mono",
            }
        ),
        help_text=gettext_lazy("The 16 letters and digits you were given when the case was sent."),
        error_messages={"required": gettext_lazy("Type the tracking code.")},
    )


class TrackView(FormView):
    """A code posted (never in the address, where it would stay in histories and logs)
    shows the case as the worker who lodged it sees it, or one answer for every wrong
    code."""

    template_name = "rights/portal/track.html"
    form_class = TrackForm

    def form_valid(self, form):
        try:
            case = tracking.tracking_lookup(
                code=form.cleaned_data["code"], address=client_address(self.request)
            )
        except ValidationError as exc:
            form.add_error("code", exc.messages)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        if case is None:
            form.add_error("code", _("No case has this code. Check it and try again."))
            return self.form_invalid(form)
        return self.render_to_response(
            self.get_context_data(
                form=self.form_class(),
                view=tracking.worker_view(case, signed_in_worker=False),
                code=tracking.grouped(case.tracking_code),
            )
        )

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=_("Follow a case"), **kwargs)
