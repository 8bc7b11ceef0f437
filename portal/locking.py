"""Row locks for services, in one place (the pretix and Saleor pattern).

A service that checks and then writes (seats left, a request's state, an
organisation's profile) does both inside `locked(...)`: one durable
transaction that locks the guarding rows in primary-key order (no deadlocks
between two services locking the same rows), waits at most
`settings.LOCK_TIMEOUT_SECONDS` and then raises `Busy`, which the view shows
as "busy, try again". Values read before the lock are never trusted: the
rows yielded are re-read under it.

`LOCKS_ENABLED` exists for the concurrency tests' control run, which turns
it off to show that the race is real without the lock.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, OperationalError, connection, transaction

from .errors import Busy

LOCKS_ENABLED = True


def _is_lock_timeout(error):
    cause = error.__cause__
    sqlstate = getattr(cause, "sqlstate", None)
    # 55P03 lock_not_available, 40P01 deadlock_detected
    return sqlstate in {"55P03", "40P01"} or "database is locked" in str(error)


@contextmanager
def locked(queryset, *, timeout=None):
    """Lock the rows of `queryset` for the enclosed work and yield them (a list,
    re-read under the lock). Must be the outermost transaction (durable)."""
    seconds = settings.LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    try:
        with transaction.atomic(durable=True):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(f"SET LOCAL lock_timeout = '{int(seconds * 1000)}ms'")
            if LOCKS_ENABLED:
                rows = list(queryset.select_for_update(of=("self",)).order_by("pk"))
            else:
                rows = list(queryset.order_by("pk"))
            yield rows
    except OperationalError as error:
        if _is_lock_timeout(error):
            raise Busy() from error
        raise
    except DatabaseError as error:
        if _is_lock_timeout(error):
            raise Busy() from error
        raise


@contextmanager
def locked_one(model, pk, *, timeout=None):
    """Lock one row by primary key and yield it (DoesNotExist if it is gone)."""
    with locked(model._default_manager.filter(pk=pk), timeout=timeout) as rows:
        if not rows:
            raise model.DoesNotExist(f"{model.__name__} {pk} does not exist")
        yield rows[0]
