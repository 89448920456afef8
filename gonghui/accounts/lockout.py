"""Who is locked out of signing in, and why: django-axes' database handler with three counts.

- **A browser with a valid device cookie** for the account (``devicecookies``)
  has its failures counted against that cookie only: AXES_FAILURE_LIMIT of them
  lock that browser, never the account, and no other lock stops it.
- **Any other client** has its failures counted against the account (AXES_FAILURE_LIMIT
  locks the account for such clients) and against its address across every
  account (SIGN_IN_ADDRESS_FAILURE_LIMIT, set well above the per-account limit
  so that an office behind one NAT address is not locked out by typos):
  password spraying, a few guesses at each of many accounts, is stopped there.

django-axes applies one failure limit to the largest of its counts and keys
them by user name, address and user agent only, so the two limits and the
per-device count are this handler's (AXES_HANDLER); the untrusted counts are
axes' own AccessAttempt rows, the per-device ones ``DeviceSignInFailures``.
Every count lapses AXES_COOLOFF_TIME after its latest failure.
"""

from __future__ import annotations

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_failure_limit
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db import router, transaction
from django.db.models import F, Sum
from django.http import HttpRequest

from .devicecookies import trusted_device
from .models import DeviceSignInFailures

#: The request attribute naming the lock that refused it, for the lockout page.
LOCK_ATTRIBUTE = "sign_in_lock"
ACCOUNT = "account"
ADDRESS = "address"
DEVICE = "device"


def client_address(request: HttpRequest) -> str | None:
    """The client's address (AXES_CLIENT_IP_CALLABLE).

    ``REMOTE_ADDR``, or behind TRUSTED_PROXY_COUNT reverse proxies the address the
    outermost of them saw: each proxy appends the address it saw to
    X-Forwarded-For, so the last entries are the proxies' and anything to their
    left is what the client claimed. (django-axes reads proxies only through
    django-ipware, which is not installed.) Behind a proxy not counted here every
    client would share the proxy's address, and the per-address limit with it.
    """
    address = request.META.get("REMOTE_ADDR")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= proxies:
            address = hops[-proxies]
    try:
        return str(ipaddress.ip_address(address or ""))
    except ValueError:
        return None


class SignInLockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler counting per device cookie, per account for
    other clients, and per address across accounts (see the module docstring)."""

    def _recent(self, request):
        return AccessAttempt.objects.filter(attempt_time__gte=get_cool_off_threshold(request))

    def account_failures(self, request: HttpRequest, username: str | None) -> int:
        """The account's recent failures from clients without its device cookie."""
        total = (
            self._recent(request).filter(username=username).aggregate(n=Sum("failures_since_start"))
        )
        return total["n"] or 0

    def address_failures(self, request: HttpRequest) -> int:
        """The recent failures from the request's address, whatever the account."""
        recent = self._recent(request).filter(ip_address=request.axes_ip_address)
        return recent.aggregate(n=Sum("failures_since_start"))["n"] or 0

    def device_failures(self, request: HttpRequest, nonce: str) -> int:
        threshold = get_cool_off_threshold(request)
        row = DeviceSignInFailures.objects.filter(nonce=nonce, last_failure_at__gte=threshold)
        return row.values_list("failures", flat=True).first() or 0

    def lock(self, request: HttpRequest, credentials: dict | None) -> str | None:
        """Which lock refuses this attempt (ACCOUNT, ADDRESS, DEVICE), or None."""
        username = get_client_username(request, credentials)
        limit = get_failure_limit(request, credentials)
        nonce = trusted_device(request, username)
        if nonce is not None:
            return DEVICE if self.device_failures(request, nonce) >= limit else None
        if self.account_failures(request, username) >= limit:
            return ACCOUNT
        if self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return ADDRESS
        return None

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return False
        lock = self.lock(request, credentials)
        if lock is not None:
            setattr(request, LOCK_ATTRIBUTE, lock)
        return lock is not None

    def get_failures(self, request, credentials: dict | None = None) -> int:
        """The failures that count toward this client's lock on the account: the
        device's with its device cookie, else the account's untrusted ones (shown as
        "n more failed attempts")."""
        username = get_client_username(request, credentials)
        nonce = trusted_device(request, username)
        if nonce is not None:
            return self.device_failures(request, nonce)
        return self.account_failures(request, username)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        if request is None:
            return super().user_login_failed(sender, credentials, request, **kwargs)
        username = get_client_username(request, credentials)
        nonce = trusted_device(request, username)
        if nonce is None:
            # axes records the failure (user name and address) and locks the account.
            super().user_login_failed(sender, credentials, request, **kwargs)
            if request.axes_locked_out:
                if not getattr(request, LOCK_ATTRIBUTE, None):
                    setattr(request, LOCK_ATTRIBUTE, ACCOUNT)
            elif (
                settings.AXES_LOCK_OUT_AT_FAILURE
                and self.address_failures(request) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT
            ):
                self._locked_out(request, credentials, username, ADDRESS)
            return None
        if request.axes_locked_out and not settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT:
            # Refused before the password was checked: not counted, as axes does.
            self._locked_out(request, credentials, username, DEVICE)
            return None
        if self.is_whitelisted(request, credentials):
            return None
        failures = self._device_failure_add(request, nonce, username)
        request.axes_failures_since_start = failures
        if settings.AXES_LOCK_OUT_AT_FAILURE and failures >= get_failure_limit(
            request, credentials
        ):
            self._locked_out(request, credentials, username, DEVICE)
        return None

    @staticmethod
    def _device_failure_add(request: HttpRequest, nonce: str, username: str) -> int:
        threshold = get_cool_off_threshold(request)
        with transaction.atomic(using=router.db_for_write(DeviceSignInFailures)):
            DeviceSignInFailures.objects.filter(last_failure_at__lt=threshold).delete()
            row, created = DeviceSignInFailures.objects.select_for_update().get_or_create(
                nonce=nonce,
                defaults={
                    "username": username,
                    "failures": 1,
                    "last_failure_at": request.axes_attempt_time,
                },
            )
            if not created:
                row.failures = F("failures") + 1
                row.last_failure_at = request.axes_attempt_time
                row.save(update_fields=["failures", "last_failure_at"])
                row.refresh_from_db(fields=["failures"])
        return row.failures

    @staticmethod
    def _locked_out(request: HttpRequest, credentials, username, lock: str) -> None:
        request.axes_locked_out = True
        request.axes_credentials = credentials
        setattr(request, LOCK_ATTRIBUTE, getattr(request, LOCK_ATTRIBUTE, None) or lock)
        user_locked_out.send(
            "axes", request=request, username=username, ip_address=request.axes_ip_address
        )

    def reset_attempts(
        self,
        *,
        ip_address: str | None = None,
        username: str | None = None,
        ip_or_username: bool = False,
    ) -> int:
        """axes' reset, which also forgets the device failures of ``username`` (or all
        of them when neither a user name nor an address is given)."""
        count = super().reset_attempts(
            ip_address=ip_address, username=username, ip_or_username=ip_or_username
        )
        devices = DeviceSignInFailures.objects.all()
        if username:
            devices = devices.filter(username=username)
        elif ip_address:
            devices = devices.none()
        return count + devices.delete()[0]
