"""Reading and writing the CSV files that city systems exchange.

Reading. Files come as UTF-8 (with or without BOM), UTF-16 with BOM or CP932;
headers vary in width (`料金（基本）` vs `料金(基本)`). Importers read rows
through `read_csv`, which streams: it never holds more than a few chunks of
the file, so a register of a million rows costs no more memory than one of a
thousand.

    reader = read_csv(fileobj, columns=COLUMNS, aliases=ALIASES)
    for row in reader:              # CsvRow(line, values), one at a time
        ...
    reader.errors                   # first 1,000 RowErrors (bad width, NUL, ...)
    reader.error_count              # all of them, beyond the cap too

The encoding is found without decoding the whole file: a BOM decides it;
otherwise the first 64 KiB after the first non-ASCII byte are tried as UTF-8,
then CP932 (never shift_jis: only cp932 holds 髙, 﨑, ①, ㈱ and the vendor
外字 area). A byte further on that the chosen encoding cannot read becomes a
file error at its line, and reading stops there. Headers are matched after
NFKC through an alias table; every row carries the physical line it starts on
(header = line 1), so messages point at the line a clerk sees in an editor.

Header problems (empty file, unknown encoding, missing or duplicated columns)
raise ImportRejected at once. Row problems are collected in an ErrorCollector
that the importer can share (`errors=`) for its own checks, so one cap and
one count cover the whole file.

Writing. `csv_bytes` and `csv_stream` write one table for Excel: UTF-8 with
BOM, or CP932 that refuses (ExportEncodingError) rather than write `?`, and
text cells that Excel would run as a formula are neutralised.
"""

import bisect
import codecs
import csv
import io
import itertools
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

FILE_COLUMN = "ファイル"
MAX_ERRORS = 1000
CHUNK_BYTES = 64 * 1024
# How much text after the first non-ASCII byte decides between UTF-8 and CP932.
SNIFF_BYTES = 64 * 1024
# A physical line longer than this is not a city system's CSV (a register
# row is a few hundred characters): the file is refused at that line.
MAX_LINE_CHARS = 64 * 1024

ENCODING_LABELS = {"utf-8": "UTF-8", "cp932": "Shift_JIS（CP932）", "utf-16": "UTF-16"}


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.column}: {self.reason}"


def omitted_summary(count):
    """The last line of a truncated error list: `… 他 205 件のエラー`."""
    return ngettext("… 他 %(count)d 件のエラー", "… 他 %(count)d 件のエラー", count) % {
        "count": count
    }


class ErrorCollector:
    """The row errors of one file: the first `limit` by line, and a count of all.

    A file with 300,000 bad rows must not become a page (or a message) of
    300,000 lines: keep the earliest ones, which are the ones a clerk fixes
    first, and say how many more there are.
    """

    def __init__(self, limit=MAX_ERRORS):
        self.limit = limit
        self.errors = []
        self.count = 0

    def add(self, error):
        self.count += 1
        # Keep the earliest lines even when a later check reports an earlier line.
        bisect.insort_right(self.errors, error, key=lambda e: e.line)
        if len(self.errors) > self.limit:
            self.errors.pop()

    def extend(self, errors):
        for error in errors:
            self.add(error)

    @property
    def omitted(self):
        return self.count - len(self.errors)

    def __bool__(self):
        return self.count > 0


class ImportRejected(Exception):
    """A file with bad rows: nothing of it was imported.

    Built from an ErrorCollector (its capped list and total count) or a plain
    list of RowErrors (capped at MAX_ERRORS here). `errors` is sorted by line;
    `error_count` counts every error, `omitted` those not listed.
    """

    def __init__(self, errors, *, total=None):
        if isinstance(errors, ErrorCollector):
            listed, count = list(errors.errors), errors.count
        else:
            listed = sorted(errors, key=lambda e: e.line)
            count = len(listed)
            listed = listed[:MAX_ERRORS]
        self.errors = sorted(listed, key=lambda e: e.line)
        self.error_count = max(count, total or 0, len(self.errors))
        self.omitted = self.error_count - len(self.errors)
        super().__init__("\n".join(self.report_lines()))

    @property
    def summary(self):
        """`… 他 N 件のエラー` when the list is truncated, else ""."""
        return omitted_summary(self.omitted) if self.omitted else ""

    def report_lines(self):
        """One line per listed error, then the summary line if any were left out."""
        lines = [str(e) for e in self.errors]
        if self.omitted:
            lines.append(self.summary)
        return lines


@dataclass
class CsvRow:
    line: int
    values: dict = field(default_factory=dict)

    def __getitem__(self, column):
        return self.values.get(column, "")


def normalise_header(name):
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "")


