"""With REDIS_URL set, tasks go through Redis to a real celery worker."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        return False


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_runs_tasks_from_the_redis_broker():
    if not (settings.USING_POSTGRESQL and _redis_answers()):
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("CI=true: this test needs PostgreSQL and Redis on 127.0.0.1")
        pytest.skip("needs PostgreSQL and Redis on 127.0.0.1")
    Session.objects.create(
        session_key="expired",
        session_data="",
        expire_date=timezone.now() - timezone.timedelta(days=1),
    )
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    queue = f"test-{uuid.uuid4().hex}"
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "CONN_MAX_AGE": "0",
        },
    )
    # A client of its own, as a web container would be: nothing runs inline.
    # Task results are not stored (CELERY_TASK_IGNORE_RESULT): the task's
    # effect in the database is what shows it ran.
    client = Celery("web", broker=REDIS_URL)
    try:
        client.send_task("portal.tasks.clear_expired_sessions", queue=queue)
        deadline = time.monotonic() + 60
        while Session.objects.filter(session_key="expired").exists():
            assert worker.poll() is None, "the worker stopped"
            assert time.monotonic() < deadline, "the worker did not run the task in 60 s"
            time.sleep(0.2)
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        client.close()
