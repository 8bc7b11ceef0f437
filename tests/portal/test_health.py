from unittest import mock

import pytest
from django.db import OperationalError

from tests.portal_process import run_portal


def test_healthz_answers_ok_when_the_database_answers(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"


def test_healthz_answers_503_when_the_database_is_down(client, db):
    with mock.patch("portal.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503


def test_healthz_needs_no_login_and_skips_the_https_redirect(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_healthz_answers_load_balancers_calling_by_ip(client, db, settings):
    settings.ALLOWED_HOSTS = ["portal.example.jp"]
    assert client.get("/healthz", HTTP_HOST="10.0.0.7:8000").status_code == 200
    assert client.get("/", HTTP_HOST="10.0.0.7:8000").status_code == 400


def test_healthz_answers_503_when_the_database_server_is_unreachable():
    """In a fresh process whose DATABASE_URL points at a closed port."""

    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz')\n"
        "print(r.status_code, r.content.decode())\n"
    )
    result = run_portal(
        code,
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nowhere",
        },
    )
    assert result.stdout.strip() == "503 database unavailable", result.stderr


def test_healthz_answers_503_quickly_when_the_server_accepts_but_never_answers():
    """A socket that accepts connections and then says nothing, as a hung
    server or a half-open firewall does: the check must not wait for it."""
    import os
    import socket
    import subprocess
    import sys
    import threading
    import time
    from pathlib import Path

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    port = listener.getsockname()[1]
    held = []
    stop = threading.Event()

    def accept_and_hold():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept_and_hold, daemon=True)
    thread.start()
    # The time is measured around the request only, inside the child, so a
    # slow interpreter start on a busy machine does not count.
    code = (
        "import time, django; django.setup()\n"
        "from django.test import Client\n"
        "started = time.monotonic()\n"
        "r = Client(HTTP_HOST='127.0.0.1').get('/healthz')\n"
        "print(r.status_code, r.content.decode())\n"
        "print(round(time.monotonic() - started, 2))\n"
    )
    started = time.monotonic()
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
            env={
                "PATH": os.environ["PATH"],
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/hung",
            },
            check=False,
            timeout=60,
        )
    finally:
        elapsed = time.monotonic() - started
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        listener.close()
    assert held, "the client never connected"
    answer, seconds = result.stdout.strip().splitlines()
    assert answer == "503 database unavailable", result.stderr
    # The database's connect timeout is 5 s: the answer comes soon after, not
    # after the 30 s a client would otherwise wait.
    assert float(seconds) < 8, seconds
    assert elapsed < 60, elapsed


@pytest.mark.django_db
def test_healthz_answers_503_when_the_query_itself_hangs(client, settings):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("statement timeouts are PostgreSQL's")
    settings.HEALTHZ_QUERY_TIMEOUT_MS = 200
    import time

    started = time.monotonic()
    with mock.patch("portal.views.HEALTH_QUERY", "SELECT pg_sleep(30)"):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert time.monotonic() - started < 5
