"""Celery tasks of the areas app. The worker imports each app's `tasks`
module (autodiscovery); the news digests live in the news sub-package."""

from .news.tasks import send_digests

__all__ = ["send_digests"]
