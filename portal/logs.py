"""Logging pieces named in settings.LOGGING."""

import logging
import re


class ForbiddenWithoutTraceback(logging.Filter):
    """A refused request (403) is an expected answer, not a fault: log it as
    one line. django.request attaches the PermissionDenied with its traceback,
    which on a busy site buries the tracebacks that matter."""

    def filter(self, record):
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True


# Secrets that a URL may carry: a survey letter's access code in `?code=`
# (letters printed before the code moved after "#"), and allauth's one-time
# keys in the paths of e-mail confirmation and password reset links. Whoever
# reads an access log must not be able to use them.
_SECRETS = [
    (re.compile(r"((?:^|[?&])code=)[^&#\s\"]*", re.IGNORECASE), r"\1***"),
    (re.compile(r"(/accounts/confirm-email/)[^/?#\s\"]+"), r"\1***"),
    (re.compile(r"(/accounts/password/reset/key/)[^/?#\s\"]+"), r"\1***"),
]


def scrub(text):
    """`text` (a request line, path, query string or referrer) with the
    secrets it may carry replaced by ***."""
    for pattern, replacement in _SECRETS:
        text = pattern.sub(replacement, text)
    return text


class ScrubSecrets(logging.Filter):
    """For loggers that print request lines (runserver's `django.server`)."""

    def filter(self, record):
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        return True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a production dependency
    _GunicornLogger = None


if _GunicornLogger is not None:

    class AccessLogger(_GunicornLogger):
        """gunicorn's logger with secrets scrubbed from every part of a
        request its access log can print: the request line, path, query
        string, referrer and the raw headers and environment
        (`gunicorn --logger-class portal.logs.AccessLogger`)."""

        def atoms(self, resp, req, environ, request_time):
            atoms = super().atoms(resp, req, environ, request_time)
            return {k: scrub(v) if isinstance(v, str) else v for k, v in atoms.items()}
