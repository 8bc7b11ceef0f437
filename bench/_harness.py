"""What every benchmark script shares.

The contract between a script and `bench/run.py` is small:

- a script is a file `bench/<name>.py` (names starting with `_` are shared modules,
  not scripts) that runs as `python bench/<name>.py`, reads `QUICK=1` from the
  environment for reduced sizes, and exits 0 when it measured;
- every figure it measured is printed on stdout as ONE line of JSON starting
  with `{"figure":`, with the keys of `Figure` below (`value` and `baseline`
  numbers, `met` true/false/null); anything else it prints is shown as is.

Scripts built on this module get that for free: they define
`run(quick: bool) -> list[Figure]` and end with `harness.main(run)`, which
prints a table of their own figures and the JSON lines.

`django_setup()` puts the script on a PostgreSQL database of its own: a copy
(CREATE DATABASE … TEMPLATE) of a migrated template database, dropped when the
script ends. The template is `DATABASE_URL`'s database
(default postgres://postgres@127.0.0.1:5432/portal_bench), created and
migrated when missing or behind. SQLite is refused: the figures are about the
database the portal runs on.
"""

import atexit
import contextlib
import json
import math
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
SEED = 20261001


def quick():
    return os.environ.get("QUICK", "") not in ("", "0")


# --- figures -------------------------------------------------------------------


@dataclass
class Figure:
    """One row of the table: a measured value beside its baseline."""

    name: str
    value: float
    unit: str = ""
    baseline: float | None = None
    baseline_label: str = ""
    target: str = ""
    met: bool | None = None
    note: str = ""

    @property
    def ratio(self):
        if self.baseline in (None, 0) or self.value is None:
            return None
        return self.value / self.baseline

    def line(self):
        data = {"figure": self.name, **asdict(self), "ratio": self.ratio}
        del data["name"]
        for key in ("value", "baseline", "ratio"):
            if isinstance(data[key], float):
                data[key] = None if math.isnan(data[key]) else round(data[key], 4)
        return json.dumps(data, ensure_ascii=False)


def below(value, limit, unit=""):
    """(target text, met) for 'value < limit'."""
    return f"< {limit:g} {unit}".strip(), value < limit


def at_most(value, limit, unit=""):
    return f"≤ {limit:g} {unit}".strip(), value <= limit


def at_least(value, limit, unit=""):
    return f"≥ {limit:g} {unit}".strip(), value >= limit


def figure_from_line(line):
    """A Figure from one JSON line of the contract, or None."""
    line = line.strip()
    if not line.startswith('{"figure"'):
        return None
    try:
        data = json.loads(line)
    except ValueError:
        return None
    return Figure(
        name=str(data["figure"]),
        value=data.get("value"),
        unit=data.get("unit") or "",
        baseline=data.get("baseline"),
        baseline_label=data.get("baseline_label") or "",
        target=data.get("target") or "",
        met=data.get("met"),
        note=data.get("note") or "",
    )


def _number(value):
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1000:
            return f"{value:,.0f}"
        if abs(value) >= 100:
            return f"{value:.1f}"
        return f"{value:.3g}" if abs(value) < 1 else f"{value:.2f}"
    return str(value)


def table(figures, *, script_of=None):
    """The benchmark table as text lines."""
    header = ("figure", "value", "baseline", "ratio", "target", "met")
    rows = []
    for fig in figures:
        unit = f" {fig.unit}" if fig.unit else ""
        name = fig.name if not script_of else f"{script_of(fig)}: {fig.name}"
        ratio = fig.ratio
        rows.append(
            (
                name,
                f"{_number(fig.value)}{unit}",
                f"{_number(fig.baseline)}{unit}" if fig.baseline is not None else "",
                f"{ratio:.2f} x" if ratio is not None else "",
                fig.target,
                "" if fig.met is None else ("yes" if fig.met else "NO"),
            )
        )
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    widths[0] = min(widths[0], 70)
    lines = []
    for i, row in enumerate([header, *rows]):
        cells = [f"{row[0]:<{widths[0]}}"] + [
            f"{row[c]:>{widths[c]}}" for c in range(1, len(header))
        ]
        lines.append("  ".join(cells))
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def main(run):
    """Entry point of a script: measure, print a table and the JSON lines."""
    random.seed(SEED)
    started = time.perf_counter()
    figures = run(quick())
    for line in table(figures):
        print(line)
    baselines = sorted({f.baseline_label for f in figures if f.baseline_label})
    for label in baselines:
        print(f"  baseline: {label}")
    print(f"  ({time.perf_counter() - started:.0f} s{', QUICK' if quick() else ''})")
    for fig in figures:
        print(fig.line())
    sys.stdout.flush()


# --- data ----------------------------------------------------------------------


def faker(seed=SEED):
    from faker import Faker

    fake = Faker("ja_JP")
    fake.seed_instance(seed)
    return fake


def rng(seed=SEED):
    return random.Random(seed)


# --- the database --------------------------------------------------------------


def database_url():
    url = os.environ.get("BENCH_TEMPLATE_URL") or os.environ.get("DATABASE_URL") or DEFAULT_URL
    scheme = urlsplit(url).scheme
    if not scheme.startswith("postgres"):
        raise SystemExit(
            f"bench: refusing to run on {scheme or 'this database'}: the figures are about "
            "PostgreSQL. Set DATABASE_URL=postgres://…"
        )
    return url


def _with_database(url, name):
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def _database_of(url):
    return urlsplit(url).path.lstrip("/")


