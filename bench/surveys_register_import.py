"""Benchmark: importing a resident register extract end to end.

Generates a CP932 register extract (fake names and addresses from a fixed
seed) and imports it with `surveys.services.import_register` (detect the
encoding, validate every row, COPY into a staging table, check duplicates,
move into the register, all in one transaction). The baseline, measured in
the same run on the same database, is a raw COPY of the same decoded rows
(csv.reader over the decoded file) into a bare table of text columns: the
least any importer must do. Each side runs alone in a fresh process whose
peak RSS is read by a small parent (getrusage(RUSAGE_CHILDREN)).

Targets (issue: register import at COPY speed): 150,000 rows within 5× of the
baseline, peak RSS under 300 MB, and for 1,000,000 rows time linear (time per
row within 1.5× of the 150,000-row run) and memory flat (peak within 1.3×).
Prints a table and writes bench/results/surveys_register_import.json.

    DATABASE_URL=postgres://… python bench/surveys_register_import.py   # 150,000 and 1,000,000 rows
    QUICK=1 python bench/surveys_register_import.py                     # 15,000 and 100,000 rows
"""

import codecs
import csv
import json
import os
import platform
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "surveys_register_import.json"
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
AREAS, DISTRICTS_PER_AREA = 10, 20
TARGET_RATIO, TARGET_PEAK_MB, TARGET_LINEAR, TARGET_FLAT = 5.0, 300, 1.5, 1.3


def _setup_django(database=None):
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.db import connection

    if database:
        connection.settings_dict["NAME"] = database
    return connection


def name_pools(seed=20261001):
    from faker import Faker

    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    surnames = sorted({fake.last_name_pair() for _ in range(400)})
    male = sorted({fake.first_name_male_pair() for _ in range(200)})
    female = sorted({fake.first_name_female_pair() for _ in range(200)})
    return surnames, male, female


def register_rows(count, seed=20261001):
    rng = random.Random(seed)
    surnames, male, female = name_pools(seed)
    born_from = date(1925, 1, 1)
    household = 0
    for n in range(1, count + 1):
        if n == 1 or rng.random() < 0.45:
            household += 1
        sex = rng.choice("12")
        surname = rng.choice(surnames)
        given = rng.choice(male if sex == "1" else female)
        birth = born_from + timedelta(days=rng.randrange(36500))
        area, district = rng.randrange(AREAS), rng.randrange(DISTRICTS_PER_AREA)
        yield [
            f"{n:010d}",
            f"{surname[0]}\u3000{given[0]}",
            f"{surname[1]} {given[1]}",
            birth.isoformat() if n % 4 else birth.strftime("%Y/%m/%d"),
            sex,
            f"206-{rng.randrange(10000):04d}" if n % 3 else f"206{rng.randrange(10000):04d}",
            f"架空市本町{district + 1}丁目{rng.randint(1, 30)}番{rng.randint(1, 20)}号",
            f"B{area:02d}{district:03d}",
            f"H{household:09d}",
        ]


def write_register(path, rows):
    with open(path, "w", encoding="cp932", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(register_rows(rows))
    return path.stat().st_size


# --- the two sides, each run alone in its own process ------------------------


def run_import(path, reference_day):
    from portal.audit import Actor
    from surveys.services import import_register

    with open(path, "rb") as handle:
        result = import_register(
            data=handle,
            reference_date=date.fromisoformat(reference_day),
            purpose="ベンチマーク",
            legal_basis="ベンチマーク",
            by=Actor.for_system("bench"),
        )
    return result.rows


def run_baseline(path, _reference_day):
    """Decode the same file, parse it with csv, COPY every row into a bare table."""
    from django.db import connection, transaction

    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
        # An ordinary (logged) table, like the register's own.
        cursor.execute("DROP TABLE IF EXISTS bench_register_raw")
        cursor.execute(f"CREATE TABLE bench_register_raw ({columns})")
        with open(path, "rb") as raw:
            reader = csv.reader(codecs.getreader("cp932")(raw))
            next(reader)
            if connection.vendor == "postgresql":
                with cursor.cursor.copy("COPY bench_register_raw FROM STDIN") as copy:
                    for row in reader:
                        copy.write_row(row)
                        rows += 1
            else:
                marks = ", ".join(["%s"] * len(HEADER))
                batch = []
                for row in reader:
                    batch.append(row)
                    rows += 1
                    if len(batch) == 5000:
                        sql = f"INSERT INTO bench_register_raw VALUES ({marks})"  # noqa: S608
                        cursor.executemany(sql, batch)
                        batch = []
                cursor.executemany(f"INSERT INTO bench_register_raw VALUES ({marks})", batch)  # noqa: S608
    return rows


SIDES = {"import_register": run_import, "baseline": run_baseline}


def work(side, path, database, reference_day):
    _setup_django(database)
    started = time.perf_counter()
    rows = SIDES[side](path, reference_day)
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))


