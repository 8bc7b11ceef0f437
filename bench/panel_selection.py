"""Benchmark: fair panel selection, LEXIMIN on HiGHS beside sortition-algorithms' maximin.

Two volunteer pools (generated from a fixed seed: four features — sex, age
band, district, education — with older and more educated residents
over-represented, and quotas taken from the area's population, so the fair
lottery has real work to do): pool 300 → panel 30 and pool 2,500 → panel 40.
For each, in the same run and each in a fresh process: our LEXIMIN, our
maximin, and the reference package's maximin (its LEXIMIN needs Gurobi).
Figures are time and the lowest selection probability. Our runs have LIMIT
seconds (default 300, the target: Gurobi-backed LEXIMIN did not finish the
2,500 pool in 300 s); the reference has REFERENCE_LIMIT (default 150, which
keeps the whole `make bench` within its 20 minutes on a slow machine); a run
that does not finish is reported as such. Prints a table and writes bench/results/panel_selection.json.

    python bench/panel_selection.py          # 300 → 30 and 2,500 → 40
    QUICK=1 python bench/panel_selection.py  # 150 → 15 and 600 → 20
"""

import json
import os
import platform
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "panel_selection.json"
LIMIT = float(os.environ.get("LIMIT", "300"))
REFERENCE_LIMIT = float(os.environ.get("REFERENCE_LIMIT", "150"))
# Gurobi-backed LEXIMIN (sortition-algorithms) on a pool of 300 took 28 s.
GUROBI_LEXIMIN_300_SECONDS = 28

FEATURES = {
    "性別": (["女性", "男性", "その他"], [1.0, 1.0, 0.03], [0.49, 0.49, 0.02]),
    "年代": (
        ["18-29", "30-44", "45-59", "60-74", "75+"],
        [0.5, 0.8, 1.0, 1.6, 1.2],
        [0.18, 0.24, 0.24, 0.22, 0.12],
    ),
    "町丁目": ([f"地区{i}" for i in range(1, 9)], [1, 1, 1, 1, 1.3, 0.7, 1.2, 0.8], [0.125] * 8),
    "学歴": (
        ["中学", "高校", "短大・専門", "大学以上"],
        [0.5, 1.0, 1.0, 1.5],
        [0.15, 0.35, 0.2, 0.3],
    ),
}


def pool(count, size, seed=20260401):
    rng = random.Random(seed)
    people = {}
    for n in range(count):
        people[f"V{n:05d}"] = {
            f: rng.choices(values, weights=pool_weights)[0]
            for f, (values, pool_weights, _shares) in FEATURES.items()
        }
    quotas = []
    for feature, (values, _weights, shares) in FEATURES.items():
        for value, share in zip(values, shares, strict=True):
            target = share * size
            quotas.append(
                {
                    "feature": feature,
                    "value": value,
                    "min": max(0, int(target) - 1),
                    "max": int(target) + 2,
                }
            )
    return quotas, people


def work(kind, count, size):
    sys.path.insert(0, str(ROOT))
    quotas, people = pool(count, size)
    started = time.perf_counter()
    if kind == "reference":
        from sortition_algorithms import Settings, read_in_features, read_in_people
        from sortition_algorithms.committee_generation import find_distribution_maximin
        from sortition_algorithms.utils import set_random_provider

        set_random_provider(1)
        features, _f, _v = read_in_features(
            ["feature", "value", "min", "max"],
            [{k: str(v) for k, v in q.items()} for q in quotas],
            size,
        )
        reference_pool, _r = read_in_people(
            ["id", *FEATURES],
            [{"id": pid, **values} for pid, values in people.items()],
            features,
            Settings(id_column="id", columns_to_keep=[]),
        )
        committees, probabilities, _r = find_distribution_maximin(
            features, reference_pool, size, []
        )
        marginals = dict.fromkeys(people, 0.0)
        for committee, probability in zip(committees, probabilities, strict=True):
            for pid in committee:
                marginals[pid] += probability
        lowest, panels = min(marginals.values()), len(committees)
    else:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
        import django

        django.setup()
        from surveys.sortition import select

        result = select(quotas, people, size, seed=1, algorithm=kind)
        assert result.all_quotas_met
        lowest, panels = result.lowest_probability, result.panels_considered
    print(
        json.dumps({"seconds": time.perf_counter() - started, "lowest": lowest, "panels": panels})
    )