def normalise_code(value):
    """Codes, digits, postal codes and dates: NFKC and trimmed (never names)."""
    return unicodedata.normalize("NFKC", value).strip()


# --- Reading ----------------------------------------------------------------

_NON_ASCII = re.compile(rb"[\x80-\xff]")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)


class _DecodeFailed(Exception):
    """A byte the file's encoding cannot read, on physical line `line`."""

    def __init__(self, line, encoding, byte):
        self.line, self.encoding, self.byte = line, encoding, byte
        super().__init__(line)

    def reason(self):
        if self.encoding is None:
            return _(
                "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存してください。"
            )
        return _(
            "%(encoding)s として読めないバイト（0x%(byte)s）があります。"
            "ファイル全体を同じ文字コードで保存し直してください。"
        ) % {"encoding": ENCODING_LABELS[self.encoding], "byte": self.byte.hex().upper()}


class _LineTooLong(Exception):
    """Physical line `line` is longer than MAX_LINE_CHARS."""

    def __init__(self, line):
        self.line = line
        super().__init__(line)

    def reason(self):
        return _(
            "1行が長すぎます（上限 %(limit)s 文字）。CSVファイルを選んでいるか確かめてください。"
        ) % {"limit": f"{MAX_LINE_CHARS:,}"}


_LINE_END = re.compile(r"[\r\n]")


def _sniff(sample):
    """UTF-8 or CP932 for a sample that starts at a character boundary, or None."""
    for codec in ("utf-8", "cp932"):
        try:
            codecs.getincrementaldecoder(codec)("strict").decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return codec
    return None


class _DecodedLines:
    """The physical lines of a binary file, decoded a chunk at a time.

    Lines keep their line ends (CRLF, LF or CR, as `newline=""` would), which
    csv.reader needs for quoted fields that span lines. While only ASCII has
    been seen the encoding is left open: ASCII reads the same in UTF-8 and
    CP932, and the first non-ASCII bytes decide.
    """

    def __init__(self, fileobj):
        self._file = fileobj
        self._eof = False
        self.codec = None  # the Python codec once known
        self.encoding = None  # "utf-8", "cp932" or "utf-16" once known
        self._decoder = None
        self.lines_yielded = 0

    def _read(self):
        if self._eof:
            return b""
        chunk = self._file.read(CHUNK_BYTES)
        if not chunk:
            self._eof = True
        return chunk

    def _start(self, chunk):
        """Strip a BOM from the first chunk; a BOM settles the encoding."""
        while len(chunk) < 4 and not self._eof:
            chunk += self._read()
        for bom, codec, encoding in _BOMS:
            if chunk.startswith(bom):
                self._choose(codec, encoding)
                return chunk[len(bom) :]
        return chunk

    def _choose(self, codec, encoding):
        self.codec, self.encoding = codec, encoding
        self._decoder = codecs.getincrementaldecoder(codec)("strict")

    def _decode(self, chunk):
        """Text of a chunk; (text, failed byte) when a byte cannot be read."""
        if self.codec is None:
            first = _NON_ASCII.search(chunk)
            if first is None:
                return chunk.decode("ascii"), None
            start = first.start()
            while len(chunk) - start < SNIFF_BYTES and not self._eof:
                chunk += self._read()
            codec = _sniff(chunk[start:])
            if codec is None:
                return chunk[:start].decode("ascii"), chunk[start : start + 1]
            self._choose(codec, codec)
        try:
            return self._decoder.decode(chunk, final=self._eof), None
        except UnicodeDecodeError as exc:
            # exc.object is the decoder's pending bytes plus this chunk.
            valid = exc.object[: exc.start].decode(self.codec)
            return valid, exc.object[exc.start : exc.end]

    def __iter__(self):
        # The unfinished line, in pieces: joined once when its end comes, so
        # a long line costs its length, not its length times its chunks.
        pending, held = [], 0
        chunk = self._start(self._read())
        while True:
            text, failed = self._decode(chunk)
            if failed is None and not self._eof and not _LINE_END.search(text):
                pending.append(text)
                held += len(text)
                if held > MAX_LINE_CHARS:
                    raise _LineTooLong(self.lines_yielded + 1)
                chunk = self._read()
                continue
            lines = io.StringIO("".join(pending) + text, newline="").readlines()
            pending, held = [], 0
            if failed is not None:
                # The unfinished line is the one that holds the bad byte.
                if lines and not lines[-1].endswith(("\r", "\n")):
                    lines.pop()
            elif not self._eof and lines and not lines[-1].endswith("\n"):
                # Hold back an unfinished line (a lone CR may be half of a CRLF).
                pending = [lines.pop()]
                held = len(pending[0])
            for line in lines:
                if len(line) > MAX_LINE_CHARS:
                    raise _LineTooLong(self.lines_yielded + 1)
                self.lines_yielded += 1
                yield line
            if held > MAX_LINE_CHARS:
                raise _LineTooLong(self.lines_yielded + 1)
            if failed is not None:
                raise _DecodeFailed(self.lines_yielded + 1, self.encoding, failed)
            if self._eof:
                return
            chunk = self._read()


