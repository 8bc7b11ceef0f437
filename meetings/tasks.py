"""Celery tasks of the meetings app: thin, idempotent, retried on transient errors."""

import datetime
import smtplib

from django.db import InterfaceError, OperationalError
from django.utils import timezone

from portal.celery import app

from . import mail
from .models import Meeting, Registration

RETRY = {
    "autoretry_for": (OperationalError, InterfaceError, smtplib.SMTPException, ConnectionError),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@app.task(**RETRY)
def send_registration_mail(registration_id, kind):
    return mail.send(registration_id, kind)


@app.task(**RETRY)
def send_cancellation_notices(meeting_id):
    """Tell everyone still registered that the meeting is cancelled."""
    ids = Registration.objects.filter(
        meeting_id=meeting_id, status__in=Registration.ACTIVE, cancellation_sent_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(mail.send(pk, "cancellation") for pk in list(ids))


@app.task(**RETRY)
def send_reminders(today=None):
    """Daily (celery beat): remind confirmed registrants of tomorrow's meetings."""
    today = datetime.date.fromisoformat(today) if today else timezone.localdate()
    tomorrow = today + datetime.timedelta(days=1)
    ids = Registration.objects.filter(
        meeting__status__in=(Meeting.Status.OPEN, Meeting.Status.CLOSED),
        meeting__starts_at__date=tomorrow,
        status=Registration.Status.CONFIRMED,
        reminder_sent_at__isnull=True,
    ).values_list("pk", flat=True)
    return sum(mail.send(pk, "reminder") for pk in list(ids))