def run(kind, count, size):
    try:
        done = subprocess.run(  # noqa: S603 - this script, with its own arguments
            [sys.executable, __file__, "--work", kind, str(count), str(size)],
            check=True,
            capture_output=True,
            text=True,
            timeout=REFERENCE_LIMIT if kind == "reference" else LIMIT,
            cwd=ROOT,
        )
    except subprocess.TimeoutExpired:
        return {"seconds": None, "lowest": None, "finished": False}
    line = done.stdout.strip().splitlines()[-1]
    return {**json.loads(line), "finished": True}


def main():
    quick = os.environ.get("QUICK") == "1"
    cases = [(150, 15), (600, 20)] if quick else [(300, 30), (2500, 40)]
    raw = {}
    for count, size in cases:
        raw[f"{count}->{size}"] = {
            kind: run(kind, count, size) for kind in ("leximin", "maximin", "reference")
        }

    figures = []
    for (count, size), key in zip(cases, raw, strict=True):
        r = raw[key]
        ref = r["reference"]
        time_target = ("<", GUROBI_LEXIMIN_300_SECONDS if count <= 300 else LIMIT)
        figures.append(
            (
                f"LEXIMIN time, pool {count:,} → {size}",
                r["leximin"]["seconds"],
                ref["seconds"],
                "s",
                time_target,
            )
        )
        figures.append(
            (
                f"maximin time, pool {count:,} → {size}",
                r["maximin"]["seconds"],
                ref["seconds"],
                "s",
                None,
            )
        )
        figures.append(
            (
                f"LEXIMIN lowest probability, {count:,} → {size}",
                r["leximin"]["lowest"],
                ref["lowest"],
                "",
                (">=", ref["lowest"]),
            )
        )

    print(
        "Panel selection on HiGHS: our LEXIMIN and maximin against "
        "sortition-algorithms' maximin (baseline), same pools, same run"
    )
    print(f"{'':44} {'ours':>12} {'baseline':>12} {'ratio':>8} {'target':>12} {'met':>5}")
    rows_json = []

    def show(value, unit):
        return f"{'—':>9}" + f" {unit:>2}" if value is None else f"{value:>9.4f} {unit:>2}"

    for label, value, baseline, unit, target in figures:
        ratio = value / baseline if value is not None and baseline else None
        met, target_text = None, ""
        if target and value is not None:
            if target[0] == "<":
                met = value < target[1]
                target_text = f"< {target[1]:g} {unit}"
            elif target[1] is None:
                met, target_text = True, ">= baseline"  # the baseline did not finish
            else:
                met = value >= target[1] - 1e-6
                target_text = ">= baseline"
        elif target:
            met = False
        ratio_text = f"{ratio:>6.2f} x" if ratio is not None else f"{'—':>8}"
        print(
            f"{label:44} {show(value, unit)} {show(baseline, unit)} {ratio_text}"
            f" {target_text:>12} {('' if met is None else 'yes' if met else 'NO'):>5}"
        )
        # The line `bench/run.py` reads into the one table (bench/README.md).
        print(
            json.dumps(
                {
                    "figure": label,
                    "value": value,
                    "unit": unit,
                    "baseline": baseline,
                    "baseline_label": "sortition-algorithms maximin, same pool",
                    "target": target_text,
                    "met": met,
                },
                ensure_ascii=False,
            )
        )
        rows_json.append(
            {
                "figure": label,
                "value": None if value is None else round(value, 6),
                "baseline": None if baseline is None else round(baseline, 6),
                "unit": unit,
                "ratio": None if ratio is None else round(ratio, 4),
                "target": target_text or None,
                "met": met,
            }
        )
    for key, r in raw.items():
        if not r["reference"]["finished"]:
            print(f"(baseline for {key} did not finish within {REFERENCE_LIMIT:g} s)")

    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "benchmark": "panel_selection",
                "quick": quick,
                "cases": [list(c) for c in cases],
                "limit_seconds": LIMIT,
                "python": platform.python_version(),
                "machine": platform.machine(),
                "cpus": os.cpu_count(),
                "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "raw": raw,
                "figures": rows_json,
            },
            ensure_ascii=False,
            indent=2,
        )
        + "\n"
    )


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--work":
        work(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
