"""Made-up answers in the `import_answers` format (for the demo and the
benchmark): reproducible from a seed, with issue profiles shaped like the
seed survey's (high interest and participation for waste, health, disaster
readiness; high interest but little participation for child-rearing or
disability support; and so on)."""

import csv
import io
import random

from .imports import COLUMNS, ISSUE_NUMBERS

# issue: (P(interest 1–2), P(participation 1), P(expectation 1–2))
PROFILE = {
    1: (0.45, 0.10, 0.40),
    2: (0.50, 0.16, 0.35),
    3: (0.55, 0.07, 0.50),
    4: (0.66, 0.05, 0.40),
    5: (0.80, 0.25, 0.70),
    6: (0.70, 0.08, 0.62),
    7: (0.72, 0.10, 0.62),
    8: (0.64, 0.05, 0.38),
    9: (0.78, 0.30, 0.55),
    10: (0.50, 0.04, 0.36),
    11: (0.35, 0.03, 0.30),
    12: (0.66, 0.08, 0.58),
    13: (0.68, 0.09, 0.60),
    14: (0.45, 0.18, 0.30),
    15: (0.38, 0.06, 0.28),
    16: (0.72, 0.22, 0.68),
    17: (0.82, 0.45, 0.66),
    18: (0.80, 0.20, 0.72),
    19: (0.40, 0.05, 0.32),
    20: (0.66, 0.04, 0.40),
    21: (0.64, 0.04, 0.36),
}
AGE_WEIGHTS = {"40代": 3, "50代": 3, "60代": 3, "70代": 3}


def _value(rnd, p_yes, yes_values, no_values):
    if rnd.random() < 0.03:
        return ""
    return str(rnd.choice(yes_values) if rnd.random() < p_yes else rnd.choice(no_values))


def answers_csv(count, *, seed, area_codes, prefix="R", shift=0.0):
    """`count` answers as CSV bytes (UTF-8). `shift` moves every share a little
    (an earlier survey to compare with)."""
    rnd = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    bands = list(AGE_WEIGHTS)
    for n in range(1, count + 1):
        row = [
            f"{prefix}{n:05d}",
            rnd.choice(bands),
            rnd.choice(["1", "2", "2", "1", "3", ""]) if rnd.random() < 0.98 else "",
            rnd.choice(area_codes) if area_codes else "",
        ]
        interest, participation, expectation = [], [], []
        for number in ISSUE_NUMBERS:
            pi, pp, pe = PROFILE[number]
            interest.append(_value(rnd, min(pi + shift, 0.95), (1, 2), (3, 4)))
            participation.append(_value(rnd, min(max(pp + shift / 2, 0.01), 0.9), (1,), (2, 3, 4)))
            expectation.append(_value(rnd, min(pe + shift, 0.95), (1, 2), (3, 4)))
        writer.writerow(row + interest + participation + expectation)
    return buffer.getvalue().encode("utf-8")
