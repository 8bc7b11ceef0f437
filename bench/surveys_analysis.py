"""Benchmark: the issue-matrix analysis of a survey.

Imports generated answers (fixed seed) once through `import_answers`, then
times `surveys.analysis.issues.analyse` (database aggregates: three shares
per issue, mean lines and both groups; the page caches the result, this
measures the computation itself). The baseline, measured in the same run on
the same data, is a plain Python loop over every answer row. Each is the
best of five runs.

Target: 20,000 answers × 21 issues in under 0.5 s on PostgreSQL.

    python bench/surveys_analysis.py            # 20,000 answers
    QUICK=1 python bench/surveys_analysis.py    # 2,000
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

TARGET_SECONDS = 0.5
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


def run(quick):
    answers = 2_000 if quick else 20_000
    harness.django_setup()
    from django.db import connection

    from areas.models import Area
    from portal.audit import Actor
    from surveys.analysis.issues import analyse
    from surveys.questionnaires.generate import answers_csv
    from surveys.questionnaires.imports import import_answers

    codes = [f"A{n:02d}" for n in range(1, 9)]
    for code in codes:
        Area.objects.get_or_create(code=code, defaults={"name": f"地域{code}"})
    data = answers_csv(answers, seed="bench", area_codes=codes, prefix="B")
    imported, result = harness.timed(
        import_answers, data=data, survey_code="BENCH", by=Actor.for_system("bench")
    )
    survey = result.survey
    print(f"{answers:,} answers imported in {imported:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    # Both give the same shares.
    shares, _means = naive(survey)
    for row in analyse(survey).rows:
        assert abs(float(row.shares["interest"]) - shares[row.number][0]) < 1e-9
    value, baseline = best(analyse, survey), best(naive, survey)
    return [
        harness.Figure(
            f"survey analysis, {answers:,} answers × 21 issues",
            value,
            "s",
            baseline,
            "a Python loop over every answer row (best of 5)",
            *harness.below(value, TARGET_SECONDS, "s"),
        )
    ]


if __name__ == "__main__":
    harness.main(run)
