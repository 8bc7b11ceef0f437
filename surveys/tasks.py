"""Periodic work: purge registers and volunteer records by policy (daily,
celery beat); add held answers to the answer tables in batches."""

from django.db import InterfaceError, OperationalError

from portal.audit import Actor
from portal.celery import app
from portal.errors import Busy


@app.task
def purge_expired_registers():
    from . import services

    purged = services.purge_expired_registers(by=Actor.for_system("surveys.purge_policy"))
    return [r.reference_date.isoformat() for r in purged]


@app.task
def purge_expired_volunteers():
    """Erase volunteer records past keeping (schedule daily with celery beat)."""
    from .questionnaires import services

    return services.purge_expired_volunteers(by=Actor.for_system("surveys.purge_policy"))


@app.task(
    autoretry_for=(OperationalError, InterfaceError, Busy),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=5,
)
def release_held_answers(survey_id=None):
    """Add held answers to the answer tables in batches (after each answer
    for its survey; in the beat schedule for every survey, which also lets
    the last ones go once a survey has closed). Safe to run twice: the batch
    is decided under the survey's lock."""
    from .questionnaires import holding

    by = Actor.for_system(holding.BATCHES)
    if survey_id is None:
        return holding.release_all(by=by)
    return holding.release(survey_id=survey_id, by=by)
