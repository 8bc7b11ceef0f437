"""Benchmark: the issue-matrix analysis of a survey.

Imports generated answers (fixed seed) once through `import_answers`, then
times `surveys.analysis.issues.analyse` (database aggregates: three shares
per issue, mean lines and both groups). The baseline, measured in the same
run on the same data, is a plain Python loop over every answer row.

Target: 20,000 answers × 21 issues in under 0.5 s on PostgreSQL.
`QUICK=1` uses 2,000 answers. Prints a table and writes
bench/results/surveys_analysis.json.

    DATABASE_URL=postgres://… python bench/surveys_analysis.py
"""

import json
import os
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "results" / "surveys_analysis.json"
TARGET = 0.5
RUNS = 5


def naive(survey):
    """Every answer row read into Python and counted there."""
    from surveys.models import IssueAnswer

    counts = {}
    for issue, interest, participation, expectation in IssueAnswer.objects.filter(
        survey=survey
    ).values_list("issue__number", "interest", "participation", "expectation"):
        c = counts.setdefault(issue, [0, 0, 0, 0, 0, 0])
        if interest is not None:
            c[1] += 1
            c[0] += interest in (1, 2)
        if participation is not None:
            c[3] += 1
            c[2] += participation == 1
        if expectation is not None:
            c[5] += 1
            c[4] += expectation in (1, 2)
    shares = {n: [c[0] / c[1], c[2] / c[3], c[4] / c[5]] for n, c in counts.items()}
    means = [sum(s[k] for s in shares.values()) / len(shares) for k in range(3)]
    return shares, means


def best(function, *args):
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - started)
    return min(times)


def main():
    quick = os.environ.get("QUICK") == "1"
    answers = 2_000 if quick else 20_000
    from areas.models import Area
    from portal.audit import Actor
    from surveys.analysis.issues import analyse
    from surveys.questionnaires.generate import answers_csv
    from surveys.questionnaires.imports import import_answers

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        for n in range(1, 9):
            Area.objects.create(code=f"A{n:02d}", name=f"地域{n}")
        data = answers_csv(
            answers, seed="bench", area_codes=[f"A{n:02d}" for n in range(1, 9)], prefix="B"
        )
        started = time.perf_counter()
        survey = import_answers(data=data, survey_code="BENCH", by=Actor.for_system("bench")).survey
        imported = time.perf_counter() - started
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
        # Both give the same shares.
        ours = analyse(survey)
        shares, _means = naive(survey)
        for row in ours.rows:
            assert abs(float(row.shares["interest"]) - shares[row.number][0]) < 1e-9
        value = best(analyse, survey)
        baseline = best(naive, survey)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    figure = {
        "figure": f"analysis of {answers:,} answers × 21 issues (s)",
        "value": round(value, 4),
        "baseline": round(baseline, 4),
        "ratio": round(baseline / value, 2) if value else None,
        "target": TARGET,
        "met": value < TARGET,
        "import_seconds": round(imported, 2),
    }
    print(f"Survey analysis, {connection.vendor}")
    print(f"{'':48} {'analyse':>8} {'baseline':>9} {'ratio':>8} {'target':>8} {'met':>4}")
    print(
        f"{figure['figure']:48} {value:>8.3f} {baseline:>9.3f} {figure['ratio']:>6.2f} x"
        f" {TARGET:>8} {'yes' if figure['met'] else 'NO':>4}"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "surveys_analysis",
                "database": connection.vendor,
                "quick": quick,
                "python": platform.python_version(),
                "baseline": "a Python loop over every answer row",
                "figures": [figure],
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
