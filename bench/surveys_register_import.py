"""Benchmark: importing a resident register extract end to end.

Generates a CP932 register extract (fake names and addresses from a fixed
seed) and imports it with `surveys.services.import_register` (detect the
encoding, validate every row, COPY into a staging table, check duplicates,
move into the register, all in one transaction). The baseline, measured in
the same run on the same database, is a raw COPY of the same decoded rows
(csv.reader over the decoded file) into a bare table of text columns: the
least any importer must do. Each side runs alone in a fresh process whose
peak RSS is read by os.wait4. django-import-export's row-by-row import of a
slice of the same file (5,000 rows; QUICK: 1,000), extrapolated to the whole,
shows why the fast path exists. The same 150,000-row file (QUICK: 15,000) is
also imported as an operator would, `manage.py import_register` in a process
of its own, timed from its start to its exit: Django's start-up included.

Targets (issue: register import at COPY speed): 150,000 rows within 5× of the
baseline, in process and through the command (issue: commands that start in
about a second), peak RSS under 300 MB, and for 1,000,000 rows time linear
(time per row within 1.5× of the 150,000-row run) and memory flat (peak
within 1.3×).

    python bench/surveys_register_import.py           # 150,000 and 1,000,000 rows
    QUICK=1 python bench/surveys_register_import.py   # 15,000 and 100,000 rows
"""

import codecs
import csv
import itertools
import json
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

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
    """Decode the same file, parse it with csv, COPY every row into a bare table
    with a primary key (the physical limit of any importer)."""
    from django.db import connection, transaction

    rows = 0
    with transaction.atomic(), connection.cursor() as cursor:
        columns = ", ".join(f"c{i} text" for i in range(len(HEADER)))
        # An ordinary (logged) table, like the register's own.
        cursor.execute("DROP TABLE IF EXISTS bench_register_raw")
        cursor.execute(f"CREATE TABLE bench_register_raw (id bigserial PRIMARY KEY, {columns})")
        names = ", ".join(f"c{i}" for i in range(len(HEADER)))
        with open(path, "rb") as raw:
            reader = csv.reader(codecs.getreader("cp932")(raw))
            next(reader)
            with cursor.cursor.copy(f"COPY bench_register_raw ({names}) FROM STDIN") as copy:
                for row in reader:
                    copy.write_row(row)
                    rows += 1
    return rows


def resident_resource():
    """django-import-export's ModelResource for the register, as its
    documentation would have it: one row at a time, foreign keys by code."""
    from import_export import fields, resources, widgets

    from areas.models import District
    from surveys.models import Resident

    class ResidentResource(resources.ModelResource):
        district = fields.Field(
            attribute="district",
            column_name="district",
            widget=widgets.ForeignKeyWidget(District, field="code"),
        )

        class Meta:
            model = Resident
            fields = (
                "register",
                "line",
                "resident_number",
                "name",
                "name_kana",
                "birth_date",
                "sex",
                "postal_code",
                "address",
                "district",
                "household_number",
            )
            import_id_fields = ("register", "resident_number")

    return ResidentResource()


