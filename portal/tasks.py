from celery import shared_task
from django.core.management import call_command
from django.db import InterfaceError, OperationalError


@shared_task
def clear_expired_sessions():
    call_command("clearsessions")


@shared_task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def run_job(job_id):
    """Run an import or export job by its id (see portal.jobs)."""
    from . import jobs

    jobs.run(job_id)
