"""Importing and purging the resident register (住民基本台帳 extract).

One pass over the file, memory flat: `read_csv` streams the rows, each row is
validated and, on PostgreSQL, written at once through `COPY` inside the
import's transaction (invisible to everyone until it commits, so the table
serves as its own staging area and the swap is the commit). Duplicated
住民番号 are caught with a fixed-size Bloom filter and checked exactly at the
end (see _PostgresWriter). Any bad row and the transaction rolls back: a
failed import writes nothing.
On SQLite (the embedded demo) rows go in with bulk_create in batches.
"""

import functools
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from areas.models import District
from portal import audit
from portal.csvio import FILE_COLUMN, ImportRejected, RowError, normalise_header, read_csv
from portal.errors import ServiceError

from .. import normalise
from ..models import Invitation, Register, Resident

NUMBER = "住民番号"
NAME = "氏名"
KANA = "氏名カナ"
BIRTH = "生年月日"
SEX = "性別"
POSTAL = "郵便番号"
ADDRESS = "住所"
DISTRICT = "町丁目コード"
HOUSEHOLD = "世帯番号"
COLUMNS = (NUMBER, NAME, KANA, BIRTH, SEX, POSTAL, ADDRESS, DISTRICT, HOUSEHOLD)
ALIASES = {
    "フリガナ": KANA,
    "氏名(カナ)": KANA,
    "カナ氏名": KANA,
    "郵便番号(7桁)": POSTAL,
    "町丁目CD": DISTRICT,
    "町丁目ｺｰﾄﾞ": DISTRICT,
}
# Columns the city may not hand over for a survey (住民基本台帳法 §30-38, マイナンバー法).
FORBIDDEN_COLUMNS = ("住民票コード", "個人番号", "マイナンバー")
BATCH = 2000
PROGRESS_EVERY = 5000

_parse_date = functools.lru_cache(maxsize=65536)(normalise.parse_date)
_parse_postal = functools.lru_cache(maxsize=65536)(normalise.parse_postal_code)

STAGING_COLUMNS = (
    "line",
    "resident_number",
    "name",
    "name_kana",
    "birth_date",
    "sex",
    "postal_code",
    "address",
    "district_id",
    "household_number",
    "needs_review",
)


@dataclass
class ImportResult:
    register: Register
    rows: int
    review: int
    replaced: int


def _refuse_forbidden(columns):
    forbidden = {normalise_header(c) for c in FORBIDDEN_COLUMNS}
    found = [c for c in columns if normalise_header(c) in forbidden]
    if found:
        raise ImportRejected(
            [
                RowError(
                    1,
                    column,
                    _(
                        "この列を含むファイルは取り込めません（法令で収集が制限されています）。"
                        "列を削除したファイルを用意してください。ファイルの内容は保存していません。"
                    ),
                )
                for column in found
            ]
        )


def _parse_row(row, districts, reference_date, errors):
    """The row as a tuple for the staging table, or None (errors added).
    Written for speed: it runs once per resident, a million times."""
    line, v = row.line, row.values
    bad = []
    number = normalise.nfkc(v[NUMBER])
    if not number:
        bad.append(RowError(line, NUMBER, _("空欄です。")))
    elif len(number) > 30:
        bad.append(RowError(line, NUMBER, _("30文字までです。")))
    name = normalise.clean_name(v[NAME])
    if not name:
        bad.append(RowError(line, NAME, _("空欄です。")))
    elif len(name) > 200:
        bad.append(RowError(line, NAME, _("200文字までです。")))
    kana = normalise.clean_kana(v[KANA])[:200]
    birth = None
    try:
        birth = _parse_date(v[BIRTH])
    except normalise.Invalid as error:
        bad.append(RowError(line, BIRTH, str(error)))
    if birth is not None and birth > reference_date:
        bad.append(RowError(line, BIRTH, _("基準日より後の日付です。")))
    sex = ""
    try:
        sex = normalise.parse_sex(v[SEX])
    except normalise.Invalid as error:
        bad.append(RowError(line, SEX, str(error)))
    postal = ""
    try:
        postal = _parse_postal(v[POSTAL])
    except normalise.Invalid as error:
        bad.append(RowError(line, POSTAL, str(error)))
    address = v[ADDRESS].strip(" \t\u3000")
    if not address:
        bad.append(RowError(line, ADDRESS, _("空欄です。")))
    district_id = districts.get(v[DISTRICT])
    if district_id is None:
        district_code = normalise.nfkc(v[DISTRICT])
        district_id = districts.get(district_code)
        if district_id is None:
            bad.append(
                RowError(
                    line,
                    DISTRICT,
                    _("町丁目コード %(code)s は登録されていません。") % {"code": district_code}
                    if district_code
                    else _("空欄です。"),
                )
            )
    household = normalise.nfkc(v[HOUSEHOLD])[:30]
    if bad:
        errors.extend(bad)
        return None
    review = normalise.has_private_use(name, kana, address)
    return (
        line,
        number,
        name,
        kana,
        birth,
        sex,
        postal,
        address[:300],
        district_id,
        household,
        review,
    )


