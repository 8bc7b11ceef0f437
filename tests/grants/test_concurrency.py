"""Two coordinators approving at once never exceed the programme's budget."""

import threading

import pytest
from django.db import connection

from grants.models import Application
from grants.services.applications import approve_application
from portal import locking
from portal.audit import Actor
from portal.errors import ServiceError
from portal.models import Role
from tests.factories import AreaFactory, OrganisationFactory, UserFactory, represent

from .factories import application, proposal_programme

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks need PostgreSQL"
)


def _race(monkeypatch):
    import time

    import grants.services.applications as services

    original = services.remaining_budget

    def slow_remaining(*args, **kwargs):
        value = original(*args, **kwargs)
        time.sleep(0.3)  # widen the window between the check and the write
        return value

    monkeypatch.setattr(services, "remaining_budget", slow_remaining)
    area = AreaFactory(code="C01")
    programme = proposal_programme(budget=100_000)
    apps = []
    for _ in range(2):
        user = UserFactory()
        organisation = OrganisationFactory(areas=[area])
        represent(user, organisation)
        apps.append(
            application(
                programme=programme,
                organisation=organisation,
                applicant=user,
                status=Application.Status.IN_REVIEW,
                expense=80_000,
                income=0,
            )
        )
    coordinators = [UserFactory(role=Role.COORDINATOR) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def approve(app, coordinator):
        try:
            barrier.wait()
            approve_application(
                application_id=app.pk,
                amount=80_000,
                by=Actor.for_user(coordinator, Role.COORDINATOR),
            )
            results.append("ok")
        except ServiceError:
            results.append("refused")
        finally:
            connection.close()

    threads = [
        threading.Thread(target=approve, args=(app, c))
        for app, c in zip(apps, coordinators, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    approved = Application.objects.filter(programme=programme, status="approved")
    return results, sum(a.approved_amount for a in approved)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_approvals_stay_within_the_budget(monkeypatch):
    results, total = _race(monkeypatch)
    assert sorted(results) == ["ok", "refused"]
    assert total == 80_000


@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_race_overspends(monkeypatch):
    """Control run: with locks off, both approvals read the same remaining
    budget and the programme is overspent (the race the lock prevents)."""
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)
    results, total = _race(monkeypatch)
    assert results == ["ok", "ok"]
    assert total == 160_000
