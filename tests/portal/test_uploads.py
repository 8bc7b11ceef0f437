import io
import zipfile

import pytest

from portal import uploads


def _zip(*names):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "name", "kind"),
    [
        (b"%PDF-1.7\n", "a.exe", uploads.PDF),
        (b"\x89PNG\r\n\x1a\n....", "a.pdf", uploads.PNG),
        (b"\xff\xd8\xff\xe0....", "photo", uploads.JPEG),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...", "old.xls", uploads.OLE_OFFICE),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), "a.xlsx", uploads.XLSX),
        (_zip("[Content_Types].xml", "word/document.xml"), "a.docx", uploads.DOCX),
        ("名前,数\n祭り,3\n".encode("cp932"), "list.csv", uploads.CSV),
        ("お知らせ".encode(), "note.txt", uploads.TEXT),
        (_zip("evil.sh"), "a.xlsx", None),
        (b"MZ\x90\x00\x03\x00\x00\x00", "report.pdf", None),
        (b"GIF89a\x00\x00", "a.png", None),
    ],
)
def test_a_file_is_known_by_its_content_not_its_name(content, name, kind):
    assert uploads.sniff(content[:65536], name=name, data=content) == kind
