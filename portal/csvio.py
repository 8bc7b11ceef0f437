"""Reading the CSV files that city systems export.

Files come as UTF-8 (with or without BOM), UTF-16 with BOM or CP932; headers
vary in width (`料金（基本）` vs `料金(基本)`). Importers read rows through
`read_csv`, which finds the encoding, matches headers after NFKC through an
alias table, and numbers every row by its line in the file (header = line 1),
so error messages can point at the line a clerk sees in their editor.
"""

import codecs
import csv
import io
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote

from django.http import HttpResponse
from django.utils.translation import gettext as _

FILE_COLUMN = "ファイル"


@dataclass(frozen=True)
class RowError:
    line: int
    column: str
    reason: str

    def __str__(self):
        return f"line {self.line}: {self.column}: {self.reason}"


class ImportRejected(Exception):
    """A file with bad rows: nothing of it was imported."""

    def __init__(self, errors):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("\n".join(str(e) for e in self.errors))


@dataclass
class CsvRow:
    line: int
    values: dict = field(default_factory=dict)

    def __getitem__(self, column):
        return self.values.get(column, "")


def decode_csv_bytes(data):
    """Text of a CSV file in any encoding city systems use.

    Decodes Shift_JIS-family files as cp932, never shift_jis: only cp932 holds
    髙, 﨑, ① and ㈱. Raises ImportRejected when no encoding fits.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="strict")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "cp932"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRejected(
        [
            RowError(
                1,
                FILE_COLUMN,
                _(
                    "文字コードを判別できません。UTF-8 または Shift_JIS（CP932）で保存してください。"
                ),
            )
        ]
    )


def normalise_header(name):
    return unicodedata.normalize("NFKC", name).strip().replace(" ", "")


def normalise_code(value):
    """Codes, digits, postal codes and dates: NFKC and trimmed (never names)."""
    return unicodedata.normalize("NFKC", value).strip()


def read_csv(data, *, columns, aliases=None):
    """Rows of a CSV file as CsvRow, keyed by the canonical column names.

    `columns` are the required columns; `aliases` maps other spellings
    (after NFKC) to a canonical name. Raises ImportRejected when the file
    cannot be decoded or lacks a column; rows of the wrong width are reported
    through the returned errors list so that every bad row is listed at once.
    """
    text = decode_csv_bytes(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ImportRejected([RowError(1, FILE_COLUMN, _("ファイルが空です。"))]) from None
    except csv.Error as exc:
        raise ImportRejected(
            [RowError(1, FILE_COLUMN, _("CSVとして読めません: %s") % exc)]
        ) from None

    canonical = {normalise_header(c): c for c in columns}
    for alias, target in (aliases or {}).items():
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

    rows, errors = [], []
    try:
        for values in reader:
            line = reader.line_num
            if not any(v.strip() for v in values):
                continue  # blank lines, such as the trailing one many systems write
            if len(values) != len(header_columns):
                errors.append(
                    RowError(
                        line,
                        FILE_COLUMN,
                        _(
                            "列の数が見出し行と合いません（見出し %(expected)d 列、この行 %(actual)d 列）。"
                        )
                        % {"expected": len(header_columns), "actual": len(values)},
                    )
                )
                continue
            rows.append(CsvRow(line, dict(zip(header_columns, values, strict=True))))
    except csv.Error as exc:
        errors.append(RowError(reader.line_num, FILE_COLUMN, _("CSVとして読めません: %s") % exc))
    return rows, errors


# --- Writing CSV for Excel and other city systems ---------------------------

EXPORT_ENCODINGS = {"utf-8": "utf-8-sig", "cp932": "cp932"}


class ExportEncodingError(Exception):
    """The data holds characters the chosen encoding cannot represent."""

    def __init__(self, characters):
        self.characters = characters
        super().__init__("".join(characters))


def csv_bytes(header, rows, *, encoding="utf-8"):
    """One table as CSV bytes: header on row 1, CRLF line ends.

    UTF-8 is written with a BOM so that Excel opens it correctly. CP932 never
    writes `?` for a character it lacks (such as 𠮷): it raises
    ExportEncodingError naming every such character instead.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    text = buffer.getvalue()
    codec = EXPORT_ENCODINGS[encoding]
    try:
        return text.encode(codec)
    except UnicodeEncodeError:
        missing = sorted({ch for ch in text if not _encodable(ch, codec)})
        raise ExportEncodingError(missing) from None


def _encodable(character, codec):
    try:
        character.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def csv_response(data, *, filename):
    """An attachment response; the file name may be Japanese (RFC 6266)."""
    response = HttpResponse(data, content_type="text/csv")
    ascii_name = filename.encode("ascii", "ignore").decode() or "export.csv"
    response["Content-Disposition"] = (
        f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
    )
    return response
