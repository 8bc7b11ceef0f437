"""Celery beat runs the digests (the schedule is in portal/celery.py)."""

from django.db import InterfaceError, OperationalError

from portal.celery import app
from portal.errors import Busy


@app.task(
    name="areas.news.send_digests",
    autoretry_for=(OperationalError, InterfaceError, Busy),
    retry_backoff=True,
    retry_backoff_max=300,
    max_retries=5,
)
def send_digests(frequency="daily"):
    """Idempotent: a retry or a second run sends nobody an item twice."""
    from portal.audit import Actor

    from . import digest

    return digest.send_digests(frequency=frequency, by=Actor.for_system("areas.news.send_digests"))
