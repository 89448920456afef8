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
