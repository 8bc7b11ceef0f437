"""Photos of posts: checked by their content, size-capped, re-encoded.

The file's name and declared type are not trusted: Pillow must recognise it
as JPEG, PNG or WebP. It is re-encoded as JPEG from its pixels alone, so
EXIF (GPS position, camera serials) and any trailing data are left behind;
the orientation EXIF asked for is applied to the pixels first.
"""

import io

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from portal.errors import ServiceError

MAX_UPLOAD_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 40_000_000
ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP"}
# The stored photo's longest side, and the thumbnail's.
MAX_SIDE = 1600
THUMBNAIL_SIDE = 400


def _encode(image):
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=85, optimize=True)
    return buffer.getvalue()


def process(upload):
    """(photo bytes, thumbnail bytes) for an uploaded file; ServiceError if
    it is not an image we accept."""
    # Pillow costs 0.02 s at start-up; only photo uploads need it.
    from PIL import Image, ImageOps, UnidentifiedImageError

    if upload.size > MAX_UPLOAD_BYTES:
        raise ServiceError(_("画像が大きすぎます（8MBまで）。"))
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()
        image = Image.open(io.BytesIO(data))
        if image.format not in ALLOWED_FORMATS:
            raise ServiceError(_("JPEG・PNG・WebP の画像を選んでください。"))
        if image.width * image.height > MAX_PIXELS:
            raise ServiceError(_("画像の画素数が多すぎます。"))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ServiceError(_("画像として読み取れないファイルです。")) from None
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, "white")
        rgba = image.convert("RGBA")
        background.paste(rgba, mask=rgba.getchannel("A"))
        image = background
    else:
        image = image.convert("RGB")
    # A fresh image holds pixels only: no EXIF, no ICC, no comments.
    clean = Image.new("RGB", image.size)
    clean.paste(image)
    clean.thumbnail((MAX_SIDE, MAX_SIDE))
    thumbnail = clean.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE))
    return ContentFile(_encode(clean), name="photo.jpg"), ContentFile(
        _encode(thumbnail), name="thumbnail.jpg"
    )
