"""Benchmark: importing areas and districts.

Compares the portal's importer (validate everything, then bulk writes in one
transaction) with a baseline that writes row by row with update_or_create,
on the same generated file, in the same run and database. Prints a table.

    python bench/district_import.py [ROWS]
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from areas.models import Area, District  # noqa: E402
from areas.services import import_districts  # noqa: E402
from portal.audit import Actor  # noqa: E402

BENCH = Actor.for_system("bench")


def make_file(rows):
    lines = ["地域コード,地域名,町丁目コード,町丁目名"]
    for n in range(rows):
        area = n // 200
        lines.append(f"B{area:03d},地域{area},B{area:03d}{n:06d},町{n}丁目")
    return ("\n".join(lines) + "\n").encode()


def baseline(data):
    """Row by row: what a first version of an importer usually looks like."""
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


def main():
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 5_000
    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        data = make_file(rows)
        results = []
        for label, function in (
            ("baseline: update_or_create per row", baseline),
            ("import_districts (portal)", lambda d: import_districts(data=d, by=BENCH)),
        ):
            District.objects.all().delete()
            Area.objects.all().delete()
            first = timed(function, data)
            again = timed(function, data)
            results.append((label, first, again))
        print(f"District import, {rows:,} rows, {connection.vendor}")
        print(f"{'':40} {'first import':>14} {'same file again':>16}")
        for label, first, again in results:
            print(f"{label:40} {first:>12.2f} s {again:>14.2f} s")
        base_first, base_again = results[0][1], results[0][2]
        print(
            f"{'speed-up over baseline':40} {base_first / results[1][1]:>12.1f} x {base_again / results[1][2]:>14.1f} x"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
