"""The authenticator-app secret of a TOTP device (RFC 6238): key, otpauth URL, QR code.

The parameters match the defaults of ``django_otp``'s ``TOTPDevice`` (30-second
steps, 6 digits, one step of tolerance either way), so a key confirmed here
verifies the same codes once it is stored on a device.
"""

from base64 import b32encode
from binascii import unhexlify

import qrcode
import qrcode.image.svg
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

STEP = 30
DIGITS = 6
TOLERANCE = 1


def new_key() -> str:
    """A random 160-bit key, hex-encoded as ``TOTPDevice.key`` stores it."""
    return random_hex(20)


def display_secret(key: str) -> str:
    """The key as an authenticator app asks for it: base32, in groups of four."""
    secret = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(user, key: str) -> str:
    """The ``otpauth://`` URL an app reads from the QR code (issuer from OTP_TOTP_ISSUER)."""
    return TOTPDevice(user=user, key=key, step=STEP, digits=DIGITS).config_url


def qr_svg(data: str) -> str:
    """``data`` as an inline SVG QR code, drawn here so no image leaves the server."""
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=15)
    return image.to_string(encoding="unicode")


def matching_step(key: str, token: str) -> int | None:
    """The time step that ``token`` is the code of for ``key``, or None when it is not valid now."""
    token = (token or "").strip()
    if not token.isdigit() or len(token) != DIGITS:
        return None
    totp = TOTP(unhexlify(key), step=STEP, digits=DIGITS)
    if totp.verify(int(token), tolerance=TOLERANCE):
        return totp.t()
    return None


def has_confirmed_device(user) -> bool:
    """Whether ``user`` signs in with a second factor (TOTP is the only kind installed)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()
