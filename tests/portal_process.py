"""The portal in a fresh interpreter, for tests of what settings and start-up
do with a given environment (nothing of the test process's own set-up)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_portal(code, env, timeout=60):
    """Run `code` (which calls django.setup() itself) with only PATH and the
    portal's settings module from this environment, plus `env`."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "portal.settings", **env},
        check=False,
        timeout=timeout,
    )
