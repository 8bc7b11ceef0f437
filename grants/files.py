"""Attachment checks: the type is read from the file's content, not trusted
from its name or the browser, and the size is limited."""

from django.conf import settings
from django.utils.translation import gettext as _

from portal import uploads
from portal.errors import ServiceError

# Office files only in the formats that cannot carry macros.
ACCEPTED = (
    uploads.PDF,
    uploads.PNG,
    uploads.JPEG,
    uploads.DOCX,
    uploads.XLSX,
    uploads.PPTX,
)


def _macro_refused():
    return _(
        "マクロを含められる形式のOffice文書（.doc .xls .ppt、.docm .xlsm .pptm など）は"
        "添付できません。.docx .xlsx .pptx かPDFで保存し直してください。"
    )


def max_bytes():
    return settings.GRANTS_MAX_ATTACHMENT_BYTES


def sniff(head, data):
    """(content type, allowed extensions) of `data`, or None when it is not
    a PDF, an image or an Office file."""
    kind = uploads.sniff(head, data=data)
    if kind not in ACCEPTED:
        return None
    return kind.content_type, set(kind.extensions)


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
    found = uploads.sniff(data[: 64 * 1024], data=data)
    if uploads.macro_capable(found, upload.name):
        raise ServiceError(_macro_refused())
    kind = sniff(data[: 64 * 1024], data)
    extension = uploads.extension_of(upload.name)
    if kind is None:
        raise ServiceError(
            _("添付できるのはPDF、画像（PNG・JPEG）、Office文書（Word・Excel・PowerPoint）です。")
        )
    content_type, extensions = kind
    if extension not in extensions:
        raise ServiceError(_("ファイルの拡張子が内容と一致しません。"))
    return data, content_type
