"""What an uploaded file really is, read from its content: the browser's
content type and the file's name are not trusted. Each app says which kinds
it accepts (support-request attachments, grant attachments, ...)."""

import io
import zipfile
from dataclasses import dataclass


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extensions: tuple  # the first is the one stored files get

    @property
    def extension(self):
        return self.extensions[0]


PDF = FileKind("application/pdf", ("pdf",))
PNG = FileKind("image/png", ("png",))
JPEG = FileKind("image/jpeg", ("jpg", "jpeg"))
OLE_OFFICE = FileKind("application/vnd.ms-office", ("doc", "xls", "ppt"))
DOCX = FileKind(
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)
)
XLSX = FileKind("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",))
PPTX = FileKind(
    "application/vnd.openxmlformats-officedocument.presentationml.presentation", ("pptx",)
)
TEXT = FileKind("text/plain", ("txt",))
CSV = FileKind("text/csv", ("csv",))

MAGIC = (
    (b"%PDF-", PDF),
    (b"\x89PNG\r\n\x1a\n", PNG),
    (b"\xff\xd8\xff", JPEG),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", OLE_OFFICE),
)
OOXML_PARTS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))


def _looks_like_text(sample):
    if b"\x00" in sample:
        return False
    for codec in ("utf-8-sig", "cp932"):
        try:
            sample.decode(codec)
        except UnicodeDecodeError as error:
            # A multi-byte character cut at the end of the sample is fine.
            if codec == "utf-8-sig" and error.start >= len(sample) - 3:
                return True
            continue
        return True
    return False


def _office_open_xml(data):
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except zipfile.BadZipFile:
        return None
    if "[Content_Types].xml" not in names:
        return None
    for prefix, kind in OOXML_PARTS:
        if any(name.startswith(prefix) for name in names):
            return kind
    return None


def sniff(sample, *, name="", data=None):
    """The FileKind of a file from its first bytes (`sample`, 64 KiB is
    plenty), its whole content for Office Open XML (`data`, a zip), and its
    name only to tell CSV from plain text; None when it is none of these."""
    for magic, kind in MAGIC:
        if sample.startswith(magic):
            return kind
    if sample.startswith(b"PK\x03\x04"):
        return _office_open_xml(data) if data is not None else None
    if _looks_like_text(sample):
        return CSV if name.lower().endswith(".csv") else TEXT
    return None
