"""The portal's one guard against a form sent twice (a double tap, a resend on a slow
connection): every form that makes a record carries a key issued with the page.

A key is a random token signed with the worker's account, the form's purpose and the
second it was issued. The service that makes the record locks the worker's row and
looks for a record of theirs made since the key was issued: if there is one, the
second post lands on it instead of making another (``membership.portal_join_submit``
shows the pattern). A key is good for ``MAX_AGE``; an older one asks for the form again.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: A form is good for a day.
MAX_AGE = 24 * 3600


def _signer(purpose: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=f"gonghui.portal.form-key.{purpose}")


def form_key_issue(account, purpose: str) -> str:
    """A fresh key for a ``purpose`` form ("join", "wish", …) of ``account``."""
    return _signer(purpose).sign(f"{account.pk}.{secrets.token_urlsafe(12)}")


def form_key_issued_at(account, key: str, purpose: str) -> datetime | None:
    """When ``key`` was issued, if it is ``account``'s, for ``purpose``, and not too old."""
    try:
        value = _signer(purpose).unsign(key or "", max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    if value.partition(".")[0] != str(account.pk):
        return None
    # The timestamp is the signer's own: the second the key was issued.
    timestamp = signing.b62_decode(key.rsplit(signing.Signer().sep, 2)[1])
    return datetime.fromtimestamp(timestamp, tz=UTC)


class KeyedFormMixin:
    """A portal ``FormView`` whose form carries the key (a hidden field ``key``) for its
    ``form_purpose``: a key with every form shown, a fresh one when a form comes back
    with an error (the old one may have expired)."""

    form_purpose = ""

    def form_key_issued_at(self):
        """When the posted form's key was issued, or None: out of date, or not this
        worker's."""
        return form_key_issued_at(self.account, self.request.POST.get("key", ""), self.form_purpose)

    def get_initial(self):
        return {**super().get_initial(), "key": form_key_issue(self.account, self.form_purpose)}

    def form_invalid(self, form):
        data = form.data.copy()
        data["key"] = form_key_issue(self.account, self.form_purpose)
        form.data = data
        return super().form_invalid(form)


class SendOnceFormMixin(KeyedFormMixin):
    """The whole course of a portal form that makes one record, for a ``FormView``:

    - ``state()`` says why the worker cannot send the form now (a word the template
      explains: "bind", "member", …) or None; the page then shows no form;
    - a post whose key finds the record its first sending made (``already_sent``)
      lands where that sending did: a double tap makes nothing twice;
    - a valid form with a good key is ``send``-t; a refusal of the service is shown on
      the form, which comes back with what was typed and a fresh key.
    """

    def state(self) -> str | None:
        return None

    def already_sent(self, issued_at):
        """The response for a form sent since ``issued_at`` already, or None."""
        return None

    def send(self, form, issued_at):
        """Make the record from the valid ``form``; returns the response."""
        raise NotImplementedError

    def get(self, request, *args, **kwargs):
        if self.state() is not None:
            return self.render_to_response(self.get_context_data(form=None))
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.account.person is None:
            return self.render_to_response(self.get_context_data(form=None))
        issued_at = self.form_key_issued_at()
        if issued_at is not None:
            done = self.already_sent(issued_at)
            if done is not None:
                return done
        if self.state() is not None:
            return self.render_to_response(self.get_context_data(form=None))
        form = self.get_form()
        if not form.is_valid():
            return self.form_invalid(form)
        if issued_at is None:
            form.add_error(None, _("This form was out of date. Check it and send it again."))
            return self.form_invalid(form)
        try:
            return self.send(form, issued_at)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
            return self.form_invalid(form)
