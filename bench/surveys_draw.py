"""Benchmark: a stratified draw from a large register.

Imports a generated register (fixed seed) once, then times
`surveys.services.draw_sample` drawing 3,000 residents aged 40–79,
stratified over area × age decade × sex, with access codes and the draw
recorded. The baseline, measured in the same run, is counting the eligible
residents per stratum in one query (the least a stratified draw must do:
every eligible row is read once).

Targets: 3,000 of 150,000 in under 1 s; 3,000 of 1,000,000 in under 5 s
(full mode). PROFILE=1 prints where the draw spends its time.

    python bench/surveys_draw.py            # 150,000 and 1,000,000 residents
    QUICK=1 python bench/surveys_draw.py    # 150,000 only
"""

import cProfile
import os
import pstats
import sys
import tempfile
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402
import surveys_register_import as registers  # noqa: E402

TARGETS = {150_000: 1.0, 1_000_000: 5.0}
SIZE = 3000


def run(quick):
    populations = (150_000,) if quick else (150_000, 1_000_000)
    harness.django_setup()
    from portal.audit import Actor
    from surveys.models import Register
    from surveys.services import draws

    by = Actor.for_system("bench")
    figures = []
    registers.make_districts()
    with tempfile.TemporaryDirectory() as tmp:
        for index, rows in enumerate(populations):
            path = Path(tmp) / f"register_{rows}.csv"
            registers.write_register(path, rows)
            day = f"2026-10-0{index + 1}"
            registers.run_import(path, day)
            path.unlink()
            register = Register.objects.get(reference_date=date.fromisoformat(day))
            baseline, populations = harness.timed(
                draws._stratum_counts,
                {
                    "register": register,
                    "as_of": register.reference_date,
                    "age_min": 40,
                    "age_max": 79,
                    "area_codes": [],
                    "sexes": [],
                    "exclude": set(),
                },
            )
            profile = cProfile.Profile() if os.environ.get("PROFILE") else None
            if profile:
                profile.enable()
            seconds, draw = harness.timed(
                draws.draw_sample,
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
            if profile:
                profile.disable()
                pstats.Stats(profile, stream=sys.stderr).sort_stats("cumulative").print_stats(25)
            assert draw.invitations.count() == SIZE
            figures.append(
                harness.Figure(
                    f"stratified draw of {SIZE:,} of {rows:,} (eligible {sum(populations.values()):,})",
                    seconds,
                    "s",
                    baseline,
                    "counting the eligible residents per stratum (one query)",
                    *harness.below(seconds, TARGETS[rows], "s"),
                )
            )
    return figures


if __name__ == "__main__":
    harness.main(run)
