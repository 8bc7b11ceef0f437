"""The portal under gunicorn on loopback, and signed-in sessions made in bulk."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager

import _harness as harness

SETTINGS = "bench.settings_bench"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(workers=None, redis_url=""):
    """gunicorn serving the portal (bench settings) on 127.0.0.1 with one
    sync worker per core; yields its base URL. With `redis_url` the workers
    share that cache (and sessions) as in production; tasks still run inline."""
    workers = workers or os.cpu_count() or 2
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "PYTHONPATH": str(harness.ROOT),
        "LOG_LEVEL": "WARNING",
    }
    if redis_url:
        env.update(REDIS_URL=redis_url, CELERY_TASK_ALWAYS_EAGER="true")
    process = subprocess.Popen(  # noqa: S603 - gunicorn of this virtualenv
        [
            os.path.join(os.path.dirname(sys.executable), "gunicorn"),
            "portal.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=harness.ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310 - loopback
                    break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def shared_cache():
    """A Redis database of its own for the bench's cache, emptied; "" when no
    Redis answers (the workers then keep a cache each)."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except Exception as exc:  # noqa: BLE001 - any failure: go without
        print(f"no shared cache ({exc}): each worker keeps its own")
        return ""
    return url


def sessions_for(users):
    """{user pk: session key}: signed-in sessions written in one bulk insert,
    as the login view would leave them (no MFA: see settings_bench)."""
    from datetime import timedelta
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = import_module(settings.SESSION_ENGINE).SessionStore
    if not settings.SESSION_ENGINE.endswith(".db"):
        # Cache or signed-cookie sessions: one save each (still no login view).
        keys = {}
        for user in users:
            session = store()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.save()
            keys[user.pk] = session.session_key
        return keys
    expires = timezone.now() + timedelta(hours=8)
    rows, keys = [], {}
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: settings.AUTHENTICATION_BACKENDS[0],
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(session_key=key, session_data=store().encode(data), expire_date=expires)
        )
        keys[user.pk] = key
    Session.objects.bulk_create(rows, batch_size=2000)
    return keys


def csrf_token():
    """A CSRF secret to send as both the cookie and the form field (what a
    browser does after any GET of a page with a form)."""
    from django.utils.crypto import get_random_string

    return get_random_string(32)
