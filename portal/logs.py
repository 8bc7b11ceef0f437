"""Logging pieces named in settings.LOGGING."""

import logging


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is an expected answer, not a fault: log it as
    one line. django.request attaches the PermissionDenied with its traceback,
    which on a busy site buries the tracebacks that matter."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True
