"""Pools for the selection tests and the benchmark, generated from a fixed seed."""

import csv
import io
import random

# The shape of sortition-algorithms' own test fixture (tests/fixtures/features.csv):
# four features, a panel of 22.
FIXTURE_FEATURES = {
    "Gender": [("Female", 11, 12), ("Male", 10, 11), ("Non-binary or other", 0, 1)],
    "age_bracket": [("16-29", 5, 7), ("30-44", 5, 7), ("45-59", 5, 6), ("60+", 5, 6)],
    "edu_level": [
        ("No qualifications", 5, 7),
        ("Level 1", 5, 7),
        ("Level 2 or 3", 5, 6),
        ("Level 4 and above", 5, 6),
    ],
    "geo_bucket": [
        ("Central Scotland", 3, 5),
        ("Glasgow", 3, 5),
        ("Highlands and Islands", 2, 5),
        ("Lothian", 3, 5),
        ("Mid Scotland and Fife", 3, 5),
        ("North East Scotland", 2, 5),
        ("South Scotland", 3, 5),
        ("West Scotland", 3, 5),
    ],
}
FIXTURE_WEIGHTS = {"Non-binary or other": 0.04}

# A Japanese area: age band, sex, district.
AREA_FEATURES = {
    "年代": ["18-29", "30-39", "40-49", "50-59", "60-69", "70+"],
    "性別": ["女性", "男性"],
    "町丁目": ["桜ヶ丘一丁目", "桜ヶ丘二丁目", "緑町", "本町", "旭町"],
}


def fixture_pool(count, seed=20210804):
    """(quotas, people) shaped like the reference fixture; people id → {feature: value}."""
    rng = random.Random(seed)
    quotas = [
        {"feature": f, "value": v, "min": lo, "max": hi}
        for f, values in FIXTURE_FEATURES.items()
        for v, lo, hi in values
    ]
    people = {}
    for n in range(count):
        people[f"p{n}"] = {
            f: rng.choices(
                [v for v, _lo, _hi in values],
                weights=[FIXTURE_WEIGHTS.get(v, 1.0) for v, _lo, _hi in values],
            )[0]
            for f, values in FIXTURE_FEATURES.items()
        }
    return quotas, people


def area_pool(count, size, seed=1, skew=1.0):
    """(quotas, people) for an area: quotas proportional to the pool ±1 (min ≥ 0),
    with older residents over-represented among volunteers by `skew`."""
    rng = random.Random(seed)
    people = {}
    ages = AREA_FEATURES["年代"]
    age_weights = [1.0 + skew * i / len(ages) for i in range(len(ages))]
    for n in range(count):
        people[f"V{n:05d}"] = {
            "年代": rng.choices(ages, weights=age_weights)[0],
            "性別": rng.choice(AREA_FEATURES["性別"]),
            "町丁目": rng.choice(AREA_FEATURES["町丁目"]),
        }
    quotas = []
    for feature, values in AREA_FEATURES.items():
        share = 1 / len(values)  # the area's population, evenly spread
        target = size * share
        for value in values:
            quotas.append(
                {
                    "feature": feature,
                    "value": value,
                    "min": max(0, int(target) - 1),
                    "max": int(target) + 2,
                }
            )
    return quotas, people


def features_csv(quotas, *, flex=False):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["feature", "value", "min", "max", *(["min_flex", "max_flex"] if flex else [])])
    for q in quotas:
        writer.writerow(
            [q["feature"], q["value"], q["min"], q["max"], *([0, q["max"] + 2] if flex else [])]
        )
    return out.getvalue()


def people_csv(people, *, id_column="nationbuilder_id", extra=True):
    features = list(next(iter(people.values())))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([id_column, *(["first_name", "email"] if extra else []), *features])
    for pid, values in people.items():
        writer.writerow(
            [
                pid,
                *([f"名{pid}", f"{pid}@example.jp"] if extra else []),
                *(values[f] for f in features),
            ]
        )
    return out.getvalue()
