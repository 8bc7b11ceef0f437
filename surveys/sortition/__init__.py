"""Fair panel selection (sortition): LEXIMIN and maximin on the open HiGHS solver.

From the residents who volunteered, choose a panel of N whose mix meets
quotas by feature (age band, sex, district, ...), as fairly as possible: the
LEXIMIN lottery of Flanigan et al., "Fair algorithms for selecting citizens'
assemblies", Nature 596, 548–552 (2021), makes the least likely volunteer as
likely as possible, then the next. The method is documented in `leximin`;
drawing the panel and ordering the reserves in `service`; quotas and the
messages that say which quota fails in `quotas`; the Sortition Foundation's
file layout in `io`.

Pure Python on highspy: no models, no database. Entry point:

    from surveys.sortition import select
    result = select(quotas, people, size, seed, algorithm="leximin", reserves=5)
"""

from surveys.sortition.quotas import InfeasibleQuotas, PoolError, Quota

__all__ = ["ALGORITHMS", "InfeasibleQuotas", "PoolError", "Quota", "Result", "select"]
_FROM_SERVICE = ("ALGORITHMS", "Result", "select")


def __getattr__(name):
    # highspy and numpy cost 0.2 s at start-up; pages that read quotas or
    # files (quotas, io) never solve, so the solver loads on first use.
    if name in _FROM_SERVICE:
        from surveys.sortition import service

        return getattr(service, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
