"""What an uploaded file really is, read from its content: the browser's
content type and the file's name are not trusted. Each app says which kinds
it accepts (support-request attachments, grant attachments, ...).

Office files that can carry macros are never accepted anywhere: the legacy
binary formats (.doc .xls .ppt, which cannot be told apart from their
macro-carrying selves) and the macro-enabled Office Open XML ones (.docm
.xlsm .pptm and their templates and add-ins, or any zip holding a VBA
project). A stored file's name keeps only an extension of the kind its
content was found to be (`download_name`)."""

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
# Read as "can run code when opened in Office".
MACRO_CAPABLE = FileKind("application/vnd.ms-office.macro-capable", ())
MACRO_EXTENSIONS = frozenset(
    {"doc", "dot", "xls", "xlt", "xla", "ppt", "pot", "pps"}
    | {"docm", "dotm", "xlsm", "xltm", "xlam", "xlsb", "pptm", "potm", "ppsm", "ppam"}
)


def extension_of(name):
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base.rsplit(".", 1)[-1].lower() if "." in base else ""


def macro_capable(kind, name=""):
    """Whether a file (its sniffed kind, its name) is an Office format that can carry macros."""
    return kind in (OLE_OFFICE, MACRO_CAPABLE) or extension_of(name) in MACRO_EXTENSIONS


def download_name(name, kind):
    """`name` as a stored file is offered: the base name, with its extension
    replaced by the kind's own unless it is already one of them
    (`evil.html` read as text becomes `evil.txt`)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip() or "file"
    if extension_of(base) in kind.extensions:
        return base[:200]
    stem = base.rsplit(".", 1)[0] if "." in base else base
    suffix = "." + kind.extension
    return (stem or "file")[: 200 - len(suffix)] + suffix


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
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        return MACRO_CAPABLE
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
