"""Periodic work: purge registers and volunteer records by policy (daily, celery beat)."""

from celery import shared_task

from portal.audit import Actor


@shared_task
def purge_expired_registers():
    from . import services

    purged = services.purge_expired_registers(by=Actor.for_system("surveys.purge_policy"))
    return [r.reference_date.isoformat() for r in purged]


@shared_task
def purge_expired_volunteers():
    """Erase volunteer records past keeping (schedule daily with celery beat)."""
    from .questionnaires import services

    return services.purge_expired_volunteers(by=Actor.for_system("surveys.purge_policy"))
