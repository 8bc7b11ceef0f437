"""Run every benchmark script, one at a time, and print ONE table.

    python bench/run.py                  # every bench/*.py
    QUICK=1 python bench/run.py          # reduced sizes
    python bench/run.py surveys_draw …   # only these scripts
    python bench/run.py --markdown [bench/results/latest.json]   # as a Markdown table

Each script runs in its own process (see bench/_harness.py for the contract:
figures are the stdout lines starting with `{"figure":`). Its output is shown
as it runs. The table lists every figure with its baseline measured in the
same run, the ratio, the target and whether it is met; a script that printed
no figure lines is listed as such with its output kept in the JSON. The run
is written to bench/results/<timestamp>.json and bench/results/latest.json.
"""

import json
import os
import platform
import subprocess
import sys
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _harness as harness  # noqa: E402

NOT_SCRIPTS = {"run.py", "settings_bench.py"}
# A script that runs longer than this is stopped and reported.
TIMEOUT_SECONDS = 15 * 60


def scripts(selected):
    found = sorted(
        p
        for p in harness.BENCH.glob("*.py")
        if not p.name.startswith("_") and p.name not in NOT_SCRIPTS
    )
    if selected:
        wanted = {s.removesuffix(".py") for s in selected}
        found = [p for p in found if p.stem in wanted]
        missing = wanted - {p.stem for p in found}
        if missing:
            raise SystemExit(f"bench: no such script: {', '.join(sorted(missing))}")
    return found


def run_script(path):
    """(exit status, seconds, figures, output) of one script."""
    started = time.perf_counter()
    process = subprocess.Popen(  # noqa: S603 - our own scripts
        [sys.executable, "-u", str(path)],
        cwd=harness.ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    figures, output = [], []
    deadline = started + TIMEOUT_SECONDS
    for line in process.stdout:
        figure = harness.figure_from_line(line)
        if figure:
            figures.append(figure)
        else:
            output.append(line)
            print(f"  | {line}", end="", flush=True)
        if time.perf_counter() > deadline:
            process.kill()
            output.append(f"stopped after {TIMEOUT_SECONDS} s\n")
            break
    status = process.wait()
    return status, time.perf_counter() - started, figures, "".join(output)


def postgres_version():
    try:
        import psycopg

        with psycopg.connect(harness.database_url()) as connection:
            return connection.execute("SHOW server_version").fetchone()[0]
    except Exception as error:  # noqa: BLE001 - reported, not fatal
        return f"unknown ({error.__class__.__name__})"


def markdown(path):
    """A results file as the Markdown table of docs/performance.md."""
    document = json.loads(Path(path).read_text())
    print("| script | figure | value | baseline | ratio | target | met |")
    print("|---|---|---|---|---|---|---|")
    for script in document["scripts"]:
        for f in script["figures"]:
            unit = f" {f['unit']}" if f["unit"] else ""
            base = f"{harness._number(f['baseline'])}{unit}" if f["baseline"] is not None else ""
            ratio = f"{f['ratio']:.2f} x" if f.get("ratio") is not None else ""
            met = "" if f["met"] is None else ("yes" if f["met"] else "**no**")
            value = f"{harness._number(f['value'])}{unit}"
            print(
                f"| {script['script']} | {f['name']} | {value} | {base} | {ratio} "
                f"| {f['target']} | {met} |"
            )
        if script["status"] or not script["figures"]:
            print(f"| {script['script']} | (failed or no figures) | | | | | |")


def main():
    if sys.argv[1:2] == ["--markdown"]:
        markdown(sys.argv[2] if len(sys.argv) > 2 else harness.BENCH / "results" / "latest.json")
        return 0
    quick = harness.quick()
    paths = scripts(sys.argv[1:])
    print(f"bench: {len(paths)} scripts{' (QUICK)' if quick else ''} on {harness.database_url()}")
    harness.prepare_template()
    os.environ["BENCH_TEMPLATE_READY"] = "1"
    started = time.perf_counter()
    results = []
    for path in paths:
        print(f"== {path.name}", flush=True)
        status, seconds, figures, output = run_script(path)
        print(f"== {path.name}: {'ok' if status == 0 else f'FAILED ({status})'}, {seconds:.0f} s")
        results.append(
            {
                "script": path.stem,
                "status": status,
                "seconds": round(seconds, 1),
                "figures": figures,
                "output": output if (status or not figures) else "",
            }
        )
    total = time.perf_counter() - started

    all_figures, owner = [], {}
    for result in results:
        for fig in result["figures"]:
            owner[id(fig)] = result["script"]
            all_figures.append(fig)
    print()
    print(
        f"Benchmarks{' (QUICK)' if quick else ''}: {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, PostgreSQL {postgres_version()}, {total / 60:.1f} min"
    )
    for line in harness.table(all_figures, script_of=lambda f: owner[id(f)]):
        print(line)
    for result in results:
        if result["status"]:
            print(f"{result['script']}: FAILED (exit {result['status']}); its output is above")
        elif not result["figures"]:
            print(
                f"{result['script']}: printed no figure lines (not adapted to the contract); "
                "its output is above and in the JSON"
            )
    unmet = [f for f in all_figures if f.met is False]
    print(f"{len(all_figures)} figures, {len(unmet)} targets not met")

    stamp = time.strftime("%Y%m%d-%H%M%S")
    document = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": quick,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "postgresql": postgres_version(),
        },
        "minutes": round(total / 60, 2),
        "scripts": [
            {
                **{k: v for k, v in r.items() if k != "figures"},
                "figures": [{**asdict(f), "ratio": f.ratio} for f in r["figures"]],
            }
            for r in results
        ],
    }
    out = harness.BENCH / "results"
    out.mkdir(exist_ok=True)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    (out / f"{stamp}.json").write_text(text)
    (out / "latest.json").write_text(text)
    print(f"written to bench/results/{stamp}.json and bench/results/latest.json")
    return 1 if any(r["status"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
