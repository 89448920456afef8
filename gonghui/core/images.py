"""Photos taken with a phone's camera, made fit to keep (issue 14, item 5).

A phone's photo is large, turned by an EXIF flag rather than in its pixels, and
carries where and when it was taken (GPS tags) and the phone's make: none of that
is evidence, and the location is personal information the union does not need
(PIPL 第六条, 最小必要). So a photo is opened only after its declared size is checked
(a small file may claim billions of pixels: an image bomb), turned upright, made at
most ``MAX_SIDE`` pixels on its longer side, and encoded again as a JPEG with no
metadata at all.
"""

from __future__ import annotations

import warnings
from io import BytesIO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

#: The most pixels a photo may declare (a 40-megapixel camera's); more is refused
#: before any pixel is decoded.
MAX_PIXELS = 40_000_000
#: The longer side of a kept photo: a document stays readable, the file small.
MAX_SIDE = 2000
JPEG_QUALITY = 85
#: Formats a phone's camera or gallery gives; anything else is not a photo.
FORMATS = {"JPEG", "PNG", "WEBP", "GIF", "BMP", "MPO"}


def _not_a_photo() -> ValidationError:
    return ValidationError(_("This file is not a photo. Take a photo or choose a JPEG or PNG."))


def photo_for_keeping(upload, *, max_bytes: int | None = None) -> ContentFile:
    """``upload`` as an upright JPEG of at most ``MAX_SIDE`` px, without metadata.

    Raises ``ValidationError`` (a translated message) for a file that is not an
    image, declares more than ``MAX_PIXELS`` pixels, or is still above ``max_bytes``
    once made smaller. The result is named after the upload, with ``.jpg``.
    """
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it: any warning is a refusal.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                if image.format not in FORMATS:
                    raise _not_a_photo()
                width, height = image.size
                if width * height > MAX_PIXELS:
                    raise ValidationError(
                        _("This photo is too large (%(mp)s megapixels at most).")
                        % {"mp": MAX_PIXELS // 1_000_000}
                    )
                image.load()
                upright = ImageOps.exif_transpose(image)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("This photo is too large (%(mp)s megapixels at most).")
            % {"mp": MAX_PIXELS // 1_000_000}
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        # A truncated or damaged file: Pillow's decoders raise any of these.
        raise _not_a_photo() from None
    finally:
        upload.seek(0)
    if upright.mode not in ("RGB", "L"):
        upright = _on_white(upright)
    upright.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = BytesIO()
    # No exif=, no icc_profile=: the JPEG carries pixels only.
    upright.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    if max_bytes is not None and out.tell() > max_bytes:
        raise ValidationError(
            _("The photo is too large even made smaller: at most %(mb)s MB.")
            % {"mb": max_bytes // (1024 * 1024)}
        )
    stem = (getattr(upload, "name", "") or "photo").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(out.getvalue(), name=f"{stem[:80] or 'photo'}.jpg")


def _on_white(image: Image.Image) -> Image.Image:
    """A transparent or paletted image on a white ground (JPEG has no transparency)."""
    rgba = image.convert("RGBA")
    ground = Image.new("RGB", rgba.size, (255, 255, 255))
    ground.paste(rgba, mask=rgba.getchannel("A"))
    return ground