def _admin_connection(url):
    import psycopg

    return psycopg.connect(_with_database(url, "postgres"), autocommit=True)


def _exists(cursor, name):
    cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
    return cursor.fetchone() is not None


def _manage(*args, url):
    env = {**os.environ, "DATABASE_URL": url}
    return subprocess.run(  # noqa: S603 - manage.py of this project
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def prepare_template():
    """Create and migrate the template database when missing or behind."""
    url = database_url()
    name = _database_of(url)
    if not re.fullmatch(r"[a-z0-9_]+", name):
        raise SystemExit(f"bench: unexpected database name {name!r}")
    with _admin_connection(url) as admin, admin.cursor() as cursor:
        if not _exists(cursor, name):
            cursor.execute(f'CREATE DATABASE "{name}"')
    if _manage("migrate", "--check", url=url).returncode != 0:
        done = _manage("migrate", "--noinput", url=url)
        if done.returncode != 0:
            raise SystemExit(f"bench: migrating {name} failed:\n{done.stderr}")
    return url


_CREATED = []


def create_database(suffix):
    """A fresh copy of the migrated template, named <template>_<suffix>; dropped at exit."""
    url = database_url()
    if not os.environ.get("BENCH_TEMPLATE_READY"):
        prepare_template()
        os.environ["BENCH_TEMPLATE_READY"] = "1"
    template = _database_of(url)
    name = f"{template}_{suffix}"
    with _admin_connection(url) as admin, admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    _CREATED.append(name)
    return _with_database(url, name)


def drop_databases():
    if not _CREATED:
        return
    try:
        from django.db import connections

        connections.close_all()
    except Exception:  # noqa: S110 - Django may not be set up
        pass
    url = database_url()
    with _admin_connection(url) as admin, admin.cursor() as cursor:
        while _CREATED:
            cursor.execute(f'DROP DATABASE IF EXISTS "{_CREATED.pop()}" WITH (FORCE)')


atexit.register(drop_databases)


def django_setup(suffix=None, settings="portal.settings"):
    """Django on a fresh bench database (PostgreSQL only); returns its URL.

    The URL goes into the environment, so child processes (measured workers,
    gunicorn) use the same database."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    suffix = suffix or Path(sys.argv[0]).stem
    url = create_database(re.sub(r"[^a-z0-9_]", "_", suffix.lower()))
    os.environ["BENCH_TEMPLATE_URL"] = database_url()
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    # Benchmarks measure the portal, not its request log.
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()
    return url


def worker_setup(settings="portal.settings"):
    """Django in a measured child process, on the database its parent made."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


# --- measuring -----------------------------------------------------------------


def timed(function, *args, **kwargs):
    """(seconds, result)."""
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


# A small launcher between us and the measured child: Linux keeps a process's
# peak RSS across exec, so a child forked straight from a big parent would
# report the parent's size as its own peak.
# It also times the child, from starting it to its exit (the launcher's own
# start-up is not counted).
_LAUNCHER = """
import os, subprocess, sys, time
started = time.perf_counter()
child = subprocess.Popen(sys.argv[1:])
_pid, status, usage = os.wait4(child.pid, 0)
wall = time.perf_counter() - started
sys.stderr.write(f"\\nBENCH_PEAK_KB={usage.ru_maxrss}\\nBENCH_WALL_S={wall}\\n")
sys.exit(os.waitstatus_to_exitcode(status))
"""


def run_child(argv, *, env=None):
    """Run a child process alone: its wall time in seconds (from its start to
    its exit, start-up included), its peak RSS in MB and its last stdout line
    as JSON (or None)."""
    done = subprocess.run(  # noqa: S603 - our own scripts
        [sys.executable, "-S", "-c", _LAUNCHER, *map(str, argv)],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        check=False,
    )
    found = {}
    for line in done.stderr.splitlines():
        for key in ("BENCH_PEAK_KB", "BENCH_WALL_S"):
            if line.startswith(f"{key}="):
                found[key] = float(line.split("=", 1)[1])
    if done.returncode != 0 or len(found) < 2:
        raise RuntimeError(
            f"{' '.join(map(str, argv))} failed ({done.returncode}):\n{done.stderr[-4000:]}"
        )
    last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    try:
        result = json.loads(last)
    except ValueError:
        result = None
    # ru_maxrss is in KiB on Linux.
    return found["BENCH_WALL_S"], found["BENCH_PEAK_KB"] / 1024, result


def measure_child(argv, *, env=None):
    """Run a child process alone; (its peak RSS in MB, its last stdout line as JSON or None)."""
    _seconds, peak_mb, result = run_child(argv, env=env)
    return peak_mb, result


@contextlib.contextmanager
def bytecode_cache():
    """Environment for child processes that compile their bytecode once into a
    temporary cache (PYTHONPYCACHEPREFIX) and read it from there, as a
    deployed image should have it, whatever PYTHONDONTWRITEBYTECODE says
    here. The first child to import a module writes it: warm up with one
    unmeasured run."""
    with tempfile.TemporaryDirectory(prefix="bench-pycache-") as pycache:
        # An empty value is unset for Python.
        yield {"PYTHONPYCACHEPREFIX": pycache, "PYTHONDONTWRITEBYTECODE": ""}


def rss_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024


def percentile(values, share):
    """Nearest-rank percentile (share in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(1, math.ceil(share / 100 * len(ordered)))
    return ordered[rank - 1]
