import logging

from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from kombu.exceptions import OperationalError as BrokerUnreachable

from .celery import app

log = logging.getLogger(__name__)


def send_later(task, *args):
    """Queue `task` (a mail) for the worker. With the broker unreachable the
    mail is sent now, in this process: the mail server does not depend on
    the broker, and a confirmation is worth the slower page while the queue
    is away. If that fails too it is logged and the caller goes on: what it
    committed stays committed, and the person sees their page rather than a
    500. Returns whether it was queued."""
    try:
        task.delay(*args)
    except BrokerUnreachable:
        log.warning(
            "Could not queue %s%r: the broker is unreachable; sending it in this process",
            task.name,
            args,
        )
        try:
            task.apply(args=args, throw=True)
        except Exception:
            log.exception("Could not send %s%r in this process either", task.name, args)
        return False
    return True


@app.task
def clear_expired_sessions():
    call_command("clearsessions")


@app.task(
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=60,
    max_retries=3,
)
def run_job(job_id):
    """Run an import or export job by its id (see portal.jobs)."""
    from . import jobs

    jobs.run(job_id)