class CsvReader:
    """The rows of one CSV file, read lazily; see `read_csv`."""

    def __init__(self, fileobj, *, columns, aliases=None, max_errors=MAX_ERRORS, errors=None):
        if isinstance(fileobj, (bytes, bytearray, memoryview)):
            fileobj = io.BytesIO(fileobj)
        self._errors = errors if errors is not None else ErrorCollector(max_errors)
        self._lines = _DecodedLines(fileobj)
        self._csv = csv.reader(self._lines)
        self.row_count = 0
        self.columns = self._read_header(columns, aliases or {})
        self._rows = self._iter_rows()

    @property
    def encoding(self):
        """ "utf-8", "cp932" or "utf-16"; None while only ASCII has been read."""
        return self._lines.encoding

    @property
    def errors(self):
        return self._errors.errors

    @property
    def error_count(self):
        return self._errors.count

    @property
    def collector(self):
        return self._errors

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._rows)

    def _read_header(self, columns, aliases):
        try:
            header = next(self._csv)
        except StopIteration:
            raise ImportRejected([RowError(1, FILE_COLUMN, _("ファイルが空です。"))]) from None
        except _DecodeFailed as failed:
            failed.encoding = None  # on the first line, the encoding is what is wrong
            raise ImportRejected([RowError(1, FILE_COLUMN, failed.reason())]) from None
        except _LineTooLong as failed:
            raise ImportRejected([RowError(failed.line, FILE_COLUMN, failed.reason())]) from None
        except csv.Error as exc:
            raise ImportRejected(
                [RowError(1, FILE_COLUMN, _("CSVとして読めません: %s") % exc)]
            ) from None

        canonical = {normalise_header(c): c for c in columns}
        for alias, target in aliases.items():
            canonical[normalise_header(alias)] = target
        header_columns = [canonical.get(normalise_header(h), normalise_header(h)) for h in header]

        missing = [c for c in columns if c not in header_columns]
        if missing:
            raise ImportRejected(
                [
                    RowError(1, column, _("列が見つかりません。見出し行を確認してください。"))
                    for column in missing
                ]
            )
        duplicated = {c for c in header_columns if header_columns.count(c) > 1 and c in columns}
        if duplicated:
            raise ImportRejected(
                [
                    RowError(1, column, _("同じ名前の列が複数あります。"))
                    for column in sorted(duplicated)
                ]
            )
        return header_columns

    def _iter_rows(self):
        width = len(self.columns)
        reader = self._csv
        while True:
            line = reader.line_num + 1  # where this row starts
            try:
                values = next(reader)
            except StopIteration:
                return
            except (_DecodeFailed, _LineTooLong) as failed:
                # The rest of the file cannot be read reliably: stop here.
                self._errors.add(RowError(failed.line, FILE_COLUMN, failed.reason()))
                return
            except csv.Error as exc:
                self._errors.add(
                    RowError(reader.line_num, FILE_COLUMN, _("CSVとして読めません: %s") % exc)
                )
                return
            if not any(v.strip() for v in values):
                continue  # blank lines, such as the trailing one many systems write
            if len(values) != width:
                self._errors.add(
                    RowError(
                        line,
                        FILE_COLUMN,
                        _(
                            "列の数が見出し行と合いません（見出し %(expected)d 列、この行 %(actual)d 列）。"
                        )
                        % {"expected": width, "actual": len(values)},
                    )
                )
                continue
            # A NUL is never data: databases refuse it, and it hides the text after it.
            bad = [c for c, v in zip(self.columns, values, strict=True) if "\x00" in v]
            for column in bad:
                self._errors.add(RowError(line, column, _("NUL文字（0x00）が含まれています。")))
            if bad:
                continue
            self.row_count += 1
            yield CsvRow(line, dict(zip(self.columns, values, strict=True)))


def read_csv(fileobj, *, columns, aliases=None, max_errors=MAX_ERRORS, errors=None):
    """The rows of a CSV file as CsvRow, keyed by the canonical column names.

    `fileobj` is a binary file object (an upload, an open file) or bytes.
    `columns` are the required columns; `aliases` maps other spellings (after
    NFKC) to a canonical name. The header is read at once and raises
    ImportRejected when the file is empty, undecodable or lacks a column; the
    returned CsvReader then yields the rows one at a time. Rows of the wrong
    width, rows holding a NUL and bytes the encoding cannot read are not
    yielded but recorded in `reader.errors` (the first `max_errors`) and
    `reader.error_count`. Pass the importer's own ErrorCollector as `errors`
    to keep one cap and one count over the reader's errors and its own.
    """
    return CsvReader(
        fileobj, columns=columns, aliases=aliases, max_errors=max_errors, errors=errors
    )