def run_import_export(path, slice_rows):
    """The first `slice_rows` rows through django-import-export, row by row."""
    from tablib import Dataset

    from surveys.models import Register

    register = Register.objects.create(
        reference_date=date(2026, 9, 30), purpose="ベンチマーク", legal_basis="ベンチマーク"
    )
    dataset = Dataset(
        headers=[
            "register",
            "line",
            "resident_number",
            "name",
            "name_kana",
            "birth_date",
            "sex",
            "postal_code",
            "address",
            "district",
            "household_number",
        ]
    )
    with open(path, encoding="cp932", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        for line, row in enumerate(itertools.islice(reader, int(slice_rows)), start=2):
            number, name, kana, birth, sex, postal, address, district, household = row
            dataset.append(
                [register.pk, line, number, name, kana, birth.replace("/", "-"), sex]
                + [postal, address, district, household]
            )
    result = resident_resource().import_data(dataset, dry_run=False, raise_errors=True)
    assert not result.has_errors()
    return len(dataset)


SIDES = {
    "import_register": run_import,
    "baseline": run_baseline,
    "import_export": run_import_export,
}


def work(side, path, argument):
    harness.worker_setup()
    started = time.perf_counter()
    rows = SIDES[side](path, argument)
    print(json.dumps({"rows": rows, "seconds": time.perf_counter() - started}))


def measure(side, path, argument):
    """One side alone in a child process: its rows, seconds and peak RSS."""
    peak, result = harness.measure_child(
        [sys.executable, __file__, "--work", side, str(path), str(argument)]
    )
    return {**result, "peak_mb": peak}


def measure_command(path, reference_day):
    """`manage.py import_register` alone in its own process: rows, wall time
    from its start to its exit, peak RSS; and the start-up alone, as
    `manage.py check` (which the command runs first). Bytecode is compiled
    first (one unmeasured `check`), as in a deployed image."""
    manage = [sys.executable, harness.ROOT / "manage.py"]
    with harness.bytecode_cache() as bytecode:
        harness.run_child([*manage, "check"], env=bytecode)
        startup, _peak, _result = harness.run_child([*manage, "check"], env=bytecode)
        seconds, peak, rows = harness.run_child(
            [
                *manage,
                "import_register",
                path,
                "--reference-date",
                reference_day,
                "--purpose",
                "ベンチマーク",
                "--legal-basis",
                "ベンチマーク",
            ],
            env=bytecode,
        )
    return {"rows": rows, "seconds": seconds, "peak_mb": peak, "startup": startup}


def make_districts():
    from areas.models import Area, District

    for a in range(AREAS):
        area = Area.objects.create(code=f"B{a:02d}", name=f"地域{a}")
        District.objects.bulk_create(
            District(area=area, code=f"B{a:02d}{d:03d}", name=f"本町{d + 1}丁目")
            for d in range(DISTRICTS_PER_AREA)
        )


def run(quick):
    small, large = (15_000, 100_000) if quick else (150_000, 1_000_000)
    slice_rows = 1_000 if quick else 5_000
    harness.django_setup()
    from django.db import connection

    make_districts()
    connection.close()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for index, rows in enumerate((small, large)):
            path = Path(tmp) / f"register_{rows}.csv"
            size = write_register(path, rows)
            results[rows] = {"file_mb": size / 1024 / 1024}
            for side in ("import_register", "baseline"):
                measured = measure(side, path, f"2026-10-0{index + 1}")
                assert measured["rows"] == rows, measured
                results[rows][side] = measured
            if rows == small:
                # A register of its own (reference day 3); the 1,000,000-row
                # run after it then finds 300,000 residents instead of 150,000.
                command = measure_command(path, "2026-10-03")
                assert command["rows"] == rows, command
                results[rows]["command"] = command
                results["import_export"] = measure("import_export", path, slice_rows)
            path.unlink()

    def value(rows, side, key):
        return results[rows][side][key]

    copy = "raw COPY of the same decoded rows into a bare table with a primary key"
    Figure = harness.Figure
    seconds_small = value(small, "import_register", "seconds")
    base_small = value(small, "baseline", "seconds")
    peak_small = value(small, "import_register", "peak_mb")
    per_row = {r: value(r, "import_register", "seconds") / r for r in (small, large)}
    linear = per_row[large] / per_row[small]
    base_linear = (value(large, "baseline", "seconds") / large) / (base_small / small)
    flat = value(large, "import_register", "peak_mb") / peak_small
    base_flat = value(large, "baseline", "peak_mb") / value(small, "baseline", "peak_mb")
    command_small = value(small, "command", "seconds")
    ie = results["import_export"]
    extrapolated = ie["seconds"] / ie["rows"] * small
    return [
        Figure(
            f"register import end to end, {small:,} CP932 rows",
            seconds_small,
            "s",
            base_small,
            copy,
            f"≤ {TARGET_RATIO:g} x baseline",
            seconds_small <= TARGET_RATIO * base_small,
        ),
        Figure(
            f"register import as manage.py import_register, {small:,} rows, start-up included",
            command_small,
            "s",
            base_small,
            copy,
            f"≤ {TARGET_RATIO:g} x baseline",
            command_small <= TARGET_RATIO * base_small,
            note=f"in process {seconds_small:.2f} s; manage.py check alone "
            f"{value(small, 'command', 'startup'):.2f} s; the command's peak RSS "
            f"{value(small, 'command', 'peak_mb'):.0f} MB",
        ),
        Figure(
            f"register import peak RSS, {small:,} rows",
            peak_small,
            "MB",
            value(small, "baseline", "peak_mb"),
            copy,
            *harness.below(peak_small, TARGET_PEAK_MB, "MB"),
        ),
        Figure(
            f"register import end to end, {large:,} rows",
            value(large, "import_register", "seconds"),
            "s",
            value(large, "baseline", "seconds"),
            copy,
        ),
        Figure(
            f"register import time per row, {large:,} / {small:,} rows",
            linear,
            "x",
            base_linear,
            copy,
            *harness.at_most(linear, TARGET_LINEAR, "x (linear)"),
        ),
        Figure(
            f"register import peak RSS, {large:,} / {small:,} rows",
            flat,
            "x",
            base_flat,
            copy,
            *harness.below(flat, TARGET_FLAT, "x (flat)"),
        ),
        Figure(
            f"django-import-export row by row, {ie['rows']:,}-row slice "
            f"extrapolated to {small:,} rows",
            extrapolated,
            "s",
            base_small,
            copy,
            note=f"{ie['rows']:,} rows took {ie['seconds']:.1f} s; "
            f"the portal's import of {small:,} rows took {seconds_small:.1f} s",
        ),
    ]


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--work":
        work(*sys.argv[2:])
    else:
        harness.main(run)
