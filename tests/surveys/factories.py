"""Factories and files for the surveys tests."""

import csv
import io
from datetime import date
from pathlib import Path

from areas.models import Area, District
from portal.audit import Actor
from surveys import services

DATA = Path(__file__).parent / "data"
SAMPLE = DATA / "register_sample_cp932.csv"
BAD_SAMPLE = DATA / "register_bad_sample_cp932.csv"
HEADER = [
    "住民番号",
    "氏名",
    "氏名カナ",
    "生年月日",
    "性別",
    "郵便番号",
    "住所",
    "町丁目コード",
    "世帯番号",
]
SYSTEM = Actor.for_system("tests")
LEGAL = {"purpose": "市民意識調査の対象者抽出", "legal_basis": "個人情報保護審議会の承認"}


def sample_districts():
    """The areas and districts the sample register refers to."""
    with (DATA / "districts_sample.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            area, _ = Area.objects.get_or_create(
                code=row["地域コード"], defaults={"name": row["地域名"]}
            )
            District.objects.get_or_create(
                code=row["町丁目コード"], defaults={"area": area, "name": row["町丁目名"]}
            )


def register_csv(rows, *, encoding="cp932", header=HEADER, bom=False):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def person(number, *, birth="1970-01-01", sex="1", district="A0101", name="山田\u3000太郎"):
    return [
        number,
        name,
        "ヤマダ タロウ",
        birth,
        sex,
        "206-0011",
        "架空市桜ヶ丘一丁目1番1号",
        district,
        "H1",
    ]


def import_sample(reference_date=date(2026, 10, 1), data=None):
    return services.import_register(
        data=data if data is not None else SAMPLE.read_bytes(),
        reference_date=reference_date,
        by=SYSTEM,
        **LEGAL,
    )
