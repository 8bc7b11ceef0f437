"""Benchmark: a stratified draw from a large register.

Imports a generated register (fixed seed) once, then times
`surveys.services.draw_sample` drawing 3,000 residents aged 40–79,
stratified over area × age decade × sex, with access codes and the draw
recorded. The baseline, measured in the same run, is reading the same
candidate rows from the database (the least a draw must do).

Targets: 3,000 of 150,000 in under 1 s; 3,000 of 1,000,000 in under 5 s
(full mode). Prints a table and writes bench/results/surveys_draw.json.

    DATABASE_URL=postgres://… python bench/surveys_draw.py   # 150,000 and 1,000,000 residents
    QUICK=1 python bench/surveys_draw.py                     # 150,000 only
"""

import json
import os
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import surveys_register_import as registers  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "surveys_draw.json"
TARGETS = {150_000: 1.0, 1_000_000: 5.0}
SIZE = 3000


def main():
    quick = os.environ.get("QUICK") == "1"
    populations = (150_000,) if quick else (150_000, 1_000_000)
    connection = registers._setup_django()
    from django.test.utils import setup_test_environment

    from portal.audit import Actor
    from surveys.models import Register
    from surveys.services import draws

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    by = Actor.for_system("bench")
    figures = []
    try:
        registers.make_districts()
        with tempfile.TemporaryDirectory() as tmp:
            for index, rows in enumerate(populations):
                path = Path(tmp) / f"register_{rows}.csv"
                registers.write_register(path, rows)
                day = f"2026-10-0{index + 1}"
                registers.run_import(path, day)
                register = Register.objects.get(reference_date=date.fromisoformat(day))
                started = time.perf_counter()
                found = draws.candidates(
                    register=register, as_of=register.reference_date, age_min=40, age_max=79
                )
                baseline = time.perf_counter() - started
                started = time.perf_counter()
                draw = draws.draw_sample(
                    register=register,
                    size=SIZE,
                    seed="bench",
                    method="stratified",
                    age_min=40,
                    age_max=79,
                    purpose="ベンチマーク",
                    legal_basis="ベンチマーク",
                    by=by,
                )
                seconds = time.perf_counter() - started
                assert draw.invitations.count() == SIZE
                figures.append(
                    {
                        "figure": f"stratified {SIZE:,} of {rows:,} (eligible {len(found):,}) (s)",
                        "value": seconds,
                        "baseline": baseline,
                        "ratio": seconds / baseline,
                        "target": f"< {TARGETS[rows]:g} s",
                        "met": seconds < TARGETS[rows],
                    }
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"Stratified draw, {connection.vendor}")
    print(f"{'':52} {'draw':>8} {'baseline':>9} {'ratio':>8} {'target':>8} {'met':>4}")
    for f in figures:
        met = "yes" if f["met"] else "NO"
        print(
            f"{f['figure']:52} {f['value']:>8.2f} {f['baseline']:>9.2f} {f['ratio']:>6.2f} x {f['target']:>8} {met:>4}"
        )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "surveys_draw",
                "database": connection.vendor,
                "quick": quick,
                "python": platform.python_version(),
                "baseline": "reading the eligible candidates from the database",
                "figures": figures,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