def _duplicate_error(line, number, first_line):
    return RowError(
        line,
        NUMBER,
        _("住民番号 %(number)s は %(first)d 行目と重複しています。")
        % {"number": number, "first": first_line},
    )


class _PostgresWriter:
    """Rows straight into the register's table through COPY.

    Nothing is visible to anyone before the import's transaction commits, and
    a rollback leaves nothing, so the table itself is the staging area.
    Duplicated 住民番号 must not reach the unique index (it would abort the
    COPY): a fixed-size Bloom filter (16 MB, whatever the number of rows)
    remembers the numbers seen; a row whose number may have been seen is held
    back, and the few held back are checked against the rows already copied
    at the end. Memory stays flat and no number is ever reported wrongly.
    """

    BITS = 1 << 27
    MASK = (1 << 27) - 1

    def __init__(self, cursor, register):
        self.cursor = cursor
        self.register_id = register.pk
        self.bitmap = bytearray(max(1, self.BITS // 8))
        self.held = []
        self.errors = []
        self._copy_context = cursor.cursor.copy(
            f"COPY {Resident._meta.db_table} (register_id, {', '.join(STAGING_COLUMNS)}) FROM STDIN"
        )
        self.copy = self._copy_context.__enter__()

    def add(self, values):
        digest = hash(values[1])
        first, second = digest & self.MASK, (digest >> 32) & self.MASK
        bitmap = self.bitmap
        seen = (bitmap[first >> 3] >> (first & 7)) & 1 and (bitmap[second >> 3] >> (second & 7)) & 1
        if seen:
            self.held.append(values)
            return
        bitmap[first >> 3] |= 1 << (first & 7)
        bitmap[second >> 3] |= 1 << (second & 7)
        self.copy.write_row((self.register_id, *values))

    def close(self, failed=False):
        if self._copy_context is not None:
            context, self._copy_context = self._copy_context, None
            if failed:
                context.__exit__(ServiceError, ServiceError(""), None)
            else:
                context.__exit__(None, None, None)

    def duplicates(self):
        """Errors for the held-back rows that repeat a number; the others are kept."""
        self.close()
        if not self.held:
            return []
        numbers = sorted({values[1] for values in self.held})
        self.cursor.execute(
            f"SELECT resident_number, line FROM {Resident._meta.db_table}"  # noqa: S608
            " WHERE register_id = %s AND resident_number = ANY(%s)",
            [self.register_id, numbers],
        )
        first_line = dict(self.cursor.fetchall())
        keep, errors = [], []
        for values in sorted(self.held, key=lambda v: v[0]):
            line, number = values[0], values[1]
            if number in first_line:
                errors.append(_duplicate_error(line, number, first_line[number]))
            else:
                first_line[number] = line
                keep.append(values)
        self.held = keep
        return errors

    def finish(self, register):
        if self.held:
            Resident.objects.bulk_create(
                Resident(register=register, **dict(zip(STAGING_COLUMNS, values, strict=True)))
                for values in self.held
            )


class _BatchWriter:
    """The embedded database: bulk_create in batches, duplicates found in memory."""

    def __init__(self, register):
        self.register = register
        self.batch = []
        self.first_line = {}
        self.dups = []

    def add(self, values):
        line, number = values[0], values[1]
        first = self.first_line.setdefault(number, line)
        if first != line:
            self.dups.append(_duplicate_error(line, number, first))
            return
        self.batch.append(
            Resident(register=self.register, **dict(zip(STAGING_COLUMNS, values, strict=True)))
        )
        if len(self.batch) >= BATCH:
            Resident.objects.bulk_create(self.batch)
            self.batch = []

    def close(self, failed=False):
        pass

    def duplicates(self):
        return self.dups

    def finish(self, register):
        Resident.objects.bulk_create(self.batch)
        self.batch = []


def _delete_residents(register):
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Resident._meta.db_table} WHERE register_id = %s",  # noqa: S608
            [register.pk],
        )
        return cursor.rowcount


