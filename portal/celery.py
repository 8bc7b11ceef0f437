"""Celery app. Without a broker (the embedded default) tasks run inline.

Nothing imports this module at Django's start-up: celery costs 0.15 s to
import, and a management command, a test run or a web worker that queues no
task does not need it. Every `tasks` module binds its tasks to this app
(`@app.task`), so whatever sends a task has loaded the app first; the worker
and beat find it with `celery -A portal` (celery looks for `portal.celery`).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Periodic work, sent by `celery beat` (times in CELERY_TIMEZONE).
app.conf.beat_schedule = {
    "clear-expired-sessions": {
        "task": "portal.tasks.clear_expired_sessions",
        "schedule": 24 * 60 * 60,
    },
    # Reminders go out the morning before each meeting.
    "meetings-reminders": {
        "task": "meetings.tasks.send_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
    # News digests for subscribers: daily ones every morning, weekly ones on Mondays.
    "news-digest-daily": {
        "task": "areas.news.send_digests",
        "schedule": crontab(hour=7, minute=0),
        "args": ("daily",),
    },
    "news-digest-weekly": {
        "task": "areas.news.send_digests",
        "schedule": crontab(hour=7, minute=30, day_of_week=1),
        "args": ("weekly",),
    },
    # Resident registers are purged once their keeping period has passed.
    "surveys-purge-registers": {
        "task": "surveys.tasks.purge_expired_registers",
        "schedule": crontab(hour=3, minute=0),
    },
    # Volunteers' names and contacts are erased once their meetings are over.
    "surveys-purge-volunteers": {
        "task": "surveys.tasks.purge_expired_volunteers",
        "schedule": crontab(hour=3, minute=15),
    },
    # Held survey answers join the answer tables in batches; after a survey
    # closes, the last ones (surveys/questionnaires/holding.py).
    "surveys-release-held-answers": {
        "task": "surveys.tasks.release_held_answers",
        "schedule": crontab(minute="*/30"),
    },
}
