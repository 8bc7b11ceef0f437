"""Imports and exports that run as jobs: a row, a celery task, a progress page.

An app registers a handler for a kind of job:

    @jobs.handler("areas.import_districts")
    def run_district_import(job, progress):
        ...                       # read job.upload, call the service with by=job_actor(job)
        return {"message": "..."} # stored as job.result

A view stores the upload with `start_job(...)` and sends the user to the
job's page, which polls until the job ends and then shows the result or the
list of bad rows. Handlers report progress with `progress(done, total)`;
progress goes through the cache as well as the row, so it shows even while
the handler's own transaction is still open, from any web container.
"""

import logging
import time

from django.core.cache import cache
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit
from .csvio import ImportRejected
from .errors import ServiceError
from .models import Job

log = logging.getLogger(__name__)

HANDLERS = {}
PROGRESS_EVERY_SECONDS = 0.5


def handler(kind):
    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def job_actor(job):
    """The person who started the job, as the actor of the work it does."""
    origin = job.params.get("_actor", {})
    return audit.Actor(
        user=job.created_by,
        role=job.created_by_role,
        ip_address=origin.get("ip"),
        user_agent=origin.get("user_agent", ""),
        path=origin.get("path", ""),
        system="" if job.created_by_id else "job",
    )


def start_job(*, kind, title, by, upload=None, params=None, success_url=""):
    """Create the job (with its upload in private storage) and queue its task
    once the row is committed."""
    if kind not in HANDLERS:
        raise ValueError(f"No handler for job kind {kind!r}")
    stored_params = dict(params or {})
    stored_params["_actor"] = {"ip": by.ip_address, "user_agent": by.user_agent, "path": by.path}
    job = Job(
        kind=kind,
        title=title,
        created_by=by.user,
        created_by_role=str(by.role or ""),
        params=stored_params,
        success_url=success_url,
    )
    with transaction.atomic():
        if upload is not None:
            job.upload_name = getattr(upload, "name", "")[:255]
            job.save()
            job.upload.save(job.upload_name or "upload", upload, save=True)
        else:
            job.save()
        audit.record(
            by=by,
            action="portal.job.created",
            target=job,
            data={"kind": kind, "file": job.upload_name},
        )
    transaction.on_commit(lambda: _enqueue(job))
    return job


def _enqueue(job):
    """Queue the job's task. With the broker unreachable the job is marked
    failed with a message the job page shows, instead of the request ending
    in a 500 and the job waiting for ever; nothing of the upload was used."""
    # kombu is celery's (0.15 s at start-up); only queueing a job needs it.
    from kombu.exceptions import OperationalError as KombuOperationalError

    from .tasks import run_job

    try:
        run_job.delay(job.pk)
    except KombuOperationalError:
        log.exception("Job %s (%s) could not be queued", job.public_id, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            message=_(
                "処理の受付（キュー）が使えないため、開始できませんでした。"
                "何も取り込んでいません。しばらくしてからもう一度お試しください。"
            ),
        )


def _progress_key(job):
    return f"portal:job-progress:{job.public_id}"


def live_progress(job):
    """(done, total) from the cache while the job runs, else from the row."""
    if job.status == Job.Status.RUNNING:
        cached = cache.get(_progress_key(job))
        if cached:
            return cached
    return job.done, job.total


class _Progress:
    def __init__(self, job):
        self.job = job
        self.last = 0.0

    def __call__(self, done, total=None, *, force=False):
        now = time.monotonic()
        if not force and now - self.last < PROGRESS_EVERY_SECONDS:
            return
        self.last = now
        self.job.done = done
        if total is not None:
            self.job.total = total
        cache.set(_progress_key(self.job), (done, self.job.total), 3600)


def run(job_id):
    """Run one job (the celery task calls this). Safe to call twice: a
    finished job is left as it is; an interrupted one runs again from the
    start, which all-or-nothing handlers allow."""
    job = Job.objects.select_related("created_by").get(pk=job_id)
    if job.finished:
        return job
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, started_at=timezone.now())
    job.status = Job.Status.RUNNING
    progress = _Progress(job)
    try:
        result = HANDLERS[job.kind](job, progress) or {}
    except ImportRejected as rejected:
        _finish(
            job,
            Job.Status.FAILED,
            errors=[
                {"line": e.line, "column": e.column, "reason": e.reason} for e in rejected.errors
            ],
            error_count=_total_errors(rejected),
            message=_("ファイルに誤りがあるため、何も取り込んでいません。"),
        )
    except ServiceError as error:
        _finish(job, Job.Status.FAILED, message=error.message)
    except (OperationalError, InterfaceError):
        # Transient (the database restarted): the task retries with backoff
        # and the job runs again from the start.
        raise
    except Exception:
        log.exception("Job %s (%s) failed", job.public_id, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            message=_("処理中に予期しないエラーが起きました。管理者にお問い合わせください。"),
        )
    else:
        _finish(
            job,
            Job.Status.SUCCEEDED,
            result=result,
            message=result.get("message", ""),
            done=job.total or job.done,
        )
    return job


def _total_errors(rejected):
    for name in ("total_errors", "error_count", "total"):
        value = getattr(rejected, name, None)
        if isinstance(value, int):
            return value
    return len(rejected.errors)


def _finish(job, status, *, errors=(), error_count=0, message="", result=None, done=None):
    job.status = status
    job.errors = list(errors)
    job.error_count = error_count or len(job.errors)
    job.message = str(message)
    job.result = result or {}
    job.finished_at = timezone.now()
    if done is not None:
        job.done = done
    job.save(
        update_fields=[
            "status",
            "errors",
            "error_count",
            "message",
            "result",
            "finished_at",
            "done",
            "total",
        ]
    )
    cache.delete(_progress_key(job))
    # The upload is not needed once the job has run: it may hold personal data.
    if job.upload:
        job.upload.delete(save=False)
        Job.objects.filter(pk=job.pk).update(upload="")
