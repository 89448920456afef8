"""The portal's tests sign in through ``portal_sign_in`` (``gonghui/conftest.py``)."""

from __future__ import annotations

from django.urls import reverse

from gonghui.conftest import last_code  # noqa: F401  (the portal's tests import it from here)

SIGN_IN = reverse("portal:sign-in")
CODE = reverse("portal:sign-in-code")
