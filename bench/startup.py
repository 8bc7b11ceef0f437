"""Benchmark: how long a management command takes to start.

`manage.py check` sets Django up, imports the whole URLconf (every view
module) and runs the system checks: what every management command, test run
and web worker pays before its own work. The baseline, measured in the same
run with the same settings and environment, is
`python -c "import django; django.setup()"`: the settings and the models
only. The two run in turns, each alone in a fresh process whose wall time
and peak RSS the harness's launcher reads (os.wait4); the figures are the
medians of 5 runs of each (QUICK: 3).

Bytecode is compiled once, before the runs, into a temporary cache
(PYTHONPYCACHEPREFIX), as a deployed image should have it: without it every
start compiles the project's own modules again, which measures the size of
the code rather than what it imports. The database is not connected to.

Target (issue: commands that start in about a second): `manage.py check`
within 1.5× of the baseline, in time and in peak RSS.

    python bench/startup.py
    QUICK=1 python bench/startup.py
"""

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

TARGET_RATIO = 1.5
COMMANDS = {
    "check": [sys.executable, "manage.py", "check"],
    "baseline": [sys.executable, "-c", "import django; django.setup()"],
}


def run(quick):
    runs = 3 if quick else 5
    with harness.bytecode_cache() as bytecode:
        env = {
            **bytecode,
            "DATABASE_URL": harness.database_url(),
            "DJANGO_SETTINGS_MODULE": "portal.settings",
            "LOG_LEVEL": "WARNING",
        }
        # One run of each writes the bytecode the measured runs read.
        for argv in COMMANDS.values():
            harness.run_child(argv, env=env)
        measured = {name: [] for name in COMMANDS}
        for _ in range(runs):
            for name, argv in COMMANDS.items():
                seconds, peak_mb, _result = harness.run_child(argv, env=env)
                measured[name].append((seconds, peak_mb))

    def median(name, index):
        return statistics.median(m[index] for m in measured[name])

    label = 'python -c "import django; django.setup()", same settings'
    seconds, base_seconds = median("check", 0), median("baseline", 0)
    peak, base_peak = median("check", 1), median("baseline", 1)
    spread = ", ".join(f"{s:.2f}" for s, _ in measured["check"])
    base_spread = ", ".join(f"{s:.2f}" for s, _ in measured["baseline"])
    return [
        harness.Figure(
            f"manage.py check: wall time, median of {runs}",
            seconds,
            "s",
            base_seconds,
            label,
            f"≤ {TARGET_RATIO:g} x baseline",
            seconds <= TARGET_RATIO * base_seconds,
            note=f"runs: {spread} s; baseline: {base_spread} s",
        ),
        harness.Figure(
            f"manage.py check: peak RSS, median of {runs}",
            peak,
            "MB",
            base_peak,
            label,
            f"≤ {TARGET_RATIO:g} x baseline",
            peak <= TARGET_RATIO * base_peak,
        ),
    ]


if __name__ == "__main__":
    harness.main(run)