def import_register(
    *,
    data,
    reference_date,
    purpose,
    legal_basis,
    by,
    approval_body="",
    approval_number="",
    approval_date=None,
    size=None,
    progress=None,
):
    """Import a register extract for `reference_date` (a binary file object or bytes).

    All or nothing: any bad row raises ImportRejected listing every bad row
    (`line N: COLUMN: reason`) and nothing is written. A register already
    imported for the same date is replaced, unless invitations drawn from it
    still point at its rows (purge it first). `size` (bytes) lets progress
    estimate the number of rows while streaming.
    """
    if not purpose.strip() or not legal_basis.strip():
        raise ServiceError(_("利用目的と法的根拠を入力してください。"))
    reader = read_csv(data, columns=COLUMNS, aliases=ALIASES)
    _refuse_forbidden(reader.columns)
    districts = dict(District.objects.values_list("code", "pk"))
    errors = reader.collector
    postgres = connection.vendor == "postgresql"
    rows = 0
    with transaction.atomic(durable=True):
        register, created = Register.objects.select_for_update().get_or_create(
            reference_date=reference_date,
            defaults={"purpose": purpose, "legal_basis": legal_basis},
        )
        in_use = not created and Invitation.objects.filter(resident__register=register).exists()
        replaced = 0 if created else _delete_residents(register)
        with connection.cursor() as cursor:
            writer = _PostgresWriter(cursor, register) if postgres else _BatchWriter(register)
            try:
                for row in reader:
                    values = _parse_row(row, districts, reference_date, errors)
                    if values is not None:
                        writer.add(values)
                    rows += 1
                    if progress and rows % PROGRESS_EVERY == 0:
                        progress(rows, _estimate_total(rows, data, size))
            except BaseException:
                writer.close(failed=True)
                raise
            errors.extend(writer.duplicates())
            if not rows and not errors:
                errors.add(RowError(2, FILE_COLUMN, _("データ行がありません。")))
            if errors:
                raise ImportRejected(errors)
            if in_use:
                raise ServiceError(
                    _(
                        "この基準日の名簿から抽出した案内があるため、置き換えられません。"
                        "先に名簿を消去してください。"
                    )
                )
            writer.finish(register)
        review = Resident.objects.filter(register=register, needs_review=True).count()
        register.purpose, register.legal_basis = purpose, legal_basis
        register.approval_body, register.approval_number = approval_body, approval_number
        register.approval_date = approval_date
        register.row_count, register.review_count = rows, review
        register.source_encoding = reader.encoding or "ascii"
        register.imported_at, register.imported_by = timezone.now(), by.user
        register.purged_at = None
        register.save()
        audit.record(
            by=by,
            action="surveys.register.imported",
            target=register,
            data={
                "rows": rows,
                "needs_review": review,
                "replaced_rows": replaced,
                "reference_date": reference_date.isoformat(),
                "encoding": register.source_encoding,
                **register.legal_basis_audit(),
            },
        )
    if progress:
        progress(rows, rows, force=True)
    return ImportResult(register=register, rows=rows, review=review, replaced=replaced)


def _estimate_total(rows, data, size):
    try:
        position = data.tell()
    except (AttributeError, OSError, ValueError):
        return None
    if not size or not position:
        return None
    return max(rows, int(rows * size / position))


def purge_register(*, register, by, reason=""):
    """Delete every row of the register (kept: its date, purpose and counts).
    Invitations keep their stratum for analysis but lose the link."""
    with transaction.atomic(durable=True):
        register = Register.objects.select_for_update().get(pk=register.pk)
        if register.is_purged:
            raise ServiceError(_("この名簿はすでに消去されています。"))
        unlinked = Invitation.objects.filter(resident__register=register).update(resident=None)
        deleted = _delete_residents(register)
        register.purged_at = timezone.now()
        register.save(update_fields=["purged_at"])
        audit.record(
            by=by,
            action="surveys.register.purged",
            target=register,
            data={"rows": deleted, "invitations_unlinked": unlinked, "reason": reason[:200]},
        )
    return deleted


def purge_expired_registers(*, by, today=None):
    """Purge by policy: registers whose every draw closed more than
    SURVEYS_PURGE_AFTER_DAYS days ago. Returns the registers purged."""
    from datetime import timedelta

    from django.conf import settings

    from ..models import Draw

    today = today or timezone.localdate()
    days = settings.SURVEYS_PURGE_AFTER_DAYS
    limit = today - timedelta(days=days)
    purged = []
    for register in Register.objects.filter(purged_at__isnull=True).order_by("reference_date"):
        draws = Draw.objects.filter(register=register)
        if not draws.exists() or draws.filter(closes_on__isnull=True).exists():
            continue
        if draws.filter(closes_on__gt=limit).exists():
            continue
        purge_register(
            register=register, by=by, reason=f"policy: {days} days after the survey closed"
        )
        purged.append(register)
    return purged
