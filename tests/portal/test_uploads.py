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


@pytest.mark.parametrize(
    ("name", "kind", "expected"),
    [
        ("evil.html", uploads.TEXT, "evil.txt"),
        ("notes.TXT", uploads.TEXT, "notes.TXT"),
        ("photo.jpeg", uploads.JPEG, "photo.jpeg"),
        ("scan", uploads.PDF, "scan.pdf"),
        ("C:\\fakepath\\report.pdf.exe", uploads.PDF, "report.pdf.pdf"),
        (".html", uploads.TEXT, "file.txt"),
    ],
)
def test_a_stored_name_keeps_only_an_extension_of_its_kind(name, kind, expected):
    assert uploads.download_name(name, kind) == expected


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1...", "old.doc"),
        (_zip("[Content_Types].xml", "word/document.xml", "word/vbaProject.bin"), "a.docx"),
        (_zip("[Content_Types].xml", "xl/workbook.xml"), "book.xlsm"),
        (_zip("[Content_Types].xml", "ppt/presentation.xml"), "deck.pptm"),
    ],
)
def test_office_files_that_can_carry_macros_are_known(content, name):
    kind = uploads.sniff(content[:65536], name=name, data=content)
    assert uploads.macro_capable(kind, name)


def test_office_open_xml_without_macros_is_not_macro_capable():
    content = _zip("[Content_Types].xml", "word/document.xml")
    assert not uploads.macro_capable(uploads.sniff(content, data=content), "a.docx")
