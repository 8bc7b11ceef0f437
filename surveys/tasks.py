"""Periodic work: purge registers by policy (schedule daily with celery beat)."""

from celery import shared_task

from portal.audit import Actor


@shared_task
def purge_expired_registers():
    from . import services

    purged = services.purge_expired_registers(by=Actor.for_system("surveys.purge_policy"))
    return [r.reference_date.isoformat() for r in purged]
