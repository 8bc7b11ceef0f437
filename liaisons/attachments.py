"""Checking an uploaded attachment by its content, not by its name or the
browser's word: PDF, PNG, JPEG or plain text / CSV, up to a size cap."""

import uuid

from django.utils.translation import gettext as _

from portal import uploads
from portal.errors import ServiceError

MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
MAX_ATTACHMENTS = 5
TEXT_SNIFF_BYTES = 64 * 1024


# Support requests carry documents and photos, not Office files or archives.
ACCEPTED = (uploads.PDF, uploads.PNG, uploads.JPEG, uploads.TEXT, uploads.CSV)


def sniff(head, name):
    """The FileKind of an attachment from its first bytes, or None if not accepted."""
    kind = uploads.sniff(head, name=name)
    return kind if kind in ACCEPTED else None


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
