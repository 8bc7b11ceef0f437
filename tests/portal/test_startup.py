"""Start-up stays cheap: Django's set-up, the URLconf and `manage.py check`
load none of the heavy libraries; the code that uses one imports it where it
is used (a chart, a PDF, a download, a solver run, a queued task).

Each check runs in a fresh interpreter, so what other tests imported does
not count. A failure names the module: find who imports it at the top with
`python -X importtime manage.py check 2>&1 | grep -B5 <module>`.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Libraries only some pages, downloads, jobs or tasks need, with what they
# cost at start-up.
HEAVY = (
    "matplotlib",  # charts, about 1 s
    "weasyprint",  # PDFs, 1.2 s
    "openpyxl",  # XLSX, 0.4 s
    "import_export.formats",  # its formats load openpyxl
    "import_export.resources",  # table downloads
    "tablib",  # table downloads
    "highspy",  # panel selection's solver, 0.2 s with numpy
    "numpy",
    "pypdf",  # letters of a draw, 0.15 s
    "fontTools",  # with matplotlib and WeasyPrint
    "celery",  # queued tasks, 0.15 s
    "kombu",
    "icalendar",  # .ics downloads and meeting mails, 0.06 s
    "markdown_it",  # saving a post
    "segno",  # QR codes on letters and circulars
    "PIL",  # photo uploads
)
# Django's system check of an ImageField imports Pillow to see that it is
# installed; `manage.py check` (but not a web worker) loads it for that.
LOADED_BY_DJANGO_CHECKS = {"PIL"}

REPORT = """
import json, sys
heavy = {heavy!r}
loaded = sorted(m for m in heavy if m in sys.modules)
print(json.dumps(loaded))
"""

SETUP_AND_URLCONF = """
import django
django.setup()
from django.urls import URLResolver, get_resolver

def walk(resolver):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            walk(pattern)
        else:
            pattern.callback

walk(get_resolver())
"""

MANAGE_CHECK = """
import runpy, sys
sys.argv = ["manage.py", "check"]
try:
    runpy.run_path("manage.py", run_name="__main__")
except SystemExit as stop:
    if stop.code:
        raise
"""


def loaded_after(code):
    """The heavy modules in sys.modules after `code`, in a fresh interpreter."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings"}
    done = subprocess.run(
        [sys.executable, "-c", code + REPORT.format(heavy=HEAVY)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_setup_and_the_whole_urlconf_load_no_heavy_library():
    loaded = loaded_after(SETUP_AND_URLCONF)
    assert not loaded, f"loaded at start-up: {', '.join(loaded)}"


def test_manage_py_check_loads_no_heavy_library():
    loaded = sorted(set(loaded_after(MANAGE_CHECK)) - LOADED_BY_DJANGO_CHECKS)
    assert not loaded, f"loaded by manage.py check: {', '.join(loaded)}"


def test_the_heavy_libraries_still_load_where_they_are_used():
    """The deferred imports are real: each library loads when its code runs."""
    code = """
import django
django.setup()
from surveys.analysis import charts
charts._matplotlib()
from portal.xlsx import xlsx_bytes
xlsx_bytes(["a"], [[1]])
from surveys.sortition import select
import meetings.tasks
"""
    loaded = set(loaded_after(code))
    assert {"matplotlib", "tablib", "openpyxl", "highspy", "numpy", "celery"} <= loaded
