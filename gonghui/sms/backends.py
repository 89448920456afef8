"""Where a text message goes: the backend named by ``settings.SMS_BACKEND``.

A backend is a class with ``send(phone, text)`` that either delivers the message
or raises ``SmsError``; delivery (``gonghui.sms.tasks``) retries on SmsError
alone, so an adapter for a provider turns every failure into one. An SmsError's
message is logged and stored (``OutgoingSms.last_error``): it never holds the
phone or the text, which are personal data (PIPL 第五十一条).
"""

from __future__ import annotations

import http.client
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


class SmsError(Exception):
    """A message was not delivered; the message says why, without the phone or the text."""


class BaseBackend:
    def send(self, phone: str, text: str) -> None:
        raise NotImplementedError


def get_backend() -> BaseBackend:
    """The configured backend, read at each call so that tests may override the setting."""
    return import_string(settings.SMS_BACKEND)()


class ConsoleBackend(BaseBackend):
    """Prints each message (``make run``: whoever signs in reads the code in the terminal)."""

    def send(self, phone: str, text: str) -> None:
        rule = "-" * 40
        # One write, so that messages of concurrent requests are not interleaved.
        sys.stdout.write(f"{rule}\nSMS to {phone}\n{text}\n{rule}\n")
        sys.stdout.flush()


class FileBackend(BaseBackend):
    """Appends each message as a JSON line to ``settings.SMS_FILE_PATH`` (tests, demos).

    The file holds phone numbers in plain text, so it is readable by its owner only.
    """

    def send(self, phone: str, text: str) -> None:
        path = Path(settings.SMS_FILE_PATH)
        if not path.parent.exists():
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.parent.chmod(0o700)  # mkdir's mode is narrowed by the umask only
        line = json.dumps(
            {"phone": phone, "text": text, "sent_at": timezone.now().isoformat()},
            ensure_ascii=False,
        )
        # O_APPEND: one write of one line, so concurrent senders never mix their lines.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)


def sent_to(phone: str) -> list[str]:
    """The texts FileBackend has written for ``phone``, oldest first."""
    path = Path(settings.SMS_FILE_PATH)
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    return [record["text"] for record in records if record["phone"] == phone]


class _RefuseRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is a failure: urllib would follow it with a GET without the body, and
    would carry the Authorization header to whatever host the answer names."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGatewayBackend(BaseBackend):
    """POSTs ``{"phone", "text"}`` as JSON to ``settings.SMS_GATEWAY_URL`` with the
    key as a bearer token; any 2xx answer is success (docs/sms.md)."""

    def send(self, phone: str, text: str) -> None:
        url = settings.SMS_GATEWAY_URL
        # urllib also opens file: and ftp: URLs; a gateway is HTTP.
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise SmsError("SMS_GATEWAY_URL is not an http or https URL")
        body = json.dumps({"phone": phone, "text": signed(text)}, ensure_ascii=False)
        request = urllib.request.Request(
            url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {settings.SMS_GATEWAY_KEY}",
            },
        )
        opener = urllib.request.build_opener(_RefuseRedirects)
        try:
            with opener.open(request, timeout=settings.SMS_GATEWAY_TIMEOUT) as response:
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
            exc.close()
        except (urllib.error.URLError, OSError, http.client.HTTPException) as exc:
            # ``from None``: the message names the kind of failure only; the chained
            # exception would add nothing but the gateway's address.
            reason = getattr(exc, "reason", exc)
            raise SmsError(
                f"the SMS gateway could not be reached ({type(reason).__name__})"
            ) from None
        if not 200 <= status < 300:
            raise SmsError(f"the SMS gateway answered HTTP {status}")


def signed(text: str) -> str:
    """``text`` behind the 【signature】 Chinese providers require (none when unset)."""
    signature = settings.SMS_SIGNATURE.strip()
    if not signature:
        return text
    if not signature.startswith("【"):
        signature = f"【{signature}】"
    return signature + text
