"""Real picture files for the tests, made with Pillow (and by hand where Pillow would refuse to make them)."""
import functools
import io
import os
import struct
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image

from coproduction.images import PictureInput, picture_apply, prepare

GPS_LATITUDE = (52.0, 31.0, 12.5)


@functools.lru_cache
def jpeg_with_gps(size=(1600, 900), orientation=None):
    """A camera-like JPEG: GPS position, camera make and model, a description and (optionally) an orientation."""
    image = Image.new("RGB", size, (200, 80, 40))
    for x in range(0, size[0], 40):  # some detail, so the encoder has something to keep
        image.paste((20, 120, 200), (x, 0, x + 20, size[1] // 2))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Kamerawerk"
    exif[ExifTags.Base.Model] = "KW-1 Geheim"
    exif[ExifTags.Base.ImageDescription] = "Wohnung von Anna, Lindenstraße 5"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = GPS_LATITUDE
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (13.0, 24.0, 1.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif, quality=90, comment=b"secret comment")
    data = out.getvalue()
    with Image.open(io.BytesIO(data)) as check:  # the fixture really carries what the platform must remove
        assert check.getexif().get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] == GPS_LATITUDE
    return data


def png(size=(800, 600), mode="RGB", colour=(30, 140, 90)):
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, format="PNG")
    return out.getvalue()


def webp(size=(700, 500)):
    out = io.BytesIO()
    Image.new("RGB", size, (90, 90, 200)).save(out, format="WEBP")
    return out.getvalue()


def _chunk(kind, payload):
    return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))


def bomb_png(width=30000, height=30000):
    """A PNG of a few hundred bytes that declares width × height pixels (one grey bit each)."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * ((width + 7) // 8 + 1) * 8, 9)  # eight rows; the rest is "missing"
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", rows) + _chunk(b"IEND", b"")


@functools.lru_cache
def huge_png(megabytes=30):
    """A real PNG of noise, so it does not compress: about ``megabytes`` MB, well under the pixel limit."""
    side = int((megabytes * 1024 * 1024 / 3) ** 0.5) + 1
    image = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    data = out.getvalue()
    assert len(data) >= megabytes * 1000 * 1000
    return data


SVG_WITH_SCRIPT = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="200" height="200">'
                   b'<script>alert(document.cookie)</script><rect width="200" height="200" fill="red"/></svg>')
TEXT = b"Dies ist kein Bild, nur Text.\n" * 20


def truncated_jpeg():
    data = jpeg_with_gps()
    return data[: len(data) // 2]


def upload(data, name="foto.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


BAD_UPLOADS = {
    "text renamed .jpg": (lambda: TEXT, "notes.jpg", "image/jpeg", "not a picture we can take"),
    "svg with a script": (lambda: SVG_WITH_SCRIPT, "logo.svg", "image/svg+xml", "not a picture we can take"),
    "svg renamed .png": (lambda: SVG_WITH_SCRIPT, "logo.png", "image/png", "not a picture we can take"),
    "decompression bomb": (bomb_png, "small.png", "image/png", "too many pixels"),
    "truncated jpeg": (truncated_jpeg, "cut.jpg", "image/jpeg", "incomplete or damaged"),
    "30 MB picture": (huge_png, "big.png", "image/png", "larger than 10"),
}


def bad_upload_params():
    return [pytest.param(*value, id=key) for key, value in BAD_UPLOADS.items()]


def make_picture(user=None, alt="Ein Garten mit Hochbeeten", data=None):
    """A stored picture, through the same path as an upload."""
    return picture_apply(current=None, user=user,
                         change=PictureInput(prepared=prepare(upload(data or png())), alt=alt))


def stored_files(root):
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


@pytest.fixture
def media_root(settings, tmp_path):
    """MEDIA_ROOT in a fresh folder of this test, so what is stored there can be listed."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
