from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from gonghui.portal.auth import COOKIE

SIGN_IN = reverse("portal:sign-in")
CODE = reverse("portal:sign-in-code")


def last_code(sms_outbox, phone: str) -> str:
    texts = sms_outbox(phone)
    assert texts, f"no text message to {phone}"
    return re.search(r"\b(\d{6})\b", texts[-1]).group(1)


@pytest.fixture
def portal_sign_in(sms_outbox):
    """Sign a new phone client in through the pages, as a worker does; returns it."""

    def sign_in(phone: str, client: Client | None = None) -> Client:
        client = client or Client()
        assert client.post(SIGN_IN, {"phone": phone}).status_code == 200
        response = client.post(CODE, {"phone": phone, "code": last_code(sms_outbox, phone)})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert COOKIE in response.cookies
        return client

    return sign_in
