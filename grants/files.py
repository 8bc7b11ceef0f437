"""Attachment checks: the type is read from the file's content, not trusted
from its name or the browser, and the size is limited."""

import io
import zipfile

from django.conf import settings
from django.utils.translation import gettext as _

from portal.errors import ServiceError

MAX_BYTES = 10 * 1024 * 1024

OOXML = {
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", {"pptx"}),
}


def max_bytes():
    return getattr(settings, "GRANTS_MAX_ATTACHMENT_BYTES", MAX_BYTES)


def sniff(head, data):
    """(content type, allowed extensions) of `data`, or None when it is not
    a PDF, an image or an Office file."""
    if head.startswith(b"%PDF-"):
        return "application/pdf", {"pdf"}
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", {"png"}
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", {"jpg", "jpeg"}
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-office", {"doc", "xls", "ppt"}
    if head.startswith(b"PK\x03\x04"):
        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" not in names:
            return None
        for prefix, kind in OOXML.items():
            if any(name.startswith(prefix) for name in names):
                return kind
    return None


def check_upload(upload):
    """(bytes, content type) of an acceptable upload; ServiceError otherwise."""
    size = upload.size
    if size == 0:
        raise ServiceError(_("ファイルが空です。"))
    if size > max_bytes():
        raise ServiceError(
            _("ファイルが大きすぎます（上限 %(mb)d MB）。") % {"mb": max_bytes() // (1024 * 1024)}
        )
    upload.seek(0)
    data = upload.read()
    kind = sniff(data[:16], data)
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    if kind is None:
        raise ServiceError(
            _("添付できるのはPDF、画像（PNG・JPEG）、Office文書（Word・Excel・PowerPoint）です。")
        )
    content_type, extensions = kind
    if extension not in extensions:
        raise ServiceError(_("ファイルの拡張子が内容と一致しません。"))
    return data, content_type
