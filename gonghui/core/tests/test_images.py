"""Photos made fit to keep (core.images): upright, at most 2000 px, a JPEG without
metadata; what is not a photo, or claims too many pixels, is refused."""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from gonghui.core.images import MAX_SIDE, photo_for_keeping

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(640, 480), orientation: int | None = None) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[GPS_IFD] = {1: "N", 2: (30.0, 15.0, 0.0), 3: "E", 4: (120.0, 10.0, 0.0)}
    if orientation is not None:
        exif[ORIENTATION] = orientation
    out = BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def kept(content: bytes, name: str = "photo.jpg") -> Image.Image:
    result = photo_for_keeping(upload(content, name))
    image = Image.open(BytesIO(result.read()))
    image.load()
    return image


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` × ``height`` pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 16))
        + chunk(b"IEND", b"")
    )


def test_a_photo_with_gps_tags_is_kept_as_a_jpeg_without_any_exif():
    original = Image.open(BytesIO(jpeg_with_gps()))
    assert GPS_IFD in original.getexif()  # the test photo does carry a location

    image = kept(jpeg_with_gps())

    assert image.format == "JPEG"
    assert len(image.getexif()) == 0
    assert "exif" not in image.info and "icc_profile" not in image.info
    assert image.size == (640, 480)


def test_a_large_photo_is_made_2000_pixels_on_its_longer_side():
    big = BytesIO()
    Image.new("RGB", (6000, 4000), (10, 120, 10)).save(big, format="JPEG")

    image = kept(big.getvalue())

    assert image.size == (MAX_SIDE, 1333)


def test_a_photo_turned_by_its_exif_flag_is_kept_upright():
    # Orientation 6: the camera held upright, the pixels stored lying on their side.
    image = kept(jpeg_with_gps(size=(400, 300), orientation=6))

    assert image.size == (300, 400)
    assert len(image.getexif()) == 0


def test_a_transparent_png_becomes_a_jpeg_and_keeps_its_name():
    png = BytesIO()
    Image.new("RGBA", (50, 40), (0, 0, 0, 0)).save(png, format="PNG")

    result = photo_for_keeping(upload(png.getvalue(), "收据.png", "image/png"))

    assert result.name == "收据.jpg"
    assert Image.open(BytesIO(result.read())).mode == "RGB"


def test_a_png_claiming_ten_billion_pixels_is_refused_before_it_is_decoded():
    with pytest.raises(ValidationError) as refused:
        photo_for_keeping(upload(png_claiming(100_000, 100_000), "bomb.png", "image/png"))
    assert "too large" in refused.value.messages[0]


def test_a_photo_above_the_pixel_limit_below_pillows_own_is_refused():
    with pytest.raises(ValidationError, match="too large"):
        photo_for_keeping(upload(png_claiming(8000, 6000), "big.png", "image/png"))


@pytest.mark.parametrize(
    ("content", "name"),
    [
        ("这不是照片，只是文字。".encode(), "photo.jpg"),
        (b"<!doctype html><html><script>alert(1)</script></html>", "photo.jpg"),
        (b"<html><body>x</body></html>", "page.html"),
        (b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", "scan.pdf"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 40, "broken.jpg"),
    ],
)
def test_what_is_not_a_photo_is_refused_with_a_clear_message(content, name):
    with pytest.raises(ValidationError) as refused:
        photo_for_keeping(upload(content, name))
    assert refused.value.messages == [
        "This file is not a photo. Take a photo or choose a JPEG or PNG."
    ]


def test_a_photo_still_above_the_size_limit_is_refused():
    noisy = BytesIO()
    Image.effect_noise((1500, 1500), 100).convert("RGB").save(noisy, format="JPEG")

    with pytest.raises(ValidationError, match="too large even made smaller"):
        photo_for_keeping(upload(noisy.getvalue()), max_bytes=100 * 1024)
