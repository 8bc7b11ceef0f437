"""Checking an uploaded attachment by its content, not by its name or the
browser's word: PDF, PNG, JPEG or plain text / CSV, up to a size cap."""

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.errors import ServiceError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
TEXT_SNIFF_BYTES = 64 * 1024


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str


PDF = Kind("application/pdf", "pdf")
PNG = Kind("image/png", "png")
JPEG = Kind("image/jpeg", "jpg")
TEXT = Kind("text/plain", "txt")
CSV = Kind("text/csv", "csv")

MAGIC = ((b"%PDF-", PDF), (b"\x89PNG\r\n\x1a\n", PNG), (b"\xff\xd8\xff", JPEG))


def _is_text(data):
    if b"\x00" in data:
        return False
    for codec in ("utf-8-sig", "cp932"):
        try:
            data.decode(codec)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is fine.
            if codec == "utf-8-sig" and error.start >= len(data) - 3:
                return True
            continue
        return True
    return False


def sniff(head, name):
    """The Kind of a file from its first bytes (and, for text, its name), or None."""
    for magic, kind in MAGIC:
        if head.startswith(magic):
            return kind
    if _is_text(head):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None


def check_upload(upload):
    """(Kind, stored name) of an acceptable upload; ServiceError otherwise."""
    if upload.size == 0:
        raise ServiceError(_("「%(name)s」は空のファイルです。") % {"name": upload.name})
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ServiceError(_("「%(name)s」は大きすぎます（10MBまで）。") % {"name": upload.name})
    upload.seek(0)
    head = upload.read(TEXT_SNIFF_BYTES)
    upload.seek(0)
    kind = sniff(head, upload.name)
    if kind is None:
        raise ServiceError(
            _(
                "「%(name)s」は受け付けられない種類のファイルです。"
                "PDF、PNG、JPEG、テキスト、CSV のいずれかを添付してください。"
            )
            % {"name": upload.name}
        )
    return kind, f"{uuid.uuid4().hex}.{kind.extension}"


def display_name(name):
    """The name shown and offered on download: the base name only, trimmed."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    return (name or "file")[:200]
