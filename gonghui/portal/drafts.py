"""Drafts of the portal's forms, kept on the server as the worker types: the one
mechanism every portal form uses to survive a dropped connection (issue: worker
portal, item 5).

A form opts in with ``data-draft="<key>"`` (``static/portal/portal.js`` saves its
fields a second after each change, and fills the empty ones from the draft when the
page opens again), and its view calls ``draft_clear`` once the form has done its work.
Drafts are the worker's alone (the account's), encrypted, at most ``MAX_BYTES`` each
and ``MAX_DRAFTS`` an account, and forgotten after ``MAX_AGE``.

A form that takes sensitive facts (health, income, a bank account: the aid
application) does not opt in: those are kept only once the worker has consented and
sent them, never while they type.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.core.crypto import decrypt, encrypt

from .models import Draft

KEY = re.compile(r"^[a-z0-9-]{1,40}$")
MAX_BYTES = 8 * 1024
MAX_DRAFTS = 20
MAX_AGE = timedelta(days=7)
#: Form fields never kept: the CSRF token and the double-tap key belong to one page.
NOT_KEPT = {"csrfmiddlewaretoken", "key"}
CONTEXT = "portal.draft.data"


def draft_save(account, key: str, data: dict[str, str]) -> None:
    if not KEY.match(key or ""):
        raise ValidationError("bad draft key")
    kept = {k: v for k, v in data.items() if k not in NOT_KEPT and isinstance(v, str)}
    text = json.dumps(kept, ensure_ascii=False)
    if len(text.encode()) > MAX_BYTES:
        raise ValidationError("draft too large")
    with transaction.atomic():
        Draft.objects.update_or_create(
            account=account, key=key, defaults={"data_encrypted": encrypt(text, context=CONTEXT)}
        )
        old = Draft.objects.filter(account=account).order_by("-updated_at")[MAX_DRAFTS:]
        Draft.objects.filter(pk__in=[d.pk for d in old]).delete()


def draft_load(account, key: str) -> dict[str, str]:
    draft = Draft.objects.filter(
        account=account, key=key, updated_at__gt=timezone.now() - MAX_AGE
    ).first()
    if draft is None:
        return {}
    return json.loads(decrypt(draft.data_encrypted, context=CONTEXT))


def draft_clear(account, key: str) -> None:
    Draft.objects.filter(account=account, key=key).delete()