def measure(*args):
    done = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--work", *args], check=True, capture_output=True, text=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps(result))


def run(side, path, database, reference_day):
    done = subprocess.run(  # noqa: S603 - this script, with its own arguments
        [sys.executable, __file__, "--measure", side, str(path), database, reference_day],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def make_districts():
    from areas.models import Area, District

    for a in range(AREAS):
        area = Area.objects.create(code=f"B{a:02d}", name=f"地域{a}")
        District.objects.bulk_create(
            District(area=area, code=f"B{a:02d}{d:03d}", name=f"本町{d + 1}丁目")
            for d in range(DISTRICTS_PER_AREA)
        )


def main():
    quick = os.environ.get("QUICK") == "1"
    small, large = (15_000, 100_000) if quick else (150_000, 1_000_000)
    connection = _setup_django()
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    database = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    results = {}
    try:
        make_districts()
        connection.close()
        with tempfile.TemporaryDirectory() as tmp:
            for index, rows in enumerate((small, large)):
                path = Path(tmp) / f"register_{rows}.csv"
                size = write_register(path, rows)
                results[rows] = {"file_mb": size / 1024 / 1024}
                for side in SIDES:
                    measured = run(side, path, database, f"2026-10-0{index + 1}")
                    assert measured["rows"] == rows, measured
                    results[rows][side] = measured
                path.unlink()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)

    def value(rows, side, key):
        return results[rows][side][key]

    ratio = value(small, "import_register", "seconds") / value(small, "baseline", "seconds")
    per_row = {r: value(r, "import_register", "seconds") / r for r in (small, large)}
    linear = per_row[large] / per_row[small]
    flat = value(large, "import_register", "peak_mb") / value(small, "import_register", "peak_mb")
    figures = [
        {
            "figure": f"end to end, {small:,} CP932 rows (s)",
            "value": value(small, "import_register", "seconds"),
            "baseline": value(small, "baseline", "seconds"),
            "ratio": ratio,
            "target": f"≤ {TARGET_RATIO:g} x baseline",
            "met": ratio <= TARGET_RATIO,
        },
        {
            "figure": f"peak RSS, {small:,} rows (MB)",
            "value": value(small, "import_register", "peak_mb"),
            "baseline": value(small, "baseline", "peak_mb"),
            "ratio": value(small, "import_register", "peak_mb")
            / value(small, "baseline", "peak_mb"),
            "target": f"< {TARGET_PEAK_MB} MB",
            "met": value(small, "import_register", "peak_mb") < TARGET_PEAK_MB,
        },
        {
            "figure": f"end to end, {large:,} rows (s)",
            "value": value(large, "import_register", "seconds"),
            "baseline": value(large, "baseline", "seconds"),
            "ratio": value(large, "import_register", "seconds")
            / value(large, "baseline", "seconds"),
            "target": "",
            "met": None,
        },
        {
            "figure": f"time per row, {large:,} / {small:,} rows",
            "value": linear,
            "baseline": None,
            "ratio": None,
            "target": f"≤ {TARGET_LINEAR:g} x (linear)",
            "met": linear <= TARGET_LINEAR,
        },
        {
            "figure": f"peak RSS, {large:,} / {small:,} rows",
            "value": flat,
            "baseline": value(large, "baseline", "peak_mb") / value(small, "baseline", "peak_mb"),
            "ratio": None,
            "target": f"< {TARGET_FLAT:g} x (flat)",
            "met": flat < TARGET_FLAT,
        },
    ]
    print(
        f"Register import, CP932, {connection.vendor}, {small:,} and {large:,} rows "
        f"({results[small]['file_mb']:.1f} MB and {results[large]['file_mb']:.1f} MB)"
    )
    print(f"{'':40} {'portal':>10} {'baseline':>10} {'ratio':>8} {'target':>22} {'met':>4}")
    for f in figures:
        base = "" if f["baseline"] is None else f"{f['baseline']:.2f}"
        ratio_text = "" if f["ratio"] is None else f"{f['ratio']:.2f} x"
        met = "" if f["met"] is None else ("yes" if f["met"] else "NO")
        print(
            f"{f['figure']:40} {f['value']:>10.2f} {base:>10} {ratio_text:>8} {f['target']:>22} {met:>4}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "surveys_register_import",
                "database": connection.vendor,
                "quick": quick,
                "python": platform.python_version(),
                "rows": [small, large],
                "figures": figures,
                "raw": {str(k): v for k, v in results.items()},
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--work":
        work(*sys.argv[2:])
    elif len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure(*sys.argv[2:])
    else:
        main()