# --- Writing CSV for Excel and other city systems ---------------------------

EXPORT_ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}
# OWASP "CSV injection": Excel and LibreOffice run a cell starting with these.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
STREAM_CHUNK_CHARS = 64 * 1024
# CP932 exports are encoded in full before the first byte is sent; past this
# size the encoded file waits on disk rather than in memory.
SPOOL_MAX_BYTES = 1024 * 1024


class ExportEncodingError(Exception):
    """The data holds characters the chosen encoding cannot represent."""

    def __init__(self, characters):
        self.characters = characters
        super().__init__("".join(characters))


def safe_cell(value):
    """A cell value Excel shows as text, never runs as a formula.

    Numbers stay numbers (-5 is written -5); any other value is written as its
    text, with a leading `'` when it starts with = + - @ TAB or CR, so that
    `=HYPERLINK(...)` typed into a name field reaches Excel as plain text.
    """
    if value is None:
        return ""
    if isinstance(value, (bool, int, float, Decimal)):
        return value
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def _safe_row(row):
    return [safe_cell(value) for value in row]


def csv_bytes(header, rows, *, encoding="utf-8"):
    """One table as CSV bytes: header on row 1, CRLF line ends.

    UTF-8 is written with a BOM so that Excel opens it correctly. CP932 never
    writes `?` for a character it lacks (such as 𠮷): it raises
    ExportEncodingError naming every such character instead. Text cells are
    neutralised against formula injection (see `safe_cell`).
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_safe_row(header))
    writer.writerows(_safe_row(row) for row in rows)
    text = buffer.getvalue()
    codec = EXPORT_ENCODINGS[encoding]
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        raise ExportEncodingError(_missing_characters(text, codec)) from None


def _missing_characters(text, codec):
    return sorted({ch for ch in text if not _encodable(ch, codec)})


def _encodable(character, codec):
    try:
        character.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def _csv_text_chunks(header, rows):
    """The table as text, in pieces of about STREAM_CHUNK_CHARS."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(_safe_row(header))
    for row in rows:
        writer.writerow(_safe_row(row))
        if buffer.tell() >= STREAM_CHUNK_CHARS:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue()


def csv_stream(header, rows, *, encoding="utf-8"):
    """The table of `csv_bytes` as a generator of encoded chunks.

    `rows` may be any iterable (a queryset's .iterator()); it is read once.
    No byte is yielded before the table is known to encode:
    - UTF-8 holds every character, so rows are encoded and yielded as they
      are read, with the BOM in the first chunk; memory stays flat.
    - CP932: every row is encoded first, into a spooled temporary file (in
      memory up to SPOOL_MAX_BYTES, then on disk). If any character is
      missing, the first next() raises ExportEncodingError naming all of
      them, as csv_bytes does; otherwise the spooled bytes are yielded.
    """
    codec = EXPORT_ENCODINGS[encoding]
    if encoding != "cp932":
        encoder = codecs.getincrementalencoder(codec)()
        for text in _csv_text_chunks(header, rows):
            yield encoder.encode(text)
        return
    missing = set()
    with tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_BYTES) as spool:
        for text in _csv_text_chunks(header, rows):
            try:
                encoded = text.encode(codec)
            except UnicodeEncodeError:
                missing.update(_missing_characters(text, codec))
                continue  # keep reading to name every missing character
            if not missing:
                spool.write(encoded)
        if missing:
            raise ExportEncodingError(sorted(missing))
        spool.seek(0)
        while chunk := spool.read(CHUNK_BYTES):
            yield chunk


def _attachment(response, filename):
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response


def csv_response(data, *, filename):
    """An attachment response; the file name may be Japanese (RFC 6266)."""
    return _attachment(HttpResponse(data, content_type="text/csv"), filename)


def csv_streaming_response(rows, *, header, filename, encoding="utf-8"):
    """A streamed CSV attachment for large tables.

    Raises ExportEncodingError here, before any response exists, when CP932
    lacks a character (the first chunk is produced before returning; see
    `csv_stream`), so the view can still show a message instead of a broken
    download.
    """
    chunks = csv_stream(header, rows, encoding=encoding)
    first = next(chunks, b"")
    response = StreamingHttpResponse(itertools.chain([first], chunks), content_type="text/csv")
    return _attachment(response, filename)
