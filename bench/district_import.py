"""Benchmark: importing areas and districts.

Compares the portal's importer (validate everything, then bulk writes in one
transaction) with a baseline that writes row by row with update_or_create,
on the same generated file, in the same run and database. Target: at most a
tenth of the baseline's time.

    python bench/district_import.py [ROWS]     # 2,000 rows; QUICK=1: 500
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402


def make_file(rows):
    lines = ["地域コード,地域名,町丁目コード,町丁目名"]
    for n in range(rows):
        area = n // 200
        lines.append(f"B{area:03d},地域{area},B{area:03d}{n:06d},町{n}丁目")
    return ("\n".join(lines) + "\n").encode()


def baseline(data):
    """Row by row: what a first version of an importer usually looks like."""
    from django.db import transaction

    from areas.models import Area, District

    text = data.decode()
    with transaction.atomic():
        for line in text.splitlines()[1:]:
            area_code, area_name, code, name = line.split(",")
            area, _ = Area.objects.update_or_create(code=area_code, defaults={"name": area_name})
            District.objects.update_or_create(code=code, defaults={"area": area, "name": name})


def timed(function, *args):
    started = time.perf_counter()
    function(*args)
    return time.perf_counter() - started


def run(quick):
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else (500 if quick else 2_000)
    harness.django_setup()
    from areas.models import Area, District
    from areas.services import import_districts
    from portal.audit import Actor

    by = Actor.for_system("bench")
    data = make_file(rows)
    results = {}
    for label, function in (
        ("baseline", baseline),
        ("portal", lambda d: import_districts(data=d, by=by)),
    ):
        District.objects.all().delete()
        Area.objects.all().delete()
        results[label] = (timed(function, data), timed(function, data))
    label = "update_or_create per row, same file, same database"
    figures = []
    for index, what in enumerate(("first import", "same file again")):
        value, base = results["portal"][index], results["baseline"][index]
        met = value <= base / 10
        figures.append(
            harness.Figure(
                f"district import {what}, {rows:,} rows",
                value,
                "s",
                base,
                label,
                "≤ 0.1 x baseline",
                met,
            )
        )
    return figures


if __name__ == "__main__":
    harness.main(run)
